"""How a job reads on a page: its title, its progress in numbers and words, and what a person may do with it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy

from console.jobs.models import Job, JobFailure
from console.jobs.services import can_control

RETRIABLE = (Job.Kind.DELETE, Job.Kind.COPY, Job.Kind.MOVE)  # kinds whose failed objects a new job can redo


def _folder_of(key: str) -> str:
    trimmed = key[:-1] if key.endswith("/") else key
    return trimmed.rsplit("/", 1)[0] + "/" if "/" in trimmed else ""


def _place(prefix: str) -> str:
    return prefix or _("the top folder")


def title(job: Job) -> str:
    """What the job does, in a line: "Copy a/x.txt to b/x.txt", "Delete 3 items in photos/" ..."""
    params = job.params
    if job.kind in (Job.Kind.COPY, Job.Kind.MOVE) and job.dest_connection:
        return _across(job, params.get("items") or [["", ""]])
    if job.kind in (Job.Kind.COPY, Job.Kind.MOVE):
        items = params.get("items") or [["", ""]]
        move = job.kind == Job.Kind.MOVE
        if len(items) == 1:
            sentence = _("Move %(source)s to %(dest)s") if move else _("Copy %(source)s to %(dest)s")
            return sentence % {"source": _place(items[0][0]), "dest": _place(items[0][1])}
        sentence = (ngettext("Move %(count)s item to %(folder)s", "Move %(count)s items to %(folder)s", len(items))
                    if move else
                    ngettext("Copy %(count)s item to %(folder)s", "Copy %(count)s items to %(folder)s", len(items)))
        return sentence % {"count": len(items), "folder": _place(_folder_of(items[0][1]))}
    if job.kind == Job.Kind.DELETE:
        items = params.get("items") or [""]
        if len(items) == 1:
            return _("Delete %(key)s") % {"key": items[0]}
        return ngettext("Delete %(count)s item in %(folder)s", "Delete %(count)s items in %(folder)s",
                        len(items)) % {"count": len(items), "folder": _place(_folder_of(items[0]))}
    if job.kind == Job.Kind.FOLDER_SIZE:
        return _("Size of %(folder)s") % {"folder": (params.get("items") or [""])[0] or _("the whole bucket")}
    if job.kind == Job.Kind.ABORT_UPLOADS:
        days = params.get("older_than_days", 0)
        return ngettext("Abort uploads older than %(days)s day in %(folder)s",
                        "Abort uploads older than %(days)s days in %(folder)s",
                        days) % {"days": days, "folder": _place(params.get("prefix", ""))}
    return _("%(kind)s %(target)s") % {"kind": job.get_kind_display(), "target": job.target}


def _across(job: Job, items: list) -> str:
    """ "Copy from A:photos/ to B:archive/", "Move 3 items from A:photos/ to B:" (a connection, then its key)."""
    move = job.kind == Job.Kind.MOVE
    ends = {"source_connection": job.connection, "dest_connection": job.dest_connection}
    if len(items) == 1:
        sentence = (_("Move from %(source_connection)s:%(source)s to %(dest_connection)s:%(dest)s") if move else
                    _("Copy from %(source_connection)s:%(source)s to %(dest_connection)s:%(dest)s"))
        return sentence % {**ends, "source": items[0][0], "dest": items[0][1]}
    sentence = (ngettext("Move %(count)s item from %(source_connection)s:%(source)s to %(dest_connection)s:%(dest)s",
                         "Move %(count)s items from %(source_connection)s:%(source)s to %(dest_connection)s:%(dest)s",
                         len(items)) if move else
                ngettext("Copy %(count)s item from %(source_connection)s:%(source)s to %(dest_connection)s:%(dest)s",
                         "Copy %(count)s items from %(source_connection)s:%(source)s to %(dest_connection)s:%(dest)s",
                         len(items)))
    return sentence % {**ends, "count": len(items), "source": _folder_of(items[0][0]), "dest": _folder_of(items[0][1])}


CONFLICT_WORDS = {"keep_both": gettext_lazy("keep both (the new one is named “name (2).ext”)"),
                  "skip": pgettext_lazy("a name that is taken", "skip"),
                  "overwrite": pgettext_lazy("a name that is taken", "replace")}


def conflict(job: Job) -> str:
    """What a copy or move does when a name is taken, in words; empty for other kinds."""
    if job.kind not in (Job.Kind.COPY, Job.Kind.MOVE):
        return ""
    return CONFLICT_WORDS.get(job.params.get("conflict", ""), job.params.get("conflict", ""))


def folder(job: Job) -> str:
    """The folder a job was started from: its first source's folder (a folder size: that folder)."""
    items = job.params.get("items") or [""]
    first = items[0][0] if isinstance(items[0], list) else items[0]
    return first if job.kind == Job.Kind.FOLDER_SIZE else _folder_of(first)


