import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings")
application = get_asgi_application()

from storage.config.startup import import_configured_connections  # noqa: E402

import_configured_connections()
