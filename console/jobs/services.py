"""Start, cancel, resume and retry jobs; who may see and control them. What views and the API call.

    job = start_job(user, Job.Kind.DELETE, "primary", items=["photos/"], request=request)
    job = start_job(user, Job.Kind.COPY, "primary", items=[["photos/", "archive/"]], dest_connection="backup")
    cancel_job(user, job); resume_job(user, job); retry_failed(user, job) -> new job
    visible_jobs(user)  # a person's own jobs; admins see everyone's

Starting a job needs the role that doing the same by hand needs, at every key it touches, at both ends of a
copy or move: the one check is console/jobs/access.py's `require_access`, asked again at each resume and by the
worker before each batch.
"""

from __future__ import annotations

import bisect
import datetime as dt
from itertools import accumulate

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from console import audit
from console.access import rules
from console.jobs.access import DEST_ROLE, SOURCE_ROLE, ends, may_run, require_access
from console.jobs.auditing import record_end
from console.jobs.limits import check_room
from console.jobs.models import FolderSize, Job
from console.jobs.operations.copy import CONFLICT_CHOICES, KEEP_BOTH
from console.jobs.tasks import nudge
from console.jobs.walk import is_folder
from console.roles import ADMIN, has_role
from storage.factory import get_gateway
from storage.gateway import SAME_BUCKET, ConnectionNotFound, InvalidKey
from storage.keys import validate_key, validate_prefix

MAX_ITEMS = 10_000  # keys and folders one job is given (a selection; the failures of a job, retried)
# Old uploads are those started at least a day ago (a younger one may be someone's upload in progress),
# at most ten years (a typo's 36,500 is refused, not taken as "none").
UPLOAD_AGE_DAYS = range(1, 3651)
UPLOAD_AGE_WORDS = gettext_lazy("The age is a whole number of days, from 1 to 3,650 (ten years).")


def start_job(user, kind: str, connection: str, *, request=None, target: str = "", objects_total: int | None = None,
              total_at_least: bool = False, dest_connection: str | None = None, **params) -> Job:
    """Check, record and queue a job; a worker picks it up. Raises PermissionDenied, InvalidKey or StorageError
    (ConnectionNotFound: no enabled connection has that name; TooManyJobs: the person's limit is reached).

    delete:        items=[key or "folder/", ...]
    copy, move:    items=[[source, dest], ...] (a key to a key, a folder to a folder), conflict=skip|overwrite|keep_both;
                   dest_connection="other" puts them in another connection (omitted: this one)
    folder_size:   prefix="folder/" ("" for the whole bucket; by_folder=True also sizes each top-level folder)
    abort_uploads: prefix="...", older_than_days=N
    `objects_total` is a count already known (a confirmation page's), shown until the job knows better;
    `total_at_least`: that count is only a lower bound ("at least 1,000").
    """
    dest_connection = _dest_connection(kind, connection, dest_connection)
    rules.require_somewhere(user, SOURCE_ROLE[kind], connection)  # nothing about keys to who sees nothing there
    if dest_connection:
        rules.require_somewhere(user, DEST_ROLE, dest_connection)
    _check_connection(connection)
    if dest_connection:
        _check_connection(dest_connection)
    params = _checked(kind, params, across=bool(dest_connection) and
                      get_gateway().copy_route(connection, dest_connection) != SAME_BUCKET)
    require_access(user, kind, connection, *ends(kind, params), dest_connection=dest_connection or None)
    with transaction.atomic():
        check_room(user)
        job = Job.objects.create(kind=kind, connection=connection, dest_connection=dest_connection, params=params,
                                 target=target or _target(kind, params),
                                 created_by=user if user.is_authenticated else None,
                                 created_by_name=user.get_username(), language=_language(request),
                                 objects_total=objects_total,
                                 objects_total_at_least=total_at_least and objects_total is not None)
        other_end = {"dest_connection": dest_connection} if dest_connection else {}
        at_least = {"total_at_least": True} if job.objects_total_at_least else {}
        audit.record(request, "job.started", connection=connection, target=job.target, actor=user, job=job.pk,
                     job_kind=kind, total=objects_total, **other_end, **at_least)
        nudge(job.pk)
    return job


