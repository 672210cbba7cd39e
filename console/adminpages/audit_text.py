"""Audit entries that read better as a sentence than as their raw details: jobs; sign-ins and sign-outs."""

from __future__ import annotations

from django.template.defaultfilters import filesizeformat

from console.jobs.models import Job

KINDS = dict(Job.Kind.choices)


def _of(detail: dict) -> str:
    """The counts in words: "1,200 of 1,200 objects done (117.2 KB)", then ", 2 failed" when any failed."""
    objects, total = detail.get("objects") or 0, detail.get("total")
    counted = total if isinstance(total, int) else objects
    text = f"{objects:,} of {total:,}" if isinstance(total, int) else f"{objects:,}"
    text += f" object{'s' if counted != 1 else ''} done"
    if detail.get("bytes"):
        text += f" ({filesizeformat(detail['bytes'])})"
    return ", ".join([text, *(f"{detail[k]:,} {k}" for k in ("skipped", "failed") if detail.get(k))])


def job_sentence(kind: str, detail: dict) -> str | None:
    """The event as a sentence ("Copy job 3 failed: 1 of 3 objects done (1.2 KB), 2 failed."), or None."""
    if not kind.startswith("job.") or "job" not in detail:
        return None
    what = f"{KINDS.get(detail.get('job_kind'), 'The')} job {detail['job']}"
    if detail.get("dest_connection"):
        what += f" to the connection {detail['dest_connection']}"
    if kind == "job.started":
        total = detail.get("total")
        return f"{what} started" + (f" ({total:,} objects counted beforehand)." if isinstance(total, int) else ".")
    if kind == "job.finished":
        sentence = f"{what} {detail.get('state', 'finished')}: {_of(detail)}."
    elif kind == "job.cancelled":
        sentence = f"{what} cancelled: {_of(detail)}."
    elif kind == "job.resumed":
        return f"Job {detail['job']} resumed from its last checkpoint."
    elif kind == "job.cancel_requested":  # the person in the entry's "who" column asked
        return f"Cancel asked for {what[0].lower() + what[1:]}."
    else:
        return None
    return f"{sentence} {detail['error']}" if detail.get("error") else sentence


METHODS = {"password": "with a password", "oidc": "through single sign-on", "break-glass": "with a break-glass link"}


def _method(detail: dict) -> str:
    method = detail.get("method", "")
    words = METHODS.get(method, f"by {method}")
    return f"through {detail['provider']}" if method == "oidc" and detail.get("provider") else words


def sign_in_sentence(kind: str, detail: dict) -> str | None:
    """The event in words: "Signed in through Company SSO; joined team-a; left team-b." and the like."""
    if kind == "auth.signed_in":
        changes = [f"{verb} {', '.join(detail[key])}" for key, verb in (("joined", "joined"), ("left", "left"))
                   if detail.get(key)]
        return "; ".join([f"Signed in {_method(detail)}", *changes]) + "."
    if kind == "auth.sign_in_failed":
        return f"Sign-in {_method(detail)} failed: {detail.get('reason', 'no reason given')}."
    if kind == "auth.signed_out":
        return "Signed out" + (" (the session began at the provider)." if detail.get("method") == "oidc" else ".")
    if kind == "auth.break_glass_issued":
        return f"A break-glass sign-in link was made on the server (works once, {detail.get('minutes', '?')} minutes)."
    return None


SENTENCES = (job_sentence, sign_in_sentence)


def sentence(kind: str, detail: dict) -> str | None:
    """The first sentence any writer in SENTENCES makes of this entry, or None (the details are shown as they are)."""
    return next((text for write in SENTENCES if (text := write(kind, detail)) is not None), None)
