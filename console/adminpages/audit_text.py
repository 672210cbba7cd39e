"""Audit entries that read better as a sentence than as their raw details: jobs; sign-ins and sign-outs;
grants and groups. The details are stored in English; the sentences are written in the page's language."""

from __future__ import annotations

import re

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy

from console.jobs.models import Job
from console.roles import role_name

KINDS = dict(Job.Kind.choices)
# A finished job's state as its sentence says it ("Copy job 3 failed: ...").
STATES = {"done": pgettext_lazy("job state", "done"), "failed": pgettext_lazy("job state", "failed"),
          "cancelled": pgettext_lazy("job state", "cancelled"), "finished": pgettext_lazy("job state", "finished")}


def _separator() -> str:
    return pgettext("list separator", ", ")


def _of(detail: dict) -> str:
    """The counts in words: "1,200 of 1,200 objects done (117.2 KB)", then ", 2 failed" when any failed."""
    objects, total = detail.get("objects") or 0, detail.get("total")
    counted = total if isinstance(total, int) else objects
    if isinstance(total, int):
        text = ngettext("%(done)s of %(total)s object done", "%(done)s of %(total)s objects done", counted) % {
            "done": f"{objects:,}", "total": f"{total:,}"}
    else:
        text = ngettext("%(done)s object done", "%(done)s objects done", counted) % {"done": f"{objects:,}"}
    if detail.get("bytes"):
        text = _("%(counts)s (%(size)s)") % {"counts": text, "size": filesizeformat(detail["bytes"])}
    words = {"skipped": _("%(n)s skipped"), "failed": _("%(n)s failed")}
    return _separator().join([text, *(words[k] % {"n": f"{detail[k]:,}"} for k in ("skipped", "failed")
                                       if detail.get(k))])


def _job(detail: dict) -> str:
    """The job as a sentence names it: "Copy job 3", "Copy job 3 to the connection backup"."""
    kind = KINDS.get(detail.get("job_kind"))
    what = (_("%(kind)s job %(id)s") % {"kind": kind, "id": detail["job"]} if kind
            else _("The job %(id)s") % {"id": detail["job"]})
    if detail.get("dest_connection"):
        what = _("%(job)s to the connection %(connection)s") % {"job": what, "connection": detail["dest_connection"]}
    return what


def job_sentence(kind: str, detail: dict) -> str | None:
    """The event as a sentence ("Copy job 3 failed: 1 of 3 objects done (1.2 KB), 2 failed."), or None."""
    if not kind.startswith("job.") or "job" not in detail:
        return None
    what = _job(detail)
    if kind == "job.started":
        total = detail.get("total")
        if not isinstance(total, int):
            return _("%(job)s started.") % {"job": what}
        return ngettext("%(job)s started (%(total)s object counted beforehand).",
                        "%(job)s started (%(total)s objects counted beforehand).", total) % {
            "job": what, "total": f"{total:,}"}
    if kind == "job.finished":
        state = detail.get("state", "finished")
        sentence = _("%(job)s %(state)s: %(counts)s.") % {"job": what, "state": STATES.get(state, state),
                                                          "counts": _of(detail)}
    elif kind == "job.cancelled":
        sentence = _("%(job)s cancelled: %(counts)s.") % {"job": what, "counts": _of(detail)}
    elif kind == "job.resumed":
        return _("Job %(id)s resumed from its last checkpoint.") % {"id": detail["job"]}
    elif kind == "job.cancel_requested":  # the person in the entry's "who" column asked
        return _("Cancel asked for %(job)s.") % {"job": what[0].lower() + what[1:]}
    else:
        return None
    return f"{sentence} {detail['error']}" if detail.get("error") else sentence


METHODS = {"password": gettext_lazy("with a password"), "oidc": gettext_lazy("through single sign-on"),
           "break-glass": gettext_lazy("with a break-glass link")}


def _method(detail: dict) -> str:
    method = detail.get("method", "")
    if method == "oidc" and detail.get("provider"):
        return _("through %(provider)s") % {"provider": detail["provider"]}
    return str(METHODS[method]) if method in METHODS else _("by %(method)s") % {"method": method}