def _language(request) -> str:
    """The language the person starting a job reads: what its worker words (causes, why it stopped) is in it."""
    return getattr(request, "LANGUAGE_CODE", "") or translation.get_language() or ""


def _dest_connection(kind: str, connection: str, dest_connection: str | None) -> str:
    """The other connection a copy or move writes to; "" when it stays in its own."""
    if dest_connection in (None, "", connection):
        return ""
    if kind not in (Job.Kind.COPY, Job.Kind.MOVE):
        raise InvalidKey(_("Only a copy or a move goes to another connection."))
    if not isinstance(dest_connection, str):
        raise InvalidKey(_("Name the connection to copy or move to."))
    return dest_connection


def _check_connection(connection: str) -> None:
    """A job acts on a connection that exists and is enabled now: a job for any other name was queued,
    audited and shown as started, and only its worker found out. Raises ConnectionNotFound."""
    if not isinstance(connection, str) or not any(s.id == connection and s.enabled
                                                  for s in get_gateway().list_storages()):
        raise ConnectionNotFound(_("There is no enabled connection named '%(name)s'.") % {"name": str(connection)[:100]})


def _checked(kind: str, params: dict, *, across: bool = False) -> dict:
    if kind == Job.Kind.DELETE:
        items = [_source(item) for item in dict.fromkeys(_items(params, str))]
        if not items:
            raise InvalidKey(_("Choose something to delete."))
        return {"items": items}
    if kind in (Job.Kind.COPY, Job.Kind.MOVE):
        return _checked_copy(kind, params, across)
    if kind == Job.Kind.FOLDER_SIZE:
        prefix = validate_prefix(params.get("prefix", ""))
        if prefix and not is_folder(prefix):
            raise InvalidKey(_("A folder's size is asked with a prefix ending in '/'."))
        by_folder = {"by_folder": True} if params.get("by_folder") is True and prefix == "" else {}  # usage
        return {"items": [prefix], **by_folder}
    if kind == Job.Kind.ABORT_UPLOADS:
        return _checked_aborts(params)
    raise ValueError(f"unknown job kind {kind!r}")  # i18n: not shown (a programming error)


def _checked_aborts(params: dict) -> dict:
    """A folder ("" for the whole connection) and an age in whole days (UPLOAD_AGE_DAYS); the cutoff fixed now."""
    prefix, days = params.get("prefix", ""), params.get("older_than_days")
    if not isinstance(prefix, str) or (prefix and not is_folder(prefix)):
        raise InvalidKey(_("Old uploads are aborted in a folder: give one ending in '/', such as uploads/2024/, "
                           "or nothing for the whole connection."))
    if isinstance(days, str) and days.isascii() and days.isdigit():
        days = int(days)
    if type(days) is not int or days not in UPLOAD_AGE_DAYS:  # not a bool, a float, None or words
        raise InvalidKey(str(UPLOAD_AGE_WORDS))
    before = timezone.now() - dt.timedelta(days=days)
    return {"prefix": validate_prefix(prefix), "older_than_days": days, "before": before.isoformat()}


def _items(params: dict, shape) -> list:
    """`params["items"]`: a list (never a string, whose letters would become keys) of `shape`, not too many."""
    items = params.get("items")
    if not isinstance(items, list):
        raise InvalidKey(_("The items are a list."))
    if len(items) > MAX_ITEMS:
        raise InvalidKey(_("A job takes at most %(count)s items; choose a folder, or fewer items.") % {
            "count": f"{MAX_ITEMS:,}"})
    for item in items:
        if shape is str and not isinstance(item, str):
            raise InvalidKey(_("Each item is a key or a folder."))
        if shape is list and not (isinstance(item, list | tuple) and len(item) == 2
                                  and all(isinstance(part, str) for part in item)):
            raise InvalidKey(_("Each item is a pair: where from, where to."))
    return items


