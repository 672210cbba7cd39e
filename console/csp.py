"""Content-Security-Policy: our own scripts only; storage origins for uploads and previews.

The header is written here, directive by directive in the order settings give them, so the
same settings always give the same header (django-csp 4.0 ordered directives by a set, which
changed with every process's hash seed).
"""

from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit

from django.conf import settings

from storage.browser_origins import browser_origins
from storage.factory import get_gateway
from storage.gateway import StorageError

HEADER = "Content-Security-Policy"
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


def provider_origins() -> list[str]:
    """The single sign-on provider: signing out is a form POST redirected there, which form-action must allow."""
    urls = (settings.OIDC_ISSUER, settings.OIDC_OP_LOGOUT_ENDPOINT)
    return sorted({f"{p.scheme}://{p.netloc}" for p in map(urlsplit, filter(None, urls))})


def build_policy(storage: list[str] | tuple[str, ...] = ()) -> str:
    """The policy from settings, in their order, with `storage` origins added where browsers reach S3."""
    parts = []
    for name, sources in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].items():
        values = list(sources)
        if name in STORAGE_DIRECTIVES:
            values += [o for o in storage if o not in values]
        if name == "form-action":
            values += [o for o in provider_origins() if o not in values]
        parts.append(" ".join([name, *values]))
    return "; ".join(parts)


class ContentSecurityPolicyMiddleware:
    """Sets the policy on every response; HTML pages also allow the storage origins."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = build_policy(storage_origins() if is_page(response) else ())
        return response


def is_page(response) -> bool:
    """HTML a browser renders; a redirect's is never shown, so it needs no storage origins (no gateway built)."""
    return response.get("Content-Type", "").startswith("text/html") and not 300 <= response.status_code < 400
