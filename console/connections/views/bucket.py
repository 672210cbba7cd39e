"""A connection's bucket settings page (managers of the whole connection, admins): what the storage supports,
versioning, lifecycle rules, the policy, object lock, and usage. Changes are in bucket_changes.py."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from console.access.decorators import connection_settings_view
from console.connections import bucket_words
from console.connections.bucket_forms import LifecycleRuleForm, LockForm, PolicyForm, PublicPrefixForm
from console.jobs import services
from console.jobs.limits import TooManyJobs
from console.jobs.models import FolderSize, Job
from storage import bucket_policy
from storage.bucket_documents import InvalidSetting
from storage.factory import get_gateway
from storage.gateway import BUCKET_FEATURES, BucketNotFound, StorageError
from storage.models import Connection


def _read(read):
    """(what the storage answered, None) or (None, the problem in plain words)."""
    try:
        return read(), None
    except StorageError as e:
        return None, str(e)


def _policy_context(name: str) -> dict:
    text, problem = _read(lambda: get_gateway().get_bucket_policy(name))
    if problem:
        return {"policy_problem": problem}
    try:
        policy = bucket_policy.stored(text) or {}
    except InvalidSetting as e:
        return {"policy_text": text, "public_prefixes": [], "public_statements": [], "policy_note": str(e)}
    return {"policy_text": bucket_policy.dumps(policy) if policy else "", "public_prefixes": bucket_policy.public_prefixes(policy),
            "public_statements": bucket_policy.public_statements(policy) if policy else [],
            "maybe_public_statements": bucket_policy.maybe_public_statements(policy) if policy else []}


def _lifecycle_context(request, name: str) -> dict:
    rules, problem = _read(lambda: get_gateway().get_bucket_lifecycle(name))
    if problem:
        return {"lifecycle_problem": problem}
    proposed = request.GET.get("propose") == "abort_uploads"
    initial = {"action": "abort_uploads", "days": request.GET.get("days") or 7} if proposed else {"days": 30}
    return {"rules": [(r, bucket_words.sentences(r)) for r in rules], "rule_form": LifecycleRuleForm(initial=initial, auto_id="rule_%s"),
            "proposed": proposed, "has_abort_rule": bucket_words.has_abort_rule(rules)}


def usage_context(name: str) -> dict:
    """The whole bucket's count and bytes, and each top-level folder's, as the last usage job left them."""
    rows = list(FolderSize.objects.filter(connection=name, prefix__regex=r"^([^/]+/)?$").order_by("prefix"))
    total = next((r for r in rows if r.prefix == ""), None)
    folders = [r for r in rows if r.prefix]
    running = Job.objects.filter(connection=name, kind=Job.Kind.FOLDER_SIZE, params__items=[""],
                                 state__in=[Job.State.QUEUED, Job.State.RUNNING]).first()
    return {"usage_total": total, "usage_folders": folders, "usage_running": running}


def bucket_context(request, connection: Connection) -> dict:
    name, gateway = connection.name, get_gateway()
    context = {"connection": connection, "features": BUCKET_FEATURES}
    try:
        support = gateway.bucket_support(name)
    except BucketNotFound as e:
        return {**context, "problem": str(e), "missing_bucket": True, "can_create_bucket": True}
    except StorageError as e:
        return {**context, "problem": str(e)}
    context.update(can={f: support.supports(f) for f in BUCKET_FEATURES},
                   support_rows=[(label, support.why_not(f)) for f, label in BUCKET_FEATURES.items()])
    if support.supports("versioning"):
        state, context["versioning_problem"] = _read(lambda: gateway.get_bucket_versioning(name))
        context.update(versioning=state, versioning_meaning=bucket_words.VERSIONING_MEANING.get(state or ""),
                       versioning_meanings=bucket_words.VERSIONING_MEANING)
    if support.supports("lifecycle"):
        context.update(_lifecycle_context(request, name))
    if support.supports("policy"):
        context.update(_policy_context(name))
    if support.supports("object_lock"):
        lock, context["lock_problem"] = _read(lambda: gateway.get_object_lock(name))
        context["lock"] = lock
    context.update(_forms(context))
    context.update(usage_context(name))
    return context


def _forms(context: dict) -> dict:
    """The page's forms, filled with what the storage holds; each with ids of its own (one page, four forms)."""
    lock = context.get("lock")
    return {"policy_form": PolicyForm(initial={"policy": context.get("policy_text", "")}, auto_id="policy_%s"),
            "public_form": PublicPrefixForm(auto_id="public_%s"),
            "lock_form": LockForm(initial={"mode": lock.mode, "days": lock.days} if lock else None, auto_id="lock_%s")}


@connection_settings_view(argument="name")
@require_GET
def connection_bucket(request, name: str) -> HttpResponse:
    connection = get_object_or_404(Connection, name=name)
    return render(request, "connections/bucket.html", bucket_context(request, connection))


@connection_settings_view(argument="name")
@require_POST
def bucket_usage(request, name: str) -> HttpResponse:
    """Count the bucket's objects and bytes, in all and per top-level folder: a job (read-only, no confirmation)."""
    get_object_or_404(Connection, name=name)
    if usage_context(name)["usage_running"]:
        messages.info(request, _("The usage is being computed already."))
        return redirect("connection_bucket", name)
    try:
        job = services.start_job(request.user, Job.Kind.FOLDER_SIZE, name, prefix="", by_folder=True, request=request)
    except (TooManyJobs, StorageError) as e:
        messages.error(request, str(e))
        return redirect("connection_bucket", name)
    messages.success(request, _("The usage is being computed; this page shows it when the job is done."))
    return redirect("job_detail", job.pk)
