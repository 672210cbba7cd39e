"""Changes to a connection's bucket settings. Each is shown first as the S3 document it produces (a confirm
step), then applied, audited with that document, and the settings page shown again."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
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
from console.files import versioning
from console.i18n.sentences import joined
from storage import bucket_policy
from storage.bucket_documents import (
    InvalidSetting,
    LifecycleRule,
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
                      warnings: list[str] = (), understood: str = "", after=None) -> HttpResponse:
    """The confirm page (the document, the warnings, the same values again), or, once confirmed, the change.

    `understood` is what a person ticks to say they read the warnings; without it no tick is asked for."""
    confirmed = request.POST.get("confirmed") == "yes" and (not understood or request.POST.get("understood"))
    if not confirmed:
        return render(request, "connections/bucket_confirm.html", {
            "connection": connection, "what": what, "fields": fields, "warnings": warnings,
            "understood": understood, "action": request.path,
            "document": json.dumps(document, indent=2) if document is not None else ""})
    try:
        apply()
    except StorageError as e:
        return _back(request, connection.name, _("The storage refused: %(why)s") % {"why": e})
    audit.record_storage_change(request, kind, connection=connection.name, target=connection.bucket,
                                document=document)
    messages.success(request, _("%(what)s: done.") % {"what": what})
    if after is not None and (problem := after()):
        messages.error(request, problem)
    return redirect("connection_bucket", connection.name)


def _changed_since(request, name: str, seen: str, what: str) -> HttpResponse | None:
    """The settings page saying so, when a confirmation comes back for a setting that changed since its preview."""
    if request.POST.get("confirmed") == "yes" and request.POST.get("seen") != seen:
        return _back(request, name, _("%(what)s changed since you looked; nothing was applied. Look again.") % {"what": what})
    return None


def _connection(name: str) -> Connection:
    return get_object_or_404(Connection, name=name)


def _posted(request, name: str, form_class, hint: str):
    """(the connection, the cleaned values, None), or (.., .., the settings page again saying what is wrong)."""
    connection, form = _connection(name), form_class(request.POST)
    if form.is_valid():
        return connection, form.cleaned_data, None
    return connection, None, _back(request, name, joined([hint, form_problem(form)]))


@connection_settings_view(argument="name")
@require_POST
def bucket_versioning(request, name: str) -> HttpResponse:
    connection, values, refused = _posted(request, name, VersioningForm, _("Choose Enabled or Suspended."))
    if refused:
        return refused
    status = values["status"]
    warnings = [str(bucket_words.VERSIONING_MEANING["Suspended"])] if status == "Suspended" else []
    return _confirm_or_apply(
        request, connection, what=_("Enable versioning") if status == "Enabled" else _("Suspend versioning"),
        document=versioning_document(status), fields={"status": status}, warnings=warnings,
        apply=lambda: _put_versioning(name, status), kind="bucket.versioning")


def _put_versioning(name: str, status: str) -> None:
    get_gateway().put_bucket_versioning(name, status)
    versioning.forget()


def _lifecycle_change(request, name: str):
    """(the rules as they will be, what changes in words), from the rules the storage holds now."""
    rules = get_gateway().get_bucket_lifecycle(name)
    if request.POST.get("remove"):
        kept = [r for r in rules if r.id != request.POST["remove"]]
        if len(kept) == len(rules):
            raise InvalidSetting(_("That rule is not there any more."))
        return kept, _("Remove the lifecycle rule %(rule)s") % {"rule": request.POST["remove"]}, rules
    form = LifecycleRuleForm(request.POST)
    if not form.is_valid():
        raise InvalidSetting(form_problem(form))
    values = form.cleaned_data
    rule = bucket_words.new_rule(rules, values["action"], values["prefix"], values["days"])
    return [*rules, rule], _("Add a lifecycle rule: %(rule)s") % {"rule": " ".join(bucket_words.sentences(rule))}, rules


def _lifecycle_warnings(rules: list[LifecycleRule], before: list[LifecycleRule]) -> tuple[list[str], str]:
    """An expiry for the whole bucket deletes every file in it: said as loudly as a lockout, and ticked."""
    added = rules[-1] if len(rules) > len(before) else None
    if not added or not added.expire_days or added.prefix:
        return [], ""
    return ([_("This rule deletes every file of the bucket once it is old enough, whatever its folder: nothing in "
               "the bucket is kept longer.")], _("I understand every file of the bucket will be deleted by this rule"))


@connection_settings_view(argument="name")
@require_POST
def bucket_lifecycle(request, name: str) -> HttpResponse:
    connection = _connection(name)
    try:
        rules, what, before = _lifecycle_change(request, name)
        document = lifecycle_document(rules) if rules else None
    except (InvalidSetting, StorageError) as e:
        return _back(request, name, str(e))
    seen = bucket_words.fingerprint(lifecycle_document(before) if before else None)
    if refused := _changed_since(request, name, seen, _("The lifecycle rules")):
        return refused
    fields = {k: v for k, v in request.POST.items() if k in ("action", "prefix", "days", "remove")} | {"seen": seen}
    warnings, understood = _lifecycle_warnings(rules, before)
    return _confirm_or_apply(request, connection, what=what, document=document, fields=fields, warnings=warnings,
                             understood=understood, kind="bucket.lifecycle",
                             apply=lambda: get_gateway().put_bucket_lifecycle(name, rules))


def _policy_warnings(policy: dict | None) -> tuple[list[str], bool]:
    """What a person must read before this policy applies; whether it may lock the console out."""
    if not policy:
        return [_("The bucket will have no policy: access is what each key's own permissions allow.")], False
    warnings = []
    public = bucket_policy.public_statements(policy)
    if public:
        warnings.append(ngettext("%(n)s statement lets anyone on the internet, without a key, reach what it names.",
                                 "%(n)s statements let anyone on the internet, without a key, reach what it names.",
                                 len(public)) % {"n": len(public)})
    maybe = bucket_policy.maybe_public_statements(policy)
    if maybe:
        warnings.append(ngettext("%(n)s statement lets anyone on the internet, without a key, reach what it names: "
                                 "public unless the condition narrows it (the console cannot tell whether it does).",
                                 "%(n)s statements let anyone on the internet, without a key, reach what it names: "
                                 "public unless the condition narrows it (the console cannot tell whether it does).",
                                 len(maybe)) % {"n": len(maybe)})
    lockout = bucket_policy.lockout_statements(policy)
    if lockout:
        warnings.append(_("This policy denies access to everyone, or to all but some: that may include the key this "
                          "console uses for the connection. If it does, the console can no longer read this bucket "
                          "or change this policy; only the storage's administrator can undo it."))
    return warnings, bool(lockout)


def _still_readable(name: str):
    def check() -> str | None:
        try:
            get_gateway().list_objects(name, "", max_keys=1)
        except AccessDenied as e:
            return _("With this policy the console's own key is refused: %(why)s") % {"why": e}
        except StorageError:
            return None
        return None
    return check


LOCKOUT_UNDERSTOOD = gettext_lazy("I understand this policy may lock the console's own key out of the bucket")


def _apply_policy(request, connection: Connection, policy: dict | None, what: str, fields: dict,
                  stored: str) -> HttpResponse:
    """The policy's confirm page, or the policy applied; refused when the stored policy changed since the preview."""
    seen = bucket_words.fingerprint(stored)
    if refused := _changed_since(request, connection.name, seen, _("The bucket policy")):
        return refused
    text = bucket_policy.dumps(policy) if policy else ""
    warnings, lockout = _policy_warnings(policy)
    return _confirm_or_apply(request, connection, what=what, document=policy, fields=fields | {"seen": seen},
                             warnings=warnings, understood=str(LOCKOUT_UNDERSTOOD) if lockout else "", kind="bucket.policy",
                             after=_still_readable(connection.name),
                             apply=lambda: get_gateway().put_bucket_policy(connection.name, text))