def _check_overlaps(items: list[list[str]], kind: str, across: bool = False) -> None:
    """Refuse items that step on each other: a destination that another item writes too, or reads from
    (or a folder holding, or held by, one of those); for a move, also a source another item moves.
    Run at once, such items overwrite what the job has just written, or a move deletes what another
    item put there. `across` two buckets, sources and destinations are different objects whatever
    their keys. Sorted, the paths a folder holds follow it: O(n log n) for any depth of keys."""
    entries = sorted((path, role, index) for index, pair in enumerate(items) for role, path in zip("SD", pair, strict=True))
    paths = [path for path, _, _ in entries]
    counts = {role: list(accumulate((r == role for _, r, _ in entries), initial=0)) for role in "SD"}
    exact: dict[tuple[str, str], set[int]] = {}
    for path, role, index in entries:
        held = exact.setdefault((path, role), set())
        if len(held) < 2:
            held.add(index)
    clashes = {"D": "DS", "S": "DS" if kind == Job.Kind.MOVE else "D"}
    if across:
        clashes = {"D": "D", "S": "S" if kind == Job.Kind.MOVE else ""}
    for path, role, index in entries:
        for other in clashes[role]:
            own = items[index][0 if other == "S" else 1]
            if is_folder(path):
                lo = bisect.bisect_left(paths, path)
                hi = bisect.bisect_left(paths, True, lo=lo, key=lambda p, path=path: not p.startswith(path))
                found = counts[other][hi] - counts[other][lo] - own.startswith(path)
                found_path = next((p for p, r, i in entries[lo:hi] if r == other and i != index), "") if found else ""
            else:
                found_path = path if exact.get((path, other), set()) - {index} else ""
            if found_path:
                sentence = (_("'%(path)s' overlaps '%(other)s', which another item of this job has written to; "
                              "start them as separate jobs.") if other == "D" else
                            _("'%(path)s' overlaps '%(other)s', which another item of this job has copied or moved "
                              "from; start them as separate jobs."))
                raise InvalidKey(sentence % {"path": path, "other": found_path})


def _source(value: str) -> str:
    if value.endswith("/"):
        return validate_prefix(value)
    return validate_key(value, allow_folder_marker=False)


def _checked_copy(kind: str, params: dict, across: bool) -> dict:
    conflict = params.get("conflict", KEEP_BOTH)
    if conflict not in CONFLICT_CHOICES:
        raise InvalidKey(_("Choose what to do with names that exist already: %(choices)s.") % {
            "choices": ", ".join(CONFLICT_CHOICES)})
    items = []
    for source, dest in _items(params, list):
        source = _source(source)
        dest = validate_prefix(dest) if is_folder(source) else validate_key(dest, allow_folder_marker=False)
        if is_folder(source) != is_folder(dest):
            raise InvalidKey(_("A folder goes to a folder, a file to a file name."))
        if not across and is_folder(source) and (dest.startswith(source) or source.startswith(dest)):
            raise InvalidKey(_("'%(source)s' cannot go into '%(dest)s': one holds the other.") % {
                "source": source, "dest": dest})
        if not across and source == dest and (kind == Job.Kind.MOVE or conflict != KEEP_BOTH):
            raise InvalidKey(_("'%(source)s' is already there.") % {"source": source})
        items.append([source, dest])
    if not items:
        raise InvalidKey(_("Choose something to copy or move."))
    _check_overlaps(items, kind, across)
    return {"items": items, "conflict": conflict}


def _target(kind: str, params: dict) -> str:
    items = params.get("items") or [params.get("prefix", "")]
    first = items[0][0] if isinstance(items[0], list) else items[0]
    more = f" and {len(items) - 1} more" if len(items) > 1 else ""
    return f"{first or '(the bucket)'}{more}"[:1100]


# --- who sees and controls what ---


def visible_jobs(user):
    """The jobs a person may see: their own; an admin's, everyone's."""
    jobs = Job.objects.all()
    return jobs if has_role(user, ADMIN) else jobs.filter(created_by=user)


def can_start(user, kind: str, connection: str, sources: list[str]) -> bool:
    """Whether a person may start this kind of job on these sources (what pages show or hide)."""
    return all(rules.allows(user, SOURCE_ROLE[kind], connection, source) for source in sources)


