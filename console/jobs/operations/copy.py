"""Copy and move (rename) files and folders, within a connection or to another one.

Where the storage can copy by itself (one bucket, or one storage with the same credentials: the
gateway's `copy_route`), objects up to MULTIPART_COPY_ABOVE go in one CopyObject, larger ones part
by part (UploadPartCopy), with their content type and metadata. Otherwise the bytes pass through
the worker (operations/stream.py). Each batch's destinations are decided before anything is copied
and kept in the intent, so a resumed job uses the same "keep both" names. A move deletes a source
only once a HEAD of its copy shows the size and the ETag the copy returned.
"""

from __future__ import annotations

import contextlib
import math
from functools import cached_property

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from console.jobs.operations.base import MISSING, Operation
from console.jobs.operations.naming import keep_both_name
from console.jobs.operations.stream import CopyCheckFailed, Streamer, earlier_copy
from console.jobs.progress import done, failed, skipped
from console.jobs.walk import is_folder
from storage.digests import is_plain_md5, multipart_etag
from storage.gateway import STREAMED, IntegrityFailure, InvalidKey, NotSupported, ObjectNotFound, StorageError
from storage.keys import validate_key

GiB = 1024 ** 3
MULTIPART_COPY_ABOVE = 5 * GiB  # CopyObject's limit
COPY_PART_SIZE = 512 * 1024 ** 2
MAX_PARTS = 10_000
HEADS_PER_PAGE = 50  # a listing page of a crowded destination is worth this many HEADs, at most

SKIP, OVERWRITE, KEEP_BOTH = "skip", "overwrite", "keep_both"
CONFLICT_CHOICES = (SKIP, OVERWRITE, KEEP_BOTH)


def destination(source: str, dest: str, key: str) -> str:
    """Where `key`, found under the source `source` (a key or a folder), goes when `source` goes to `dest`.

    Raises InvalidKey when that is no key the console writes: a source storage may hold names (a `..`
    segment, say) that a storage which normalises paths would resolve outside the destination folder.
    """
    return validate_key(dest + key[len(source):]) if is_folder(source) else dest


