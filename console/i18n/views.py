"""Choosing a language (the header's switcher, also on public share pages) and a time zone (Your settings)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import JavaScriptCatalog

from console.accounts.models import Preferences
from console.i18n.choices import is_language
from console.i18n.forms import PreferencesForm
from console.i18n.middleware import remember
from console.s3api.views import s3_keys_context


def _safe_next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.headers.get("referer") or "/"
    if url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure()):
        return wanted
    return "/"


def _keep_language(response: HttpResponse, code: str) -> None:
    """The cookie LocaleMiddleware reads: a chosen language, or none (the browser's Accept-Language decides)."""
    if not code:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, path="/", samesite=settings.LANGUAGE_COOKIE_SAMESITE)
        return
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE, path="/",
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=True, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """Set the language in a cookie, and on the person's account when signed in; back to the page."""
    response = HttpResponseRedirect(_safe_next(request))
    code = request.POST.get("language", "")
    if not is_language(code):
        return response
    _keep_language(response, code)
    if request.user.is_authenticated:
        preferences, _created = Preferences.objects.get_or_create(user=request.user)
        preferences.language = code
        preferences.save(update_fields=["language"])
        remember(request, preferences.language, preferences.time_zone)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def your_settings(request: HttpRequest) -> HttpResponse:
    """The person's language and time zone, saved on their account."""
    preferences, _created = Preferences.objects.get_or_create(user=request.user)
    form = PreferencesForm(request.POST or None, instance=preferences)
    if request.method == "POST" and form.is_valid():
        form.save()
        remember(request, preferences.language, preferences.time_zone)
        with translation.override(preferences.language or translation.get_language()):
            messages.success(request, _("Your settings are saved."))
        response = HttpResponseRedirect(reverse("your_settings"))
        _keep_language(response, preferences.language)
        return response
    return render(request, "accounts/settings.html", {"form": form, **s3_keys_context(request.user)})


_CATALOG = JavaScriptCatalog.as_view(packages=["console"])


@require_GET
def javascript_catalog(request: HttpRequest, language: str) -> HttpResponse:
    """gettext() and friends for the pages' scripts, in the language named in the URL; the pages add the
    catalogs' version (console/templatetags/languages.py), so a day's caching never serves old strings."""
    if not is_language(language):
        raise Http404
    with translation.override(language):
        response = _CATALOG(request)
    response["Content-Language"] = language  # LocaleMiddleware would name the page's language, not the catalog's
    patch_cache_control(response, public=True, max_age=86400)
    return response
