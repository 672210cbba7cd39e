"""The edition page: edition, storage backend override, OSS Gateway Manager URL (and a test)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from console import audit
from console.adminpages.forms.edition import EditionForm, ManagerTestForm
from console.roles import ADMIN, role_required
from storage.edition import effective_edition
from storage.endpoint_rules import EndpointRefused, check_endpoint
from storage.factory import ManagerProbe, probe_manager, reset_gateways
from storage.models import EditionSettings

PROBE_TIMEOUT = 3.0


@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def edition(request) -> HttpResponse:
    row = EditionSettings.load()
    form = EditionForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        changed = form.changed_fields()
        form.save()
        reset_gateways()  # the next request builds the gateway the new settings choose
        if changed:
            current = effective_edition()
            audit.record(request, "edition.updated", changed=changed, edition=current.edition,
                         backend=current.backend)
            messages.success(request, _("Saved. The console now uses the %(gateway)s.") % {
                "gateway": current.gateway_label})
        else:
            messages.info(request, _("Nothing changed."))
        return redirect("edition")
    return render(request, "edition/page.html", {"form": form, "effective": form.effective})


def test_manager_url(url: str) -> ManagerProbe:
    try:
        check_endpoint(url)
    except EndpointRefused as e:
        return ManagerProbe(False, None, str(e))
    return probe_manager(url, token=getattr(settings, "OSSGATEWAY_TOKEN", ""), timeout=PROBE_TIMEOUT)


@role_required(ADMIN)
@require_POST
def edition_test_manager(request) -> HttpResponse:
    data = request.POST.copy()
    locked = effective_edition()
    if "ossgateway_url" in locked.locked:  # a locked field is not posted: test what the environment set
        data["ossgateway_url"] = locked.ossgateway_url
    form = ManagerTestForm(data)
    if form.is_valid():
        context = {"probe": test_manager_url(form.cleaned_data["ossgateway_url"])}
    else:
        context = {"probe": ManagerProbe(False, None, _("enter the manager's URL (http:// or https://) first"))}
    context["url"] = data.get("ossgateway_url", "")
    if request.htmx:
        return render(request, "edition/_probe.html", context)
    form = EditionForm(instance=EditionSettings.load())
    return render(request, "edition/page.html", {"form": form, "effective": form.effective, **context})