@connection_settings_view(argument="name")
@require_POST
def bucket_policy_edit(request, name: str) -> HttpResponse:
    connection, form = _connection(name), PolicyForm(request.POST)
    form.is_valid()
    text = form.cleaned_data.get("policy", "")
    try:
        policy = bucket_policy.parse(text) if text else None
        stored = get_gateway().get_bucket_policy(name)
    except (InvalidSetting, StorageError) as e:
        return _back(request, name, _("The policy was not applied. %(why)s") % {"why": e})
    return _apply_policy(request, connection, policy, _("Replace the bucket policy") if policy else _("Remove the bucket policy"),
                         {"policy": text}, stored)


@connection_settings_view(argument="name")
@require_POST
def bucket_public_prefix(request, name: str) -> HttpResponse:
    """One click: anyone may read the files under a folder (GET only, no listing); or undo it."""
    connection, values, refused = _posted(request, name, PublicPrefixForm, _("Name a folder, such as public/."))
    if refused:
        return refused
    prefix, undo = values["prefix"], values["undo"]
    try:
        stored = get_gateway().get_bucket_policy(name)
        current = bucket_policy.stored(stored)
        policy = (bucket_policy.without_public_prefix(current or {}, prefix) if undo
                  else bucket_policy.with_public_prefix(current, connection.bucket, prefix))
    except (InvalidSetting, StorageError) as e:
        return _back(request, name, str(e))
    what = (_("Stop letting anyone read the files %(where)s") if undo else
            _("Start letting anyone read the files %(where)s")) % {"where": bucket_words.where(prefix)}
    return _apply_policy(request, connection, policy, what, {"prefix": prefix, "undo": "on" if undo else ""}, stored)


@connection_settings_view(argument="name")
@require_POST
def bucket_lock(request, name: str) -> HttpResponse:
    connection, values, refused = _posted(request, name, LockForm, _("Give the retention as a whole number of days."))
    if refused:
        return refused
    lock = ObjectLock(True, values["mode"], values["days"] if values["mode"] else None)
    try:
        support = get_gateway().bucket_support(name)
        if not support.supports("object_lock"):  # sending it would turn lock on for good
            return _back(request, name, _("Object lock cannot be changed here: %(why)s. Nothing was changed.")
                         % {"why": support.why_not("object_lock").rstrip(".")})
        document = lock_document(lock)
    except (InvalidSetting, StorageError) as e:
        return _back(request, name, str(e))
    warnings, understood = _lock_warnings(lock)
    return _confirm_or_apply(request, connection, what=_("Change the default retention"), document=document,
                             fields={"mode": lock.mode, "days": lock.days or ""}, warnings=warnings,
                             understood=understood, kind="bucket.object_lock",
                             apply=lambda: get_gateway().put_object_lock(name, lock))


def _lock_warnings(lock: ObjectLock) -> tuple[list[str], str]:
    """How long new files are kept, in words and as a date; Compliance is ticked, as nobody can undo it."""
    if not lock.mode:
        return [], ""
    how_long = bucket_words.retention(lock.days, timezone.localdate())
    if lock.mode == "GOVERNANCE":
        return [_("Every file written from now on is kept %(how_long)s: only a key allowed to bypass governance "
                  "retention can delete it sooner.") % {"how_long": how_long}], ""
    return ([_("Every file written from now on is kept %(how_long)s: nobody, not even the account's owner, can "
               "delete it or shorten its retention before then.") % {"how_long": how_long}],
            _("I understand files written from now on cannot be deleted by anyone for %(how_long)s")
            % {"how_long": how_long})
