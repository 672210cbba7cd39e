"""One-click actions on a saved connection: health, make default, enable/disable, delete."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from console import audit
from console.access import changes
from console.connections.views.edit import health_of, table_context
from console.roles import ADMIN, role_required
from storage.models import Connection


def _after_action(request, notice: str, *, error: bool = False) -> HttpResponse:
    """HTMX gets the refreshed table (with the notice in it); a plain form post is redirected."""
    if request.htmx:
        context = table_context(notice=notice)
        context["notice_is_error"] = error
        return render(request, "connections/_table.html", context)
    (messages.error if error else messages.success)(request, notice)
    return redirect("connection_list")


@role_required(ADMIN)
@require_GET
def connection_health(request, name: str) -> HttpResponse:
    connection = get_object_or_404(Connection, name=name)
    context = {"connection": connection, "report": health_of(name) if connection.enabled else None}
    if request.htmx:
        return render(request, "connections/_health.html", context)
    return render(request, "connections/health.html", context)


@role_required(ADMIN)
@require_POST
def connection_default(request, name: str) -> HttpResponse:
    connection = get_object_or_404(Connection, name=name)
    if connection.is_default:
        return _after_action(request, _("'%(name)s' already is the default.") % {"name": name})
    if locked := Connection.default_lock_reason():
        return _after_action(request, locked, error=True)
    connection.make_default(audit=lambda previous: audit.record(
        request, "connection.default", connection=name, target=name, previous=previous))
    return _after_action(request, _("'%(name)s' is now the default connection.") % {"name": name})


@role_required(ADMIN)
@require_POST
def connection_enabled(request, name: str) -> HttpResponse:
    connection = get_object_or_404(Connection, name=name)
    if connection.is_managed:
        return _after_action(request, connection.managed_reason, error=True)
    enable = request.POST.get("enabled") == "true"
    if not enable and connection.is_default:
        return _after_action(request, _("'%(name)s' is the default connection; make another one the default "
                                        "before disabling it.") % {"name": name}, error=True)
    if connection.enabled != enable:
        connection.enabled = enable
        connection.save(update_fields=["enabled", "updated_at"])
        audit.record(request, "connection.enabled" if enable else "connection.disabled", connection=name,
                     target=name)
    said = _("'%(name)s' is enabled.") if enable else _("'%(name)s' is disabled.")
    return _after_action(request, said % {"name": name})


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def connection_delete(request, name: str) -> HttpResponse:
    connection = get_object_or_404(Connection, name=name)
    if connection.is_managed:
        return render(request, "connections/delete.html", {"connection": connection, "locked": True},
                      status=409 if request.method == "POST" else 200)
    blocked = connection.is_default and Connection.objects.count() > 1
    only_one = connection.is_default and not blocked
    if request.method == "POST" and not blocked:
        with transaction.atomic():
            grants = changes.remove_connection_grants(request, connection)
            connection.delete()
            audit.record(request, "connection.deleted", connection=name, target=name, bucket=connection.bucket,
                         grants=grants)
        messages.success(request, _("Connection '%(name)s' was deleted.") % {"name": name})
        return redirect("connection_list")
    if request.method == "POST":
        messages.error(request, _("'%(name)s' is the default connection; make another one the default first.") % {"name": name})
    return render(request, "connections/delete.html",
                  {"connection": connection, "blocked": blocked, "only_one": only_one})
