"""Content-Security-Policy: our own scripts only; storage origins for uploads and previews."""

from __future__ import annotations

import threading
import time

from django.conf import settings

from storage.browser_origins import browser_origins
from storage.gateway import StorageError, get_gateway

ORIGINS_TTL = 30.0
_cache: tuple[float, list[str]] = (0.0, [])
_lock = threading.Lock()
# Directives that must also allow the storages: uploads (fetch/XHR) and previews.
STORAGE_DIRECTIVES = ("connect-src", "img-src", "media-src", "frame-src")


def storage_origins() -> list[str]:
    """The storages' browser origins, worked out at most every 30 seconds per process."""
    global _cache
    expires, origins = _cache
    if time.monotonic() < expires:
        return origins
    with _lock:
        try:
            origins = browser_origins(get_gateway())
        except StorageError:
            origins = []
        origins = sorted({*origins, *settings.CSP_EXTRA_STORAGE_ORIGINS})
        _cache = (time.monotonic() + ORIGINS_TTL, origins)
    return origins


def forget_origins() -> None:
    global _cache
    _cache = (0.0, [])


class StorageOriginsMiddleware:
    """Adds the storage origins to the policy of HTML pages (inside csp's middleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            origins = storage_origins()
            if origins:
                response._csp_update = {name: origins for name in STORAGE_DIRECTIVES}
        return response