def _reason(detail: dict) -> str:
    """Why a sign-in failed: stored in English; the page's words for it when the catalog has them."""
    reason = detail.get("reason")
    return _(reason) if reason else _("no reason given")


def sign_in_sentence(kind: str, detail: dict) -> str | None:
    """The event in words: "Signed in through Company SSO; joined team-a; left team-b." and the like."""
    if kind == "auth.signed_in":
        changes = [_("Signed in %(method)s") % {"method": _method(detail)}]
        changes += [words % {"groups": _separator().join(detail[key])}
                    for key, words in (("joined", _("joined %(groups)s")), ("left", _("left %(groups)s")))
                    if detail.get(key)]
        return pgettext("list separator", "; ").join(changes) + pgettext("sentence end", ".")
    if kind == "auth.sign_in_failed":
        return _("Sign-in %(method)s failed: %(reason)s.") % {"method": _method(detail), "reason": _reason(detail)}
    if kind == "auth.signed_out":
        return _("Signed out (the session began at the provider).") if detail.get("method") == "oidc" else _(
            "Signed out.")
    if kind == "auth.break_glass_issued":
        return _("A break-glass sign-in link was made on the server (works once, %(minutes)s minutes).") % {
            "minutes": detail.get("minutes", "?")}
    return None


def _whom(detail: dict) -> str:
    if detail.get("group"):
        return _("the group %(name)s") % {"name": detail["group"]}
    return str(detail.get("user") or _("someone"))


def _removal_reason(reason: str) -> str:
    """Why a grant went: stored in English with a name (console.access.changes); in the page's words when known."""
    went = re.fullmatch(r"the (connection|group) (.+) was deleted", reason)
    if went is None:
        return reason
    kind, name = went.groups()
    words = _("the connection %(name)s was deleted") if kind == "connection" else _("the group %(name)s was deleted")
    return words % {"name": name}


def grant_sentence(kind: str, detail: dict) -> str | None:
    """A grant change in words; its folder is the entry's target (none: the whole bucket)."""
    names = {"whom": _whom(detail), "role": role_name(detail.get("role", "?"))}
    if kind == "grant.added":
        return _("Gave %(whom)s the %(role)s role.") % names
    if kind == "grant.changed":
        return _("Changed %(whom)s's role from %(previous)s to %(role)s.") % {
            **names, "previous": role_name(detail.get("previous", "?"))}
    if kind == "grant.removed":
        if detail.get("reason"):
            return _("Took away %(whom)s's %(role)s role (%(reason)s).") % {**names,
                                                                            "reason": _removal_reason(detail["reason"])}
        return _("Took away %(whom)s's %(role)s role.") % names
    return None


def group_sentence(kind: str, detail: dict) -> str | None:
    """A group change in words; the group's name is the entry's target."""
    if kind == "group.created":
        return _("Created the group.")
    if kind == "group.renamed":
        return _("Renamed the group; it was called %(previous)s.") % {"previous": detail.get("previous", "?")}
    if kind == "group.deleted":
        grants, members = detail.get("grants", 0), detail.get("members", 0)
        deleted = ngettext("Deleted the group with its %(n)s grant", "Deleted the group with its %(n)s grants",
                           grants) % {"n": grants}
        kept = ngettext("its %(n)s member kept their accounts", "its %(n)s members kept their accounts",
                        members) % {"n": members}
        return _("%(deleted)s; %(kept)s.") % {"deleted": deleted, "kept": kept}
    if kind in ("group.member_added", "group.member_removed"):
        words = _("Added %(user)s.") if kind.endswith("added") else _("Removed %(user)s.")
        return words % {"user": detail.get("user") or _("someone")}
    return None


SENTENCES = (job_sentence, sign_in_sentence, grant_sentence, group_sentence)


def sentence(kind: str, detail: dict) -> str | None:
    """The first sentence any writer in SENTENCES makes of this entry, or None (the details are shown as they are)."""
    return next((text for write in SENTENCES if (text := write(kind, detail)) is not None), None)
