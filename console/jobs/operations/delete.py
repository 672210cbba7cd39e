"""Delete files and folders of any size: DeleteObjects in batches of 1,000, a few in flight, then the folders."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from console.jobs.lease import LeaseLost
from console.jobs.operations.base import Operation
from console.jobs.progress import Interrupted, Outcome, RoundInterrupted, done, failed
from console.jobs.walk import is_folder
from storage.folders import FolderDeletion
from storage.gateway import DeleteResult, ObjectSummary, StorageError

BATCH = 1000  # S3's DeleteObjects limit


class Delete(Operation):
    """params: {"items": [key or folder prefix, ...]}."""

    page_size = BATCH

    @property
    def pages_per_round(self) -> int:
        return settings.JOBS_DELETE_BATCHES_IN_FLIGHT

    def entries_for_keys(self, keys):
        return [ObjectSummary(key, 0, "", None) for key in keys]  # a delete needs no HEAD

    def plan(self, entries):
        # Folder markers go last, with their folders (finish_source): a folder is removed once empty.
        return [[entry.key, entry.size] for _, entry in entries if not entry.key.endswith("/")]

    def work(self, items):
        return [(chunk, lambda chunk=chunk: self._delete(chunk)) for chunk in
                (items[start:start + BATCH] for start in range(0, len(items), BATCH))]

    def _delete(self, chunk: list) -> list:
        sizes = dict((key, size) for key, size in chunk)
        result = self.ctx.call(self.gateway.delete_objects, self.connection, list(sizes))
        return ([done(key, sizes.get(key, 0)) for key in result.deleted]
                + [failed(key, cause) for key, cause in result.errors.items()])

    def finish_source(self, index):
        """The folder itself: what a flat listing cannot show (markers, empty subfolders), and late arrivals.

        One storage request at a time, with a look for a cancel between two: a deep tree has many
        folders to list and delete. Stopped, the job says what is left (a resume does it).
        """
        prefix = self.sources()[index]
        deletion = self.gateway.folder_deletion(self.connection, prefix)
        outcomes: list[Outcome] = []
        try:
            while not deletion.finished:
                stop = self.ctx.interruption(fresh=True)
                if stop is not None:
                    raise stop
                result = self.ctx.run_one(deletion.step)
                if result is not None:
                    outcomes += self._files(result)
        except (Interrupted, LeaseLost, StorageError) as e:
            self.ctx.close()  # the request in flight ends first: what is left is then known
            raise RoundInterrupted(e, outcomes, [], left=left_in(prefix, deletion)) from e
        return outcomes

    @staticmethod
    def _files(result: DeleteResult) -> list[Outcome]:
        """Files deleted or not (a folder's key is not an object a person counts)."""
        return ([done(key) for key in result.deleted if not key.endswith("/")]
                + [failed(key, cause) for key, cause in result.errors.items() if not key.endswith("/")])

    def verify(self):
        for prefix in filter(is_folder, self.sources()):
            try:
                page = self.ctx.run_one(self.gateway.list_objects, self.connection, prefix, delimiter="", max_keys=1000)
            except StorageError as e:
                return _("Could not check that %(folder)s is empty: %(error)s") % {"folder": prefix, "error": e}
            left = [o for o in page.objects if not o.key.endswith("/")]
            if left:
                more = "+" if page.is_truncated else ""
                return ngettext("%(count)s object is still under %(folder)s (first: %(key)s).",
                                "%(count)s objects are still under %(folder)s (first: %(key)s).", len(left)) % {
                    "count": f"{len(left)}{more}", "folder": prefix, "key": left[0].key}
        return None

    def finish(self):
        job = self.ctx.job  # the count a confirmation page gave may have included folder markers
        return {"objects_total": job.objects_handled, "objects_total_at_least": False}


def left_in(prefix: str, deletion: FolderDeletion) -> str:
    """What a folder's clean-up stopped before deleting, in words."""
    queued = [key for key in deletion.queued if key != prefix]
    if not queued:
        if prefix in deletion.queued:
            return _("Stopped while removing the folders of %(folder)s: the folder itself is still there. Resume "
                     "finishes it.") % {"folder": prefix}
        return _("Stopped while removing the folders of %(folder)s: it had not yet listed what is left. Resume "
                 "finishes it.") % {"folder": prefix}
    folders = sum(1 for key in queued if key.endswith("/"))
    files = len(queued) - folders
    counted = {"folder": prefix, "first": queued[0], "folders": ngettext("%(count)s folder", "%(count)s folders", folders)
               % {"count": f"{folders:,}"}, "files": ngettext("%(count)s file", "%(count)s files", files) % {
                   "count": f"{files:,}"}}
    if folders and files:
        return _("Stopped while removing the folders of %(folder)s: %(folders)s and %(files)s in it are still to delete "
                 "(the first: %(first)s). Resume finishes it.") % counted
    what = counted["folders"] if folders else counted["files"]
    return ngettext("Stopped while removing the folders of %(folder)s: %(what)s in it is still to delete (the first: "
                    "%(first)s). Resume finishes it.",
                    "Stopped while removing the folders of %(folder)s: %(what)s in it are still to delete (the first: "
                    "%(first)s). Resume finishes it.", len(queued)) % {**counted, "what": what}
