"""How a job reads on a page: its title, its progress in numbers and words, and what a person may do with it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.template.defaultfilters import filesizeformat

from console.jobs.models import Job, JobFailure
from console.jobs.services import can_control

RETRIABLE = (Job.Kind.DELETE, Job.Kind.COPY, Job.Kind.MOVE)  # kinds whose failed objects a new job can redo


def _folder_of(key: str) -> str:
    trimmed = key[:-1] if key.endswith("/") else key
    return trimmed.rsplit("/", 1)[0] + "/" if "/" in trimmed else ""


def _place(prefix: str) -> str:
    return prefix or "the top folder"


def title(job: Job) -> str:
    """What the job does, in a line: "Copy a/x.txt to b/x.txt", "Delete 3 items in photos/" ..."""
    params, verb = job.params, job.get_kind_display()
    if job.kind in (Job.Kind.COPY, Job.Kind.MOVE) and job.dest_connection:
        return _across(job, verb, params.get("items") or [["", ""]])
    if job.kind in (Job.Kind.COPY, Job.Kind.MOVE):
        items = params.get("items") or [["", ""]]
        if len(items) == 1:
            return f"{verb} {items[0][0] or 'the top folder'} to {items[0][1] or 'the top folder'}"
        return f"{verb} {len(items)} items to {_place(_folder_of(items[0][1]))}"
    if job.kind == Job.Kind.DELETE:
        items = params.get("items") or [""]
        if len(items) == 1:
            return f"Delete {items[0]}"
        return f"Delete {len(items)} items in {_place(_folder_of(items[0]))}"
    if job.kind == Job.Kind.FOLDER_SIZE:
        return f"Size of {(params.get('items') or [''])[0] or 'the whole bucket'}"
    if job.kind == Job.Kind.ABORT_UPLOADS:
        days = params.get("older_than_days", 0)
        return f"Abort uploads older than {days} day{'s' if days != 1 else ''} in {_place(params.get('prefix', ''))}"
    return f"{verb} {job.target}"


def _across(job: Job, verb: str, items: list) -> str:
    """ "Copy from A:photos/ to B:archive/", "Move 3 items from A:photos/ to B:" (a connection, then its key)."""
    if len(items) == 1:
        return f"{verb} from {job.connection}:{items[0][0]} to {job.dest_connection}:{items[0][1]}"
    return (f"{verb} {len(items)} items from {job.connection}:{_folder_of(items[0][0])} "
            f"to {job.dest_connection}:{_folder_of(items[0][1])}")


CONFLICT_WORDS = {"keep_both": "keep both (the new one is named “name (2).ext”)", "skip": "skip",
                  "overwrite": "replace"}


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


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'s' if n != 1 else ''}"


def noun(job: Job) -> str:
    return "upload" if job.kind == Job.Kind.ABORT_UPLOADS else "object"


def duration(seconds: float) -> str:
    """A short human duration: "8 s", "3 min", "2 h 5 min"."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min" if minutes % 60 else f"{minutes // 60} h"


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
    return f"{'at least ' if job.objects_total_at_least else ''}{_count(job.objects_total, noun(job))}"


def bar_text(job: Job) -> str:
    """The progress bar in words (its aria-valuetext)."""
    what = noun(job)
    if job.state == Job.State.QUEUED:
        return "Waiting for a worker"
    if job.state == Job.State.RUNNING and job.objects_total is None:
        if job.phase == "counting":
            return f"Counting the {what}s"
        return f"{_count(handled(job), what)} so far"
    if job.objects_total is None:
        return f"{job.get_state_display()}: {_count(handled(job), what)}"
    done = f"{handled(job):,} of {total(job)}"
    if job.state == Job.State.RUNNING:
        return done if job.objects_total_at_least else f"{done} ({percent(job)}%)"
    return f"{job.get_state_display()}: {done}"


def counts(job: Job) -> str:
    """Objects and bytes done, of the totals when known; skipped and failed when any."""
    what = noun(job)
    parts = [f"{job.objects_done:,} of {total(job)}" if job.objects_total is not None else _count(job.objects_done, what)]
    if job.bytes_total:
        parts.append(f"{filesizeformat(job.bytes_done)} of {filesizeformat(job.bytes_total)}")
    elif job.bytes_done:
        parts.append(filesizeformat(job.bytes_done))
    if job.objects_skipped:
        parts.append(f"{job.objects_skipped:,} skipped")
    if job.objects_failed:
        parts.append(f"{job.objects_failed:,} failed")
    return " · ".join(parts)


def speed(job: Job) -> str:
    """The current rate and time left while running ("250 objects/s, 1.2 MB/s · about 8 s left")."""
    if job.state != Job.State.RUNNING or not job.rate_objects:
        return ""
    rate = f"{job.rate_objects:,.0f} {noun(job)}s/s"
    if job.rate_bytes:
        rate += f", {filesizeformat(job.rate_bytes)}/s"
    eta = job.eta_seconds
    return f"{rate} · about {duration(eta)} left" if eta is not None else rate


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
        speed=speed(job), took=took(job),
        can_cancel=control and not job.is_finished and not job.cancel_requested,
        cancelling=job.cancel_requested and not job.is_finished,
        can_resume=control and stopped_early(job),
        can_retry=control and job.is_finished and job.objects_failed > 0 and job.kind in RETRIABLE,
        failures=listed, more_failures=max(0, job.objects_failed - len(listed)) if listed else 0,
    )


def announcement(job: Job) -> str:
    """A sentence for screen readers when a job ends."""
    return f"{title(job)}: {job.get_state_display().lower()}. {counts(job)}."
