"""Signing in and out (audited), the lockout page (django-axes), setting a password from a one-time link."""

from __future__ import annotations

import math

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from console.accounts import signins
from console.accounts.oidc import provider
from console.accounts.oidc.views import provider_sign_out_url


class SignInView(auth_views.LoginView):
    """Django's sign-in form, with single sign-on beside it; with LOCAL_LOGIN=false, single sign-on only."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "local_login": settings.LOCAL_LOGIN,
                "sso": provider.enabled(), "sso_name": provider.name()}

    def post(self, request, *args, **kwargs):
        if not settings.LOCAL_LOGIN:
            signins.failed(request, signins.PASSWORD, gettext_noop("password sign-in is turned off"),
                           username=request.POST.get("username", ""))
            return self.render_to_response(self.get_context_data(local_refused=True), status=403)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        signins.signed_in(self.request, form.get_user(), signins.PASSWORD)
        return response

    def form_invalid(self, form):
        paused = getattr(self.request, "axes_locked_out", False)
        # Stored in English (the audit log translates them where it shows them).
        reason = (gettext_noop("sign-in is paused after too many failures") if paused
                  else gettext_noop("wrong user name or password"))
        signins.failed(self.request, signins.PASSWORD, reason, username=form.data.get("username", ""))
        return super().form_invalid(form)


sign_in = SignInView.as_view()


@require_POST
def sign_out(request) -> HttpResponse:
    """Sign out here, then at the provider too when the session began there and it offers that."""
    at_provider = provider_sign_out_url(request)
    if request.user.is_authenticated:
        signins.signed_out(request, request.user)
    auth.logout(request)
    response = redirect(at_provider or resolve_url(settings.LOGOUT_REDIRECT_URL))
    # What this browser kept for them: the upload tray's resume store (names, folders, small files), the zip's
    # service worker, cached pages. Whoever signs in next on it must not find any of it (the theme goes too).
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """Django's reset-confirm view: the token is single-use and expires (PASSWORD_RESET_TIMEOUT)."""

    template_name = "registration/set_password.html"
    success_url = reverse_lazy("login")
    reset_url_token = "set"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is set. Sign in with it."))
        return response


set_password = SetPasswordView.as_view()


def locked_out(request, original_response=None, credentials=None) -> HttpResponse:
    """What django-axes answers once sign-in is paused: a page saying why and for how long (429)."""
    cool_off = get_cool_off(request)
    context = {
        "username": get_client_username(request, credentials) or "",
        "failure_limit": get_failure_limit(request, credentials),
        "minutes": math.ceil(cool_off.total_seconds() / 60) if cool_off else None,
    }
    return render(request, "registration/locked_out.html", context, status=429)
