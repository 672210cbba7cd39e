"""Connections: the list, create and edit (with "Test" on the unsaved values)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import reswap, retarget

from console import audit
from console.connections.forms import CHANGED_WORDS, ConnectionForm
from console.roles import ADMIN, role_required
from storage.factory import gateway_for_unsaved, get_gateway
from storage.gateway import HealthReport, StorageError
from storage.models import Connection

TEST_TIMEOUT = 5.0


def health_of(name: str, *, timeout: float = 3.0) -> HealthReport:
    """The gateway's health report for a saved connection; failures become a report too."""
    try:
        return get_gateway().check_health(name, timeout=timeout)
    except StorageError as e:
        return HealthReport(False, None, str(e))


def table_context(*, check_all: bool = False, notice: str = "") -> dict:
    connections = list(Connection.objects.all())
    for connection in connections:
        connection.health = health_of(connection.name) if check_all and connection.enabled else None
    return {"connections": connections, "notice": notice}


@role_required(ADMIN)
@require_GET
def connection_list(request) -> HttpResponse:
    context = table_context(check_all=request.GET.get("check") == "all")
    if request.htmx:
        return render(request, "connections/_table.html", context)
    return render(request, "connections/list.html", context)


def test_unsaved(form: ConnectionForm) -> HealthReport:
    """Check values that are not saved yet, with a gateway of their own (nothing is cached)."""
    spec = form.spec()
    try:
        return gateway_for_unsaved(spec).check_health(spec.name, timeout=TEST_TIMEOUT)
    except StorageError as e:
        return HealthReport(False, None, str(e))


def _form_page(request, form: ConnectionForm, *, result: HealthReport | None = None) -> HttpResponse:
    template = "connections/form.html"
    context = {"form": form, "connection": form.instance if form.editing else None, "result": result,
               "tested": result is not None}
    if request.htmx and request.POST.get("action") == "test":
        if result is None:  # invalid values: show the form again with messages next to the fields
            return reswap(retarget(render(request, "connections/_form.html", context), "#connection-form"),
                          "outerHTML")
        return render(request, "connections/_test_result.html", context)
    return render(request, template, context)


def _save(request, form: ConnectionForm) -> Connection:
    creating = not form.editing
    changed = form.changed_fields()
    connection = form.save()
    if form.cleaned_data.get("make_default") and not connection.is_default:
        connection.make_default(audit=lambda previous: audit.record(
            request, "connection.default", connection=connection.name, target=connection.name, previous=previous))
    if creating:
        audit.record(request, "connection.created", connection=connection.name, target=connection.name,
                     endpoint=connection.endpoint, bucket=connection.bucket)
        messages.success(request, _("Connection '%(name)s' was created.") % {"name": connection.name})
    elif changed:
        audit.record(request, "connection.updated", connection=connection.name, target=connection.name,
                     changed=changed)
        messages.success(request, _("Connection '%(name)s' was saved (%(changed)s).")
                         % {"name": connection.name, "changed": pgettext("list separator", ", ").join(str(CHANGED_WORDS.get(n, n)) for n in changed)})
    else:
        messages.info(request, _("Nothing changed in '%(name)s'.") % {"name": connection.name})
    return connection


def locked_page(request, connection: Connection) -> HttpResponse:
    """A connection the start-up s3.yaml manages: its values, read-only, and why; a POST is refused."""
    form = ConnectionForm(instance=connection)
    for form_field in form.fields.values():
        form_field.disabled = True
    refused = request.method == "POST"
    context = {"form": form, "connection": connection, "locked": True, "refused": refused}
    # htmx drops the body of a 4xx, so it gets the page region with 200; a plain form post gets 409.
    status = 409 if refused and not request.htmx else 200
    if request.htmx:
        return reswap(retarget(render(request, "connections/_form.html", context, status=status),
                               "#connection-form"), "outerHTML")
    return render(request, "connections/form.html", context, status=status)


def _handle(request, instance: Connection | None) -> HttpResponse:
    if instance is not None and instance.is_managed:
        return locked_page(request, instance)
    if request.method != "POST":
        return _form_page(request, ConnectionForm(instance=instance))
    form = ConnectionForm(request.POST, instance=instance)
    if request.POST.get("action") == "test":
        return _form_page(request, form, result=test_unsaved(form) if form.is_valid() else None)
    if not form.is_valid():
        return _form_page(request, form)
    _save(request, form)
    return redirect("connection_list")


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def connection_create(request) -> HttpResponse:
    return _handle(request, None)


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def connection_edit(request, name: str) -> HttpResponse:
    return _handle(request, get_object_or_404(Connection, name=name))