def can_control(user, job: Job) -> bool:
    """Cancel, resume, retry: an admin, or the person who started the job while they hold the access it needs."""
    return has_role(user, ADMIN) or (job.created_by_id == user.pk and may_run(user, job))


def _controlled(user, job: Job) -> None:
    if not can_control(user, job):
        raise PermissionDenied(_("Only the person who started this job, or an admin, can do that."))


def cancel_job(user, job: Job, *, request=None) -> None:
    """A queued job is cancelled at once; a running one at its worker's next check (within seconds)."""
    _controlled(user, job)
    with transaction.atomic():
        queued = Job.objects.filter(pk=job.pk, state=Job.State.QUEUED).update(
            state=Job.State.CANCELLED, cancel_requested=True, finished_at=Now())
        running = not queued and Job.objects.filter(pk=job.pk, state=Job.State.RUNNING,
                                                    cancel_requested=False).update(cancel_requested=True)
        if queued or running:  # who asked: the end's entry names the person who started the job
            audit.record(request, "job.cancel_requested", connection=job.connection, target=job.target, actor=user,
                         job=job.pk, job_kind=job.kind)
        if queued:
            record_end(Job.objects.get(pk=job.pk))
    job.refresh_from_db()


def resume_job(user, job: Job, *, request=None) -> Job:
    """Carry on a job that stopped before its end (failed or cancelled) from its last checkpoint.

    Raises TooManyJobs when the person has as many jobs queued or running as one may."""
    _controlled(user, job)
    stopped = Job.objects.filter(pk=job.pk, state__in=[Job.State.FAILED, Job.State.CANCELLED])
    with transaction.atomic():
        if stopped.exists():
            check_room(job.created_by, actor=user)  # it counts as its starter's job again
        if stopped.update(state=Job.State.QUEUED, cancel_requested=False, finished_at=None, last_error="", attempts=0,
                          nudged_at=None):
            audit.record(request, "job.resumed", connection=job.connection, target=job.target, actor=user, job=job.pk)
            nudge(job.pk)
    job.refresh_from_db()
    return job


def retry_failed(user, job: Job, *, request=None) -> Job | None:
    """A new job for the objects this one failed on (same kind, same choices); None when none failed."""
    _controlled(user, job)
    failures = list(dict.fromkeys(job.failures.values_list("key", "dest_key")))  # a replay may list one twice
    if not failures:
        return None
    params = dict(job.params)
    if job.kind in (Job.Kind.COPY, Job.Kind.MOVE):
        params["items"] = [[key, dest] for key, dest in failures]
    elif job.kind == Job.Kind.DELETE:
        params["items"] = [key for key, _ in failures]
    else:
        return resume_job(user, job, request=request)
    retry = start_job(user, job.kind, job.connection, request=request, objects_total=len(failures),
                      target=f"{len(failures)} failed of job {job.pk}",  # i18n: not shown (stored: the audit's target)
                      dest_connection=job.dest_connection or None,
                      **{k: v for k, v in params.items()})
    Job.objects.filter(pk=retry.pk).update(retry_of=job)
    return retry


def folder_size(connection: str, prefix: str) -> FolderSize | None:
    """The last computed size of a folder, or None."""
    return FolderSize.objects.filter(connection=connection, prefix=prefix).first()


def active_jobs(user):
    return visible_jobs(user).filter(Q(state=Job.State.QUEUED) | Q(state=Job.State.RUNNING))


RECENT_DAYS = 7  # how long a finished job stays in a person's Jobs panel


def panel_jobs(user, connection: str, *, limit: int = 12) -> list[Job]:
    """A person's own jobs on one connection (from it, or into it), running or finished lately, newest first."""
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    mine = (Job.objects.filter(Q(connection=connection) | Q(dest_connection=connection), created_by=user)
            if user.is_authenticated else Job.objects.none())
    return list(mine.filter(Q(state__in=[Job.State.QUEUED, Job.State.RUNNING]) | Q(finished_at__gte=since))[:limit])
