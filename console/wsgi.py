import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings")
application = get_wsgi_application()

from storage.config.startup import import_configured_connections  # noqa: E402

import_configured_connections()
