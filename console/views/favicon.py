"""The site icon at /favicon.ico, where browsers and tools look when a page names none.

Pages link static/favicon.svg; this serves the same file from the app, so the answer is the icon
whether or not static files are served on this address.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

ICON = "favicon.svg"


@lru_cache(maxsize=1)
def _icon() -> bytes | None:
    path = finders.find(ICON)
    return Path(path).read_bytes() if path else None


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request):
    icon = _icon()
    if icon is None:
        raise Http404("no icon")  # i18n: not shown (the 404 page says it in its own words)
    return HttpResponse(icon, content_type="image/svg+xml")