def dest_folder(job: Job) -> str:
    """Where a copy or move puts its first item: that folder's path (the top folder: "")."""
    items = job.params.get("items") or [""]
    return _folder_of(items[0][1]) if isinstance(items[0], list) else ""


def _uploads(job: Job) -> bool:
    return job.kind == Job.Kind.ABORT_UPLOADS


def _count(job: Job, n: int, *, at_least: bool = False) -> str:
    """"3,000 objects" (uploads, for aborted uploads); "at least 3,000 objects"."""
    if at_least:
        sentence = (ngettext("at least %(count)s upload", "at least %(count)s uploads", n) if _uploads(job) else
                    ngettext("at least %(count)s object", "at least %(count)s objects", n))
    else:
        sentence = (ngettext("%(count)s upload", "%(count)s uploads", n) if _uploads(job) else
                    ngettext("%(count)s object", "%(count)s objects", n))
    return sentence % {"count": f"{n:,}"}


def duration(seconds: float) -> str:
    """A short human duration: "8 s", "3 min", "2 h 5 min"."""
    seconds = round(seconds)
    if seconds < 60:
        return _("%(seconds)s s") % {"seconds": seconds}
    minutes = round(seconds / 60)
    if minutes < 60:
        return _("%(minutes)s min") % {"minutes": minutes}
    if minutes % 60:
        return _("%(hours)s h %(minutes)s min") % {"hours": minutes // 60, "minutes": minutes % 60}
    return _("%(hours)s h") % {"hours": minutes // 60}


def percent(job: Job) -> int | None:
    """0-100, rounded down (100 only when done); None while the total is not known."""
    if job.state == Job.State.DONE:
        return 100
    fraction = job.fraction_done
    return None if fraction is None else min(99, int(fraction * 100))


def handled(job: Job) -> int:
    return job.objects_handled


def total(job: Job) -> str:
    """"3,000 objects"; "at least 3,000 objects" while the total is a lower bound."""
    return _count(job, job.objects_total, at_least=job.objects_total_at_least)


def _of_total(job: Job, n: int) -> str:
    """"1,000 of 3,000 objects"."""
    return _("%(count)s of %(total)s") % {"count": f"{n:,}", "total": total(job)}


def _in_state(job: Job, what: str) -> str:
    """"Cancelled: 1,000 of 3,000 objects"."""
    return _("%(state)s: %(progress)s") % {"state": job.get_state_display(), "progress": what}


def bar_text(job: Job) -> str:
    """The progress bar in words (its aria-valuetext)."""
    if job.state == Job.State.QUEUED:
        return _("Waiting for a worker")
    if job.state == Job.State.RUNNING and job.objects_total is None:
        if job.phase == "counting":
            return _("Counting the uploads") if _uploads(job) else _("Counting the objects")
        return _("%(count)s so far") % {"count": _count(job, handled(job))}
    if job.objects_total is None:
        return _in_state(job, _count(job, handled(job)))
    done = _of_total(job, handled(job))
    if job.state == Job.State.RUNNING:
        return done if job.objects_total_at_least else _("%(progress)s (%(percent)s%%)") % {
            "progress": done, "percent": percent(job)}
    return _in_state(job, done)


def counts(job: Job) -> str:
    """Objects and bytes done, of the totals when known; skipped and failed when any."""
    parts = [_of_total(job, job.objects_done) if job.objects_total is not None else _count(job, job.objects_done)]
    if job.bytes_total:
        parts.append(pgettext("bytes", "%(done)s of %(total)s") % {
            "done": filesizeformat(job.bytes_done), "total": filesizeformat(job.bytes_total)})
    elif job.bytes_done:
        parts.append(filesizeformat(job.bytes_done))
    if job.objects_skipped:
        parts.append(_("%(count)s skipped") % {"count": f"{job.objects_skipped:,}"})
    if job.objects_failed:
        parts.append(_("%(count)s failed") % {"count": f"{job.objects_failed:,}"})
    return " · ".join(parts)


def speed(job: Job) -> str:
    """The current rate and time left while running ("250 objects/s, 1.2 MB/s · about 8 s left")."""
    if job.state != Job.State.RUNNING or not job.rate_objects:
        return ""
    count = f"{job.rate_objects:,.0f}"
    rate = _("%(count)s uploads/s") % {"count": count} if _uploads(job) else _("%(count)s objects/s") % {"count": count}
    if job.rate_bytes:
        rate = _("%(objects)s, %(bytes)s/s") % {"objects": rate, "bytes": filesizeformat(job.rate_bytes)}
    eta = job.eta_seconds
    return _("%(rate)s · about %(time)s left") % {"rate": rate, "time": duration(eta)} if eta is not None else rate


PHASES = {"counting": pgettext_lazy("job phase", "counting"), "working": pgettext_lazy("job phase", "working"),
          "finishing": pgettext_lazy("job phase", "finishing")}


def phase(job: Job) -> str:
    """The step a running job is at, in words."""
    return str(PHASES.get(job.phase, job.phase))


def took(job: Job) -> str:
    if job.finished_at and job.started_at:
        return duration((job.finished_at - job.started_at).total_seconds())
    return ""


def stopped_early(job: Job) -> bool:
    """Cancelled, or failed before reaching its end (storage away, a worker giving up): a resume carries on."""
    if job.state == Job.State.CANCELLED:
        return True
    return job.state == Job.State.FAILED and (job.objects_total is None or handled(job) < job.objects_total)


@dataclass
class JobCard:
    """One job as the Jobs panel, the job's page and the jobs list show it."""

    job: Job
    title: str
    percent: int | None
    bar_text: str
    counts: str
    speed: str
    took: str
    phase: str = ""
    can_cancel: bool = False
    cancelling: bool = False
    can_resume: bool = False
    can_retry: bool = False
    failures: list[JobFailure] = field(default_factory=list)
    more_failures: int = 0


def card(job: Job, user, *, failures: int = 0) -> JobCard:
    """The job's card; `failures` is how many failed objects to list (a query only when some failed)."""
    control = can_control(user, job)
    listed = list(job.failures.all()[:failures]) if failures and job.objects_failed else []
    return JobCard(
        job=job, title=title(job), percent=percent(job), bar_text=bar_text(job), counts=counts(job),
        speed=speed(job), took=took(job), phase=phase(job),
        can_cancel=control and not job.is_finished and not job.cancel_requested,
        cancelling=job.cancel_requested and not job.is_finished,
        can_resume=control and stopped_early(job),
        can_retry=control and job.is_finished and job.objects_failed > 0 and job.kind in RETRIABLE,
        failures=listed, more_failures=max(0, job.objects_failed - len(listed)) if listed else 0,
    )


def announcement(job: Job) -> str:
    """A sentence for screen readers when a job ends."""
    return _("%(title)s: %(state)s. %(counts)s.") % {"title": title(job), "state": job.get_state_display().lower(),
                                                      "counts": counts(job)}
