"""s3.yaml from the browser: upload, preview, apply (one transaction); export as a download.

Between preview and apply the uploaded text waits in the session, encrypted with the
connection-secret keys (a file may hold secret access keys; the session table must not).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from console import audit
from console.adminpages.forms.config_io import ExportForm, ImportForm
from console.roles import ADMIN, role_required
from storage import crypto
from storage.config import s3yaml
from storage.config import sync as config_sync
from storage.config.s3yaml import S3ConfigError

SESSION_KEY = "s3yaml_import"


def _page(request, *, form: ImportForm | None = None, plan=None, problem: str = "", note: str = "",
          filename: str = "") -> HttpResponse:
    context = {"form": form or ImportForm(), "export_form": ExportForm(), "plan": plan, "problem": problem,
               "note": note, "filename": filename}
    if request.htmx:
        return render(request, "config_io/_import.html", context)
    return render(request, "config_io/page.html", context)


def _plan(text: str, *, prune: bool, filename: str):
    config = s3yaml.parse(text, source=filename)
    return config_sync.plan_import(config, prune=prune, source=filename)


@role_required(ADMIN)
@require_GET
def config_page(request) -> HttpResponse:
    return _page(request)


@role_required(ADMIN)
@require_POST
def config_import(request) -> HttpResponse:
    """Read the uploaded file and show what applying it would change; nothing is written yet."""
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form=form)
    filename = (request.FILES["file"].name or "s3.yaml")[:200]
    prune = form.cleaned_data["prune"]
    try:
        plan = _plan(form.cleaned_data["file"], prune=prune, filename=filename)
    except S3ConfigError as e:
        request.session.pop(SESSION_KEY, None)
        return _page(request, problem=str(e))
    request.session[SESSION_KEY] = {"text": crypto.encrypt(form.cleaned_data["file"]), "prune": prune,
                                    "filename": filename, "summary": _unchanging_summary(plan)}
    return _page(request, plan=plan, filename=filename)


def _unchanging_summary(plan) -> str:
    """The plan's summary in English: what preview and apply compare (a language switch between them is no
    change), and what the audit log keeps, as it keeps the rest."""
    with translation.override("en"):
        return plan.summary()


@role_required(ADMIN)
@require_POST
def config_import_apply(request) -> HttpResponse:
    pending = request.session.get(SESSION_KEY)
    if not pending:
        return _page(request, problem=_("There is no previewed file to apply (it was applied or the session "
                                        "ended). Upload it again."))
    try:
        plan = _plan(crypto.decrypt(pending["text"]), prune=pending["prune"], filename=pending["filename"])
    except S3ConfigError as e:  # the connections changed so that the file no longer fits
        return _page(request, problem=str(e))
    if _unchanging_summary(plan) != pending["summary"]:
        pending["summary"] = _unchanging_summary(plan)
        request.session[SESSION_KEY] = pending
        return _page(request, plan=plan, filename=pending["filename"],
                     note=_("The connections changed since the preview. Here is the new preview; apply again "
                            "if it is what you want."))
    config_sync.apply_import(plan)
    del request.session[SESSION_KEY]
    audit.record(request, "config.imported", target=pending["filename"], summary=_unchanging_summary(plan),
                 created=[c.name for c in plan.created], updated=[c.name for c in plan.updated],
                 removed=plan.removed, default=plan.default or "")
    messages.success(request, _("Imported %(file)s: %(summary)s.") % {"file": pending["filename"],
                                                                      "summary": plan.summary()})
    if request.htmx:
        return HttpResponseClientRedirect(reverse("connection_list"))
    return redirect("connection_list")


@never_cache
@role_required(ADMIN)
@require_http_methods(["GET", "POST"])
def config_export(request) -> HttpResponse:
    """The connections as s3.yaml; secret keys only when the box was ticked. Every export is audited."""
    form = ExportForm(request.POST or None)
    with_keys = request.method == "POST" and form.is_valid() and form.cleaned_data["include_secrets"]
    text = config_sync.export_text(include_secrets=with_keys)
    audit.record(request, "config.exported", scope=audit.WITH_SECRETS if with_keys else audit.WITHOUT_SECRETS)
    response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="s3.yaml"'
    return response
