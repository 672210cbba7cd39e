"""What runs once when a server process starts (wsgi/asgi, hence runserver and gunicorn)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from storage.config.s3yaml import S3ConfigError

log = logging.getLogger("storage.startup")


def import_configured_connections() -> None:
    """Import S3_CONFIG (a deploy mounts /conf/s3.yaml) into the connection records."""
    path = settings.S3_CONFIG
    if not path:
        return
    from storage.config.sync import import_file

    try:
        plan = import_file(path)
    except S3ConfigError as e:
        raise ImproperlyConfigured(f"S3_CONFIG: {e}") from None
    log.info("imported connections from %s: %s", path, plan.summary())
