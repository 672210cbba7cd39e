"""Changes to a connection's bucket settings. Each is shown first as the S3 document it produces (a confirm
step), then applied, audited with that document, and the settings page shown again."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from console import audit
from console.access.decorators import connection_settings_view
from console.connections import bucket_words
from console.connections.bucket_forms import (
    LifecycleRuleForm,
    LockForm,
    PolicyForm,
    PublicPrefixForm,
    VersioningForm,
    form_problem,
)
from storage import bucket_policy, record_cache
from storage.bucket_documents import (
    InvalidSetting,
    ObjectLock,
    lifecycle_document,
    lock_document,
    versioning_document,
)
from storage.factory import get_gateway
from storage.gateway import AccessDenied, StorageError
from storage.models import Connection


def _back(request, name: str, problem: str) -> HttpResponse:
    messages.error(request, problem)
    return redirect("connection_bucket", name)


def _confirm_or_apply(request, connection: Connection, *, what: str, document, fields: dict, apply, kind: str,
                      warnings: list[str] = (), needs_understood: bool = False, after=None) -> HttpResponse:
    """The confirm page (the document, the warnings, the same values again), or, once confirmed, the change."""
    confirmed = request.POST.get("confirmed") == "yes" and (not needs_understood or request.POST.get("understood"))
    if not confirmed:
        return render(request, "connections/bucket_confirm.html", {
            "connection": connection, "what": what, "fields": fields, "warnings": warnings,
            "needs_understood": needs_understood, "action": request.path,
            "document": json.dumps(document, indent=2) if document is not None else ""})
    try:
        apply()
    except StorageError as e:
        return _back(request, connection.name, f"The storage refused: {e}")
    audit.record_storage_change(request, kind, connection=connection.name, target=connection.bucket,
                                document=document)
    messages.success(request, f"{what}: done.")
    if after is not None and (problem := after()):
        messages.error(request, problem)
    return redirect("connection_bucket", connection.name)


def _connection(name: str) -> Connection:
    return get_object_or_404(Connection, name=name)


def _posted(request, name: str, form_class, hint: str):
    """(the connection, the cleaned values, None), or (.., .., the settings page again saying what is wrong)."""
    connection, form = _connection(name), form_class(request.POST)
    if form.is_valid():
        return connection, form.cleaned_data, None
    return connection, None, _back(request, name, f"{hint} {form_problem(form)}".strip())


@connection_settings_view(argument="name")
@require_POST
def bucket_versioning(request, name: str) -> HttpResponse:
    connection, values, refused = _posted(request, name, VersioningForm, "Choose Enabled or Suspended.")
    if refused:
        return refused
    status = values["status"]
    warnings = [bucket_words.VERSIONING_MEANING["Suspended"]] if status == "Suspended" else []
    return _confirm_or_apply(
        request, connection, what=f"{'Enable' if status == 'Enabled' else 'Suspend'} versioning",
        document=versioning_document(status), fields={"status": status}, warnings=warnings,
        apply=lambda: _put_versioning(name, status), kind="bucket.versioning")


def _put_versioning(name: str, status: str) -> None:
    get_gateway().put_bucket_versioning(name, status)
    record_cache.forget()  # the file pages keep the versioning state a minute (console.files.versioning)


def _lifecycle_change(request, name: str):
    """(the rules as they will be, what changes in words), from the rules the storage holds now."""
    rules = get_gateway().get_bucket_lifecycle(name)
    if request.POST.get("remove"):
        kept = [r for r in rules if r.id != request.POST["remove"]]
        if len(kept) == len(rules):
            raise InvalidSetting("That rule is not there any more.")
        return kept, f"Remove the lifecycle rule {request.POST['remove']}", rules
    form = LifecycleRuleForm(request.POST)
    if not form.is_valid():
        raise InvalidSetting(form_problem(form))
    values = form.cleaned_data
    rule = bucket_words.new_rule(rules, values["action"], values["prefix"], values["days"])
    return [*rules, rule], "Add a lifecycle rule: " + " ".join(bucket_words.sentences(rule)), rules


@connection_settings_view(argument="name")
@require_POST
def bucket_lifecycle(request, name: str) -> HttpResponse:
    connection = _connection(name)
    try:
        rules, what, before = _lifecycle_change(request, name)
        document = lifecycle_document(rules) if rules else None
    except InvalidSetting as e:
        return _back(request, name, str(e))
    except StorageError as e:
        return _back(request, name, str(e))
    seen = bucket_words.fingerprint(lifecycle_document(before) if before else None)
    if request.POST.get("confirmed") == "yes" and request.POST.get("seen") != seen:
        return _back(request, name, "The lifecycle rules changed since you looked; nothing was applied. Look again.")
    fields = {k: v for k, v in request.POST.items() if k in ("action", "prefix", "days", "remove")} | {"seen": seen}
    return _confirm_or_apply(request, connection, what=what, document=document, fields=fields,
                             apply=lambda: get_gateway().put_bucket_lifecycle(name, rules), kind="bucket.lifecycle")


def _policy_warnings(policy: dict | None) -> tuple[list[str], bool]:
    """What a person must read before this policy applies; whether it may lock the console out."""
    if not policy:
        return ["The bucket will have no policy: access is what each key's own permissions allow."], False
    warnings = []
    public = bucket_policy.public_statements(policy)
    if public:
        said = "1 statement lets" if len(public) == 1 else f"{len(public)} statements let"
        warnings.append(f"{said} anyone on the internet, without a key, reach what it names.")
    lockout = bucket_policy.lockout_statements(policy)
    if lockout:
        warnings.append("This policy denies access to everyone, or to all but some: that may include the key this "
                        "console uses for the connection. If it does, the console can no longer read this bucket "
                        "or change this policy; only the storage's administrator can undo it.")
    return warnings, bool(lockout)


def _still_readable(name: str):
    def check() -> str | None:
        try:
            get_gateway().list_objects(name, "", max_keys=1)
        except AccessDenied as e:
            return f"With this policy the console's own key is refused: {e}"
        except StorageError:
            return None
        return None
    return check


def _apply_policy(request, connection: Connection, policy: dict | None, what: str, fields: dict) -> HttpResponse:
    text = bucket_policy.dumps(policy) if policy else ""
    warnings, lockout = _policy_warnings(policy)
    return _confirm_or_apply(request, connection, what=what, document=policy, fields=fields, warnings=warnings,
                             needs_understood=lockout, kind="bucket.policy", after=_still_readable(connection.name),
                             apply=lambda: get_gateway().put_bucket_policy(connection.name, text))


@connection_settings_view(argument="name")
@require_POST
def bucket_policy_edit(request, name: str) -> HttpResponse:
    connection, form = _connection(name), PolicyForm(request.POST)
    form.is_valid()
    text = form.cleaned_data.get("policy", "")
    try:
        policy = bucket_policy.parse(text) if text else None
    except InvalidSetting as e:
        return _back(request, name, f"The policy was not applied. {e}")
    return _apply_policy(request, connection, policy, "Replace the bucket policy" if policy else "Remove the bucket policy",
                         {"policy": text})


@connection_settings_view(argument="name")
@require_POST
def bucket_public_prefix(request, name: str) -> HttpResponse:
    """One click: anyone may read the files under a folder (GET only, no listing); or undo it."""
    connection, values, refused = _posted(request, name, PublicPrefixForm, "Name a folder, such as public/.")
    if refused:
        return refused
    prefix, undo = values["prefix"], values["undo"]
    try:
        current = bucket_policy.stored(get_gateway().get_bucket_policy(name))
        policy = (bucket_policy.without_public_prefix(current or {}, prefix) if undo
                  else bucket_policy.with_public_prefix(current, connection.bucket, prefix))
    except (InvalidSetting, StorageError) as e:
        return _back(request, name, str(e))
    what = f"{'Stop' if undo else 'Start'} letting anyone read the files under {prefix}"
    return _apply_policy(request, connection, policy, what, {"prefix": prefix, "undo": "on" if undo else ""})


@connection_settings_view(argument="name")
@require_POST
def bucket_lock(request, name: str) -> HttpResponse:
    connection, values, refused = _posted(request, name, LockForm, "Give the retention as a whole number of days.")
    if refused:
        return refused
    lock = ObjectLock(True, values["mode"], values["days"] if values["mode"] else None)
    try:
        document = lock_document(lock)
    except InvalidSetting as e:
        return _back(request, name, str(e))
    warnings = ["Compliance retention cannot be shortened or removed by anyone until it ends."] \
        if lock.mode == "COMPLIANCE" else []
    return _confirm_or_apply(request, connection, what="Change the default retention", document=document,
                             fields={"mode": lock.mode, "days": lock.days or ""}, warnings=warnings,
                             apply=lambda: get_gateway().put_object_lock(name, lock), kind="bucket.object_lock")
