"""Sign-in helpers: the lockout page (django-axes), setting a password from a one-time link."""

from __future__ import annotations

import math

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """Django's reset-confirm view: the token is single-use and expires (PASSWORD_RESET_TIMEOUT)."""

    template_name = "registration/set_password.html"
    success_url = reverse_lazy("login")
    reset_url_token = "set"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password is set. Sign in with it.")
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
