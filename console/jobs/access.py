"""What a job may touch: the one check, asked when a job starts (console/jobs/services.py), when it resumes,
and by its worker before each batch (console/jobs/walk.py), all through console/access/rules.py.

Its own module, below services and the runner, so the worker asks it without importing the task queue.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from console.access import rules
from console.jobs.models import Job
from console.roles import EDITOR, MANAGER, VIEWER

# The role a job needs on what it reads or deletes (its sources); what it writes (copy and move) needs an editor.
SOURCE_ROLE = {Job.Kind.DELETE: EDITOR, Job.Kind.COPY: VIEWER, Job.Kind.MOVE: EDITOR,
               Job.Kind.ABORT_UPLOADS: MANAGER, Job.Kind.FOLDER_SIZE: VIEWER}
DEST_ROLE = EDITOR


def require_access(user, kind: str, connection: str, sources: list[str], dests: list[str] = (), *,
                   dest_connection: str | None = None) -> None:
    """The one check of what a job may touch: when it starts, when it resumes, and before each of its batches.

    Each source (a key, or a folder with all it holds) needs SOURCE_ROLE (a copy reads: viewer; a move or a
    delete changes it: editor), each destination an editor, on `dest_connection` when the job writes to
    another connection. Raises Http404 where the person sees nothing, PermissionDenied where their role is weaker.
    """
    for source in sources:
        rules.require(user, SOURCE_ROLE[kind], connection, source)
    for dest in dests:
        rules.require(user, DEST_ROLE, dest_connection or connection, dest)


def ends(kind: str, params: dict) -> tuple[list[str], list[str]]:
    """What a job's checked params read or delete, and what they write."""
    if kind in (Job.Kind.COPY, Job.Kind.MOVE):
        return [source for source, _ in params["items"]], [dest for _, dest in params["items"]]
    if kind == Job.Kind.ABORT_UPLOADS:
        return [params.get("prefix", "")], []
    return list(params["items"]), []


def may_run(user, job: Job) -> bool:
    """Whether a person holds, now, all the access `job` needs."""
    try:
        require_access(user, job.kind, job.connection, *ends(job.kind, job.params),
                       dest_connection=job.dest_connection or None)
    except (Http404, PermissionDenied):
        return False
    return True


def access_problem(job: Job) -> str | None:
    """Why `job` must stop because the person who started it lost the access it needs, or None (the worker's check).

    The person is read afresh: a grant withdrawn, a group left or an account deactivated counts at once.
    """
    starter = get_user_model().objects.filter(pk=job.created_by_id).first() if job.created_by_id else None
    if starter is not None and may_run(starter, job):
        return None
    if job.dest_connection:
        sentence = _("%(who)s no longer has the access this job needs on %(connection)s and %(dest_connection)s.")
    else:
        sentence = _("%(who)s no longer has the access this job needs on %(connection)s.")
    return sentence % {"who": job.created_by_name or _("The person who started it"), "connection": job.connection,
                       "dest_connection": job.dest_connection}
