"""The break-glass link (console.accounts.break_glass): a page that asks, then a POST that signs in.

Asking first keeps link scanners and previews, which only GET, from spending the one use.
"""

from __future__ import annotations

from django.contrib import auth
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from console.accounts import break_glass, signins


@require_http_methods(["GET", "POST"])
def sign_in(request, token: str) -> HttpResponse:
    user = break_glass.user_for(token)
    if user is not None and request.method == "POST" and not break_glass.spend(user):
        user = None  # another request spent it between our read and now
    if user is None:
        if request.method == "POST":
            signins.failed(request, signins.BREAK_GLASS, "the link is unknown, used or expired")
        return render(request, "registration/break_glass.html", {"valid": False}, status=400)
    if request.method == "GET":
        return render(request, "registration/break_glass.html", {"valid": True, "person": user})
    auth.login(request, user, backend="console.accounts.backends.LocalPasswordBackend")
    signins.signed_in(request, user, signins.BREAK_GLASS)
    return redirect("home")
