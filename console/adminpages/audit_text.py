"""Audit entries that read better as a sentence than as their raw details: jobs started, finished, cancelled."""

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
