"""The landing page: the storages a person holds a role on; admins also get the way to manage them."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from console.access import rules
from console.roles import ADMIN, has_role
from storage.factory import get_gateway
from storage.gateway import StorageError

# URL names the file manager may provide for browsing a storage (the first that exists is used).
BROWSE_URL_NAMES = ("files_browse", "browse")


def _browse_url(request, storage_id: str) -> str:
    """Where browsing starts: the person's own folder when they hold a role on one folder only."""
    start = rules.start_prefix(request.user, storage_id)
    for name in BROWSE_URL_NAMES:
        try:
            url = reverse(name, args=[storage_id])
        except NoReverseMatch:
            continue
        return f"{url}?{urlencode({'prefix': start})}" if start else url
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
    visible = set(rules.visible_connections(request.user, among=[s.id for s in storages]))
    rows = [{"storage": s, "browse": _browse_url(request, s.id) if s.enabled else ""}
            for s in storages if s.id in visible]
    context = {"rows": rows, "problem": problem, "is_admin": has_role(request.user, ADMIN)}
    if context["is_admin"]:
        from console.models import AuditEvent

        context["recent"] = AuditEvent.objects.all()[:5]
    return render(request, "home.html", context)
