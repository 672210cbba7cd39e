"""A signed-in person's saved language and time zone, over the cookie and Accept-Language."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django.urls import reverse
from django.utils import timezone, translation

from console.accounts.models import Preferences
from console.i18n.choices import is_language, is_time_zone

SESSION_KEY = "preferences"


def saved_preferences(user) -> dict[str, str]:
    """The person's saved choices, as {"language": ..., "time_zone": ...} (blank when not chosen)."""
    row = Preferences.objects.filter(user=user).values("language", "time_zone").first()
    return row or {"language": "", "time_zone": ""}


def remember(request, language: str, time_zone: str) -> None:
    """Keep the choices in the session, so a page costs no query for them."""
    request.session[SESSION_KEY] = {"language": language, "time_zone": time_zone}


@cache
def _catalog_prefix() -> str:
    return reverse("javascript_catalog", args=["-"]).removesuffix("-/")


def _is_catalog(request) -> bool:
    """The scripts' catalog is cached publicly: it must not touch the session (no Vary: Cookie, no Set-Cookie)."""
    return request.path_info.startswith(_catalog_prefix())


class PersonPreferencesMiddleware:
    """After AuthenticationMiddleware: the person's own choices win over what LocaleMiddleware guessed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        preferences = self.preferences_of(request)
        if is_language(preferences.get("language", "")):
            translation.activate(preferences["language"])
            request.LANGUAGE_CODE = preferences["language"]
        if is_time_zone(preferences.get("time_zone", "")):
            timezone.activate(zoneinfo.ZoneInfo(preferences["time_zone"]))
        else:
            timezone.deactivate()
        return self.get_response(request)

    @staticmethod
    def preferences_of(request) -> dict[str, str]:
        if _is_catalog(request) or not request.user.is_authenticated:
            return {}
        if SESSION_KEY not in request.session:
            remember(request, **saved_preferences(request.user))
        return request.session[SESSION_KEY]