class Copy(Operation):
    """params: {"items": [[source, dest], ...], "conflict": "skip" | "overwrite" | "keep_both"}.

    A source is a key (its dest is a key) or a folder ending in '/' (its dest is a folder), the dest
    on the job's `dest_connection` when it has one.
    """

    count_first = True
    move = False

    def __init__(self, ctx):
        super().__init__(ctx)
        self.dest = ctx.job.dest_connection or ctx.connection

    @cached_property
    def streamer(self) -> Streamer | None:
        """How the bytes go: None where the storage copies them itself, else a Streamer through this worker."""
        if self.dest == self.connection:
            return None
        route = self.ctx.run_one(self.gateway.copy_route, self.connection, self.dest)
        return Streamer(self.ctx, self.connection, self.dest) if route == STREAMED else None

    def head_dest(self, key: str):
        return self.head(key, self.dest)

    @property
    def page_size(self) -> int:
        return settings.JOBS_BATCH_OBJECTS

    def sources(self):
        return [source for source, _ in self.params["items"]]

    # --- planning: decide every destination before anything is written ---

    def plan(self, entries):
        natural, refused = [], {}
        for index, entry in entries:
            try:
                natural.append((entry, destination(*self.params["items"][index], entry.key)))
            except InvalidKey as e:
                refused[entry.key] = str(e)
        existing = self._existing(entries, [dest for _, dest in natural])
        taken: set[str] = set()
        items = [{"src": key, "size": 0, "etag": "", "dest": "", "natural": "", "action": "refused", "why": why,
                  "before": None} for key, why in refused.items()]
        for (entry, dest), meta in zip(natural, existing, strict=True):
            item = {"src": entry.key, "size": entry.size, "etag": entry.etag, "dest": dest, "natural": dest,
                    "action": "copy", "before": None}
            if entry.size == MISSING:
                item["action"] = "missing"
            elif entry.key.endswith("/"):
                item["action"] = "folder"  # a folder that exists already is merged into, never renamed
            elif meta is not None or dest in taken:
                self._resolve(item, meta, taken)
            taken.add(item["dest"])
            items.append(item)
        return items

    def _existing(self, entries, dests: list[str]) -> list:
        """What is at each destination now (None: nothing there).

        A batch of one copied folder within a connection goes to one folder, in the order the storage lists
        it: a HEAD of the first destination and a listing from there answer for all of them (a HEAD each took
        a quarter of a copy job's time). Other batches, destinations on another connection (whose storage
        may list in another order), and destinations a few listing pages did not reach (a folder crowded
        with other names) get a HEAD each."""
        index = entries[0][0] if entries else None
        if (len(dests) < 3 or self.dest != self.connection or not is_folder(self.params["items"][index][0])
                or any(i != index for i, _ in entries)):
            return self.ctx.map(self.head_dest, dests)
        found, complete = self._listed(self.params["items"][index][1], dests)
        unknown = [] if complete else [dest for dest in dests if dest not in found]
        found.update(zip(unknown, self.ctx.map(self.head_dest, unknown), strict=True))
        return [found.get(dest) for dest in dests]

    def _listed(self, folder: str, dests: list[str]) -> tuple[dict, bool]:
        """The objects at `dests` that a listing of `folder` from the first of them shows, and whether it went
        past the last of them (then a destination it did not show has nothing there). Only the storage's own
        order is relied on, never a comparison of names: S3 lists in byte order, SeaweedFS folder by folder."""
        wanted = set(dests)
        found = {dests[0]: self.ctx.run_one(self.head_dest, dests[0])}  # StartAfter leaves out the key it names
        after = dests[0]
        for _page in range(max(1, len(dests) // HEADS_PER_PAGE)):
            page = self.ctx.run_one(self.gateway.list_objects, self.dest, folder, delimiter="", max_keys=1000,
                                    start_after=after)
            found.update((o.key, o) for o in page.objects if o.key in wanted)
            if not page.is_truncated or not page.objects or dests[-1] in found:
                return found, True
            after = page.objects[-1].key
        return found, False

    def _resolve(self, item: dict, meta, taken: set[str]) -> None:
        choice = self.params["conflict"]
        if choice == SKIP:
            item["action"] = "skip"
        elif choice == OVERWRITE:
            item["before"] = meta.etag if meta else None  # tells our own copy from what was there
        else:
            item["dest"] = keep_both_name(item["dest"], lambda name: name in taken or
                                          self.ctx.run_one(self.head_dest, name) is not None)

    # --- work: one item at a time per thread ---

    def work(self, items):
        _ = self.streamer  # the route is decided here, in the main thread (its tasks only read it)
        return [([item], lambda item=item: [self._one(item)]) for item in items]

    def _one(self, item: dict):
        source, dest, natural = item["src"], item["dest"], item["natural"]
        if item["action"] == "missing":
            return failed(source, _("There is no such object."), natural)
        if item["action"] == "refused":
            return failed(source, _("Its name cannot be written at the destination: %(why)s") % {"why": item["why"]})
        if item["action"] == "skip":
            return skipped(source, dest)
        if item["action"] == "folder":
            self.ctx.call(self.gateway.simple_upload, self.dest, dest, b"")
            return done(source, 0, dest)
        try:
            etag = self._copy(item)
        except ObjectNotFound:
            if self.move and self._moved_before(item):
                return done(source, item["size"], dest)
            return failed(source, _("The object was gone when its turn came."), natural)
        except CopyCheckFailed as e:  # streamed: the bytes, or the source, failed a check; nothing stays written
            return failed(source, str(e), natural)
        except IntegrityFailure:
            etag, outcome = self._refused(item)
            if outcome is not None:
                return outcome
        except NotSupported as e:
            if self.streamer is not None:
                raise  # this edition cannot move bytes between storages: the job stops, saying so
            return failed(source, str(e), natural)
        except StorageError as e:
            return failed(source, str(e), natural)
        if self.move:
            return self._remove_source(item, etag)
        return done(source, item["size"], dest)

    def _refused(self, item: dict):
        """A copy refused on condition: the source changed, or an object is at the destination. (This job's own
        earlier copy's ETag, None) when that object is one, else (None, the outcome)."""
        source, dest, natural = item["src"], item["dest"], item["natural"]
        try:
            there = self.ctx.call(self.head_dest, dest) if self._dest_absent(item) else None
            if there is None:
                return None, failed(source, _("The object changed while the job ran; it was not copied."), natural)
            if self._is_copy_of(item, there):
                return there.etag, None  # from a run a worker did not finish (or the same bytes)
        except StorageError as e:
            return None, failed(source, str(e), natural)
        if self.params["conflict"] == SKIP:
            return None, skipped(source, dest)
        return None, failed(source, _("An object was saved at %(dest)s after the job chose that name; it was not "
                                      "overwritten.") % {"dest": dest}, natural)

    def _dest_absent(self, item: dict) -> bool:
        """The plan found no object at the destination, and the person did not ask to overwrite: a copy must
        not land on one that appeared since (before a resume days later, say), whatever the intent says."""
        return item["before"] is None and self.params["conflict"] != OVERWRITE

    def _is_copy_of(self, item: dict, meta) -> bool:
        if self.streamer is not None:
            return self.streamer.holds_copy(item, meta)
        return meta.size == item["size"] and meta.etag in {item["etag"], item.get("expect")} - {"", None}

    def _copy(self, item: dict) -> str:
        if self.streamer is not None:
            return self.streamer.copy(item, dest_absent=self._dest_absent(item))
        if item["size"] > MULTIPART_COPY_ABOVE:
            return self._copy_in_parts(item)
        return self.ctx.call(self.gateway.server_copy, self.connection, item["src"], item["dest"],
                             if_match=item["etag"] or None, dest_absent=self._dest_absent(item),
                             dest_oss_id=self.dest)

    def _copy_in_parts(self, item: dict) -> str:
        """Over 5 GiB: part by part (UploadPartCopy). The copy's ETag goes into the intent before the completion,
        which is made on condition: a replay knows this job's own copy, and never overwrites another's."""
        call, gateway = self.ctx.call, self.gateway
        source, dest, size = item["src"], item["dest"], item["size"]
        earlier = earlier_copy(lambda key: call(self.head_dest, key), item)
        if earlier:
            return earlier
        if self._dest_absent(item) and call(self.head_dest, dest) is not None:
            raise IntegrityFailure(_("'%(key)s' exists already.") % {"key": dest})  # not GiBs copied for a completion refused
        meta = call(gateway.get_object_meta, self.connection, source)
        if item["etag"] and meta.etag != item["etag"]:
            raise IntegrityFailure(_("'%(key)s' changed since it was listed.") % {"key": source})
        try:
            upload_id = call(gateway.create_multipart_upload, self.dest, dest, content_type=meta.content_type,
                             metadata=meta.metadata)
        except NotSupported:  # the commercial edition: its server copies in parts itself
            call(gateway.copy_object, self.connection, source, dest)
            return call(gateway.get_object_meta, self.connection, dest).etag
        part = max(COPY_PART_SIZE, math.ceil(size / MAX_PARTS))
        try:
            parts = [(number, call(gateway.server_copy_part, self.connection, source, dest, upload_id, number, first,
                                   min(first + part, size) - 1, if_match=meta.etag, dest_oss_id=self.dest))
                     for number, first in enumerate(range(0, size, part), 1)]
            if all(is_plain_md5(etag) for _, etag in parts):
                self.ctx.remember(item, expect=multipart_etag([etag for _, etag in parts]))
            return call(gateway.complete_multipart_upload, self.dest, dest, upload_id, parts,
                        dest_absent=self._dest_absent(item))
        except BaseException:
            with contextlib.suppress(StorageError):  # else left for "abort old uploads"
                gateway.abort_multipart_upload(self.dest, dest, upload_id)
            raise

    def _remove_source(self, item: dict, etag: str):
        source, dest = item["src"], item["dest"]
        copy = self.ctx.call(self.head_dest, dest)
        if copy is None or copy.size != item["size"] or copy.etag != etag:
            return failed(source, _("The copy at %(dest)s could not be confirmed (size or ETag differ); the source "
                                    "was kept.") % {"dest": dest}, item["natural"])
        if self.dest != self.connection and item["before"] and item["before"] == item["etag"]:
            # That very version was there before: perhaps the same object, through two names for one bucket that
            # the gateway cannot tell apart (two host names of one server). Deleting it could delete the copy too.
            return failed(source, _("%(connection)s:%(dest)s held this very version already; the source was kept (the "
                                    "two connections may be one bucket under two names).") % {
                                        "connection": self.dest, "dest": dest}, item["natural"])
        self.ctx.check()
        try:  # only the version that was copied (the copy was made on the same condition): a new one stays
            self.ctx.call(self.gateway.delete_file, self.connection, source, if_match=item["etag"] or None)
        except ObjectNotFound:
            pass  # gone already: deleted by this job before a worker died, or by someone else
        except IntegrityFailure:
            if self.ctx.call(self.head, source) is not None:  # SeaweedFS answers 412, not 404, for a key gone
                return failed(source, _("%(source)s changed after it was copied to %(dest)s; the new version was "
                                        "kept (the copy holds the old one).") % {"source": source, "dest": dest},
                              item["natural"])
        return done(source, item["size"], dest)

    def _moved_before(self, item: dict) -> bool:
        """A replayed move whose source is gone: was it this job that moved it (before a worker died)?"""
        copy = self.head_dest(item["dest"])
        return copy is not None and copy.size == item["size"] and copy.etag != item["before"]

    # --- the end of a folder, and of the job ---

    def finish_source(self, index):
        source, dest = self.params["items"][index]
        if is_folder(source):
            self.ctx.run_one(self.gateway.simple_upload, self.dest, dest, b"")  # an empty folder arrives too
            if self.move:
                self.ctx.run_one(self.gateway.delete_empty_folders, self.connection, source)
        return []

    def verify(self):
        job = self.ctx.job
        handled = job.objects_done + job.objects_skipped + job.objects_failed
        if job.objects_total is not None and handled < job.objects_total:
            gone = job.objects_total - handled
            return ngettext("%(count)s of the %(total)s objects counted at the start was gone when its turn came.",
                            "%(count)s of the %(total)s objects counted at the start were gone when their turn came.",
                            gone) % {"count": gone, "total": job.objects_total}
        return None

    def finish(self):
        job = self.ctx.job
        handled = job.objects_done + job.objects_skipped + job.objects_failed
        return {"objects_total": max(handled, job.objects_total or 0)}


class Move(Copy):
    move = True

    def verify(self):
        problem = super().verify()
        if problem:
            return problem
        job = self.ctx.job
        for source in filter(is_folder, self.sources()):
            page = self.ctx.run_one(self.gateway.list_objects, self.connection, source, delimiter="", max_keys=1000)
            left = [o.key for o in page.objects if not o.key.endswith("/")]
            if len(left) > job.objects_skipped + job.objects_failed:
                return ngettext("%(count)s object is still under %(folder)s, more than the job skipped or failed.",
                                "%(count)s objects are still under %(folder)s, more than the job skipped or failed.",
                                len(left)) % {"count": len(left), "folder": source}
        return None
