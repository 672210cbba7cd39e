"""The break-glass sign-in (console.accounts.break_glass): a page with a form, and its POST that signs in.

The code travels in the POST body, never in an address: the link the command prints carries it after "#",
which browsers keep to themselves, and the page's script moves it into the form. So no access log
(gunicorn, nginx, runserver) and no Referer ever holds it, and link scanners and previews, which only GET,
cannot spend it.
"""

from __future__ import annotations

from django.contrib import auth
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_noop
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from console.accounts import break_glass, signins


@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def sign_in(request) -> HttpResponse:
    if request.method == "GET":
        return render(request, "registration/break_glass.html")
    user = break_glass.user_for(request.POST.get("code", "").strip())
    if user is None or not break_glass.spend(user):  # unknown, used, expired, or spent by another request just now
        signins.failed(request, signins.BREAK_GLASS, gettext_noop("the link is unknown, used or expired"))
        return render(request, "registration/break_glass.html", {"failed": True}, status=400)
    auth.login(request, user, backend="console.accounts.backends.LocalPasswordBackend")
    signins.signed_in(request, user, signins.BREAK_GLASS)
    return redirect("home")
