"""The landing page: the storages this console reaches; admins also get the way to manage them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from console.roles import ADMIN, has_role, role_of
from storage.factory import get_gateway
from storage.gateway import StorageError

# URL names the file manager may provide for browsing a storage (the first that exists is used).
BROWSE_URL_NAMES = ("files_browse", "browse")


def _browse_url(storage_id: str) -> str:
    for name in BROWSE_URL_NAMES:
        try:
            return reverse(name, args=[storage_id])
        except NoReverseMatch:
            continue
    return ""


@require_GET
@login_required
def index(request):
    """Signed-in people without a role see this page too, with a word on how to get one."""
    storages, problem = [], None
    try:
        storages = get_gateway().list_storages()
    except StorageError as e:
        problem = str(e)
    rows = [{"storage": s, "browse": _browse_url(s.id) if s.enabled and role_of(request.user) else ""}
            for s in storages]
    context = {"rows": rows, "problem": problem, "is_admin": has_role(request.user, ADMIN)}
    if context["is_admin"]:
        from console.models import AuditEvent

        context["recent"] = AuditEvent.objects.all()[:5]
    return render(request, "home.html", context)
