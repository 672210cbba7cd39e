"""Copy an object to a connection that shares no storage with its source: the bytes pass through this worker.

An object up to one part goes in one PutObject; a larger one in a multipart upload, a few parts in
flight. Every read is a ranged GET pinned to the source's ETag (If-Match): an object replaced in the
middle of its copy fails, and never mixes two versions' bytes. A job holds at most
JOBS_STREAM_PARTS_IN_FLIGHT x JOBS_STREAM_PART_MB bytes of objects in memory, whatever their sizes and
however many it copies at once.

Checks: each part's ETag is the MD5 of the bytes sent (and the storage checked their Content-MD5);
a plain source ETag is the MD5 of all the bytes; the checksums the source's storage keeps (SHA-256,
SHA-1, CRC32) match; the copy's size is the source's. A check that fails removes what was written
and fails the object (a move keeps its source).

Resume: the upload id is in the job's intent before a part is sent, and the finished copy's ETag
before it is completed. A worker that replays the batch reads the source again, sends only the parts
the upload lacks, and knows its own finished copy; an upload it cannot continue is aborted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import math
import threading
from concurrent.futures import Future, wait

from django.conf import settings
from django.utils.translation import gettext as _

from console.jobs.lease import LeaseLost
from console.jobs.progress import Interrupted
from storage.digests import Checksums, is_plain_md5, multipart_etag
from storage.gateway import IntegrityFailure, ObjectMeta, ObjectNotFound, StorageError, StorageRequestFailed

MiB = 1024 * 1024
MAX_PARTS = 10_000
ASKED_MARGIN = dt.timedelta(minutes=5)  # clocks of a worker and of a storage may differ by this much


class CopyCheckFailed(IntegrityFailure):
    """A check of the bytes failed (or the source changed mid-copy): the object fails with this cause as is."""


class ByteBudget:
    """At most `limit` bytes held at once by the tasks that take from it; one oversized take when nothing is held."""

    def __init__(self, limit: int):
        self.limit, self.used = limit, 0
        self._changed = threading.Condition()

    def take(self, size: int, check) -> None:
        with self._changed:
            while self.used and self.used + size > self.limit:
                self._changed.wait(0.2)
                check()  # a job that stops does not wait for room
            self.used += size

    def give(self, size: int) -> None:
        with self._changed:
            self.used -= size
            self._changed.notify_all()


class Streamer:
    """Copies from `source` to `dest` (connection names) for one run of one job."""

    def __init__(self, ctx, source: str, dest: str):
        self.ctx, self.gateway, self.source, self.dest = ctx, ctx.gateway, source, dest
        self.part_size = settings.JOBS_STREAM_PART_MB * MiB
        self.in_flight = settings.JOBS_STREAM_PARTS_IN_FLIGHT
        self.budget = ByteBudget(self.in_flight * self.part_size)

    def part_size_for(self, size: int) -> int:
        """The configured part size, or a larger one (whole MiB) that keeps the object within 10,000 parts."""
        return max(self.part_size, math.ceil(size / MAX_PARTS / MiB) * MiB)

    def copy(self, item: dict, *, dest_absent: bool) -> str:
        """Copy `item` (an intent item: src, dest, size, etag); the copy's ETag. Raises StorageError, CopyCheckFailed."""
        if item["size"] <= self.part_size and not item.get("upload"):
            return self._in_one(item, dest_absent)
        return self._in_parts(item, dest_absent)

    def holds_copy(self, item: dict, there: ObjectMeta) -> bool:
        """Whether `there`, at the destination, holds the source's bytes: an earlier run's copy in one PutObject (its
        ETag, the MD5 of the bytes, differs from a multipart source's) or in parts (the ETag written beforehand)."""
        if there.size != item["size"]:
            return False
        if there.etag in (item["etag"], item.get("expect")):
            return True
        if not is_plain_md5(there.etag) or item["size"] > self.part_size:
            return False
        data, _ = self._read(item, item["etag"], None)
        return hashlib.md5(data).hexdigest() == there.etag

    # --- reading, pinned to one version ---

    def _read(self, item: dict, etag: str, byte_range: tuple[int, int] | None, *,
              keep: bool = False) -> tuple[bytes, ObjectMeta]:
        """The bytes (all, or a range) and the object's metadata, held against the budget while read; with `keep`,
        until the caller gives them back."""
        size = item["size"] if byte_range is None else byte_range[1] - byte_range[0] + 1
        self.budget.take(size, self.ctx.check)
        kept = False
        try:
            answer = self.ctx.call(self._read_once, item["src"], etag, byte_range)
            kept = keep
            return answer
        except IntegrityFailure as e:  # 412 (another ETag now), or a body cut short
            raise self._changed(item, e) from e
        finally:
            if not kept:
                self.budget.give(size)

    def _read_once(self, key: str, etag: str, byte_range) -> tuple[bytes, ObjectMeta]:
        with self.gateway.open_object(self.source, key, range=byte_range, if_match=etag or None) as stream:
            return stream.readall(), stream.meta

    def _changed(self, item: dict, error: IntegrityFailure) -> IntegrityFailure:
        try:
            now = self.ctx.call(self.gateway.get_object_meta, self.source, item["src"])
        except ObjectNotFound:
            return CopyCheckFailed(_("%(key)s was deleted while it was being copied; the copy was abandoned.") % {
                "key": item["src"]})
        if item["etag"] and now.etag != item["etag"]:
            return CopyCheckFailed(_("%(key)s changed while it was being copied; the copy was abandoned (nothing of "
                                     "the new version was copied).") % {"key": item["src"]})
        return error

    # --- one PutObject ---

    def _in_one(self, item: dict, dest_absent: bool) -> str:
        data, meta = self._read(item, item["etag"], None, keep=True)
        try:
            digest = hashlib.md5(data).digest()  # hashed once: checked here, and sent as Content-MD5
            md5 = digest.hex()
            self._check_whole(item, len(data), md5, Checksums(meta.checksums), data)
            etag = self.ctx.call(self.gateway.put_object, self.dest, item["dest"], data, md5=digest,
                                 content_type=meta.content_type, metadata=meta.metadata, dest_absent=dest_absent)
        finally:
            self.budget.give(item["size"])
        if is_plain_md5(etag) and etag != md5:
            self._remove(item["dest"], etag, md5)
            raise CopyCheckFailed(_("The copy of %(key)s arrived with ETag %(etag)s, not the MD5 of the bytes sent "
                                    "(%(md5)s); it was removed.") % {"key": item["src"], "etag": etag, "md5": md5})
        return etag or md5

    def _check_whole(self, item: dict, size: int, md5: str, sums: Checksums, data: bytes = b"") -> None:
        if data:
            sums.update(data)
        if size != item["size"]:
            raise CopyCheckFailed(_("%(key)s gave %(read)s bytes; it has %(size)s.") % {
                "key": item["src"], "read": size, "size": item["size"]})
        if is_plain_md5(item["etag"]) and md5 != item["etag"]:
            raise CopyCheckFailed(_("The bytes read from %(key)s have MD5 %(md5)s, not its ETag %(etag)s.") % {
                "key": item["src"], "md5": md5, "etag": item["etag"]})
        wrong = sums.mismatches()
        if wrong:
            raise CopyCheckFailed(_("The bytes read from %(key)s do not match the %(checksums)s checksum its storage "
                                    "keeps.") % {"key": item["src"], "checksums": ", ".join(wrong)})

    def _remove(self, key: str, *etags: str) -> None:
        """Delete what this job wrote at `key` (it has one of `etags`), never an object saved there since."""
        with contextlib.suppress(StorageError):  # best effort: the failure says what happened
            there = self.gateway.get_object_meta(self.dest, key)
            if there.etag in etags:
                self.gateway.delete_file(self.dest, key, if_match=there.etag)

    # --- a multipart upload ---

    def _in_parts(self, item: dict, dest_absent: bool) -> str:
        earlier = earlier_copy(self._head_dest, item)
        if earlier:
            return earlier
        if dest_absent and self._head_dest(item["dest"]) is not None:
            raise IntegrityFailure(_("'%(key)s' exists already.") % {"key": item["dest"]})  # not GiBs sent for a completion refused
        head = self.ctx.call(self.gateway.get_object_meta, self.source, item["src"], checksums=True)
        if item["etag"] and head.etag != item["etag"]:
            raise CopyCheckFailed(_("%(key)s changed since it was listed; it was not copied.") % {"key": item["src"]})
        upload_id, part, listed = self._upload(item, head)
        try:
            md5s = self._send_parts(item, head, upload_id, part, listed)
            return self._complete(item, upload_id, md5s, dest_absent)
        except BaseException as e:
            self._abort_if_abandoned(e, item["dest"], upload_id)
            raise

    def _abort_if_abandoned(self, error: BaseException, key: str, upload_id: str) -> None:
        """Abort the upload when the job lets it go: it failed the object, or the person cancelled. A worker that
        stops (or lost its lease, or storage that stayed away) leaves it to whoever resumes the job."""
        if isinstance(error, Interrupted | LeaseLost) and not self.ctx.lease.cancel_requested:
            return
        with contextlib.suppress(StorageError):  # else "abort old uploads" finds it
            self.gateway.abort_multipart_upload(self.dest, key, upload_id)

    def _upload(self, item: dict, head: ObjectMeta) -> tuple[str, int, dict]:
        """The upload to send parts to: an earlier run's (with the parts it has), or a new one, recorded first."""
        known = item.get("upload") or {}
        if known.get("id"):
            try:
                parts = self.ctx.call(self.gateway.list_parts, self.dest, item["dest"], known["id"])
                return known["id"], known["part"], {p.part_number: p for p in parts}
            except ObjectNotFound:
                pass  # aborted since: start again
        elif known.get("asked"):
            self._abort_unrecorded(item["dest"], dt.datetime.fromisoformat(known["asked"]))
        part = self.part_size_for(item["size"])
        self.ctx.remember(item, upload={"part": part, "asked": dt.datetime.now(dt.UTC).isoformat()})
        upload_id = self.ctx.call(self.gateway.create_multipart_upload, self.dest, item["dest"],
                                  content_type=head.content_type, metadata=head.metadata)
        try:
            self.ctx.remember(item, upload={"part": part, "id": upload_id})
        except BaseException as e:
            self._abort_if_abandoned(e, item["dest"], upload_id)
            raise
        return upload_id, part, {}

    def _abort_unrecorded(self, key: str, asked: dt.datetime) -> None:
        """An upload started by a run that died before it could write down its id: the one at this key since then."""
        for upload in self.ctx.call(self.gateway.list_multipart_uploads, self.dest, key):
            if upload.key == key and upload.initiated is not None and upload.initiated >= asked - ASKED_MARGIN:
                with contextlib.suppress(ObjectNotFound):
                    self.ctx.call(self.gateway.abort_multipart_upload, self.dest, key, upload.upload_id)

    def _send_parts(self, item: dict, head: ObjectMeta, upload_id: str, part: int, listed: dict) -> list[str]:
        """Read the whole source in order (its MD5 and checksums need every byte), send the parts the upload lacks.

        Each part's MD5 is computed in the thread that sends it (hashlib lets go of the GIL), while this one reads
        the next part: on a busy machine the reads and the hashing overlap instead of taking turns."""
        whole = hashlib.md5() if is_plain_md5(item["etag"]) else None  # else there is nothing to compare it with
        sums, md5s, total = Checksums(head.checksums), [], 0
        sending: dict[Future, int] = {}  # each part in flight, and the bytes it holds
        try:
            for number, first in enumerate(range(0, item["size"], part), 1):
                self.ctx.check()  # a cancel is honoured between parts, even in the middle of a large object
                _raise_first_failure(sending)
                data, _ = self._read(item, head.etag, (first, min(first + part, item["size"]) - 1), keep=True)
                if whole is not None:
                    whole.update(data)
                sums.update(data)
                total += len(data)
                there = listed.get(number)
                if there is not None and there.size == len(data) and there.etag.strip('"') == _md5(data).hex():
                    md5s.append(there.etag.strip('"'))
                    self.budget.give(len(data))  # an earlier run sent it: not again
                    continue
                future = self.ctx.submit_part(self.in_flight, self._send_part, item, upload_id, number, data)
                sending[future] = len(data)
                md5s.append(future)
            wait(sending)
            _raise_first_failure(sending)
        finally:
            for future, size in sending.items():
                if future.cancel():  # never ran: its bytes go back to the budget here
                    self.budget.give(size)
            wait(sending)
        self._check_whole(item, total, whole.hexdigest() if whole is not None else "", sums)
        return [md5 if isinstance(md5, str) else md5.result() for md5 in md5s]

    def _send_part(self, item: dict, upload_id: str, number: int, data: bytes) -> str:
        """Send one part, with its MD5 (hashed once: sent as Content-MD5, then compared with the ETag); its MD5."""
        try:
            digest = _md5(data)
            etag = self.ctx.call(self.gateway.upload_part, self.dest, item["dest"], upload_id, number, data, md5=digest)
        except ObjectNotFound as e:
            raise StorageRequestFailed(_("The upload of %(key)s was aborted by someone else while the job sent it.")
                                       % {"key": item["dest"]}) from e
        finally:
            self.budget.give(len(data))
        if is_plain_md5(etag) and etag != digest.hex():
            raise CopyCheckFailed(_("Part %(number)s of %(key)s arrived with ETag %(etag)s, not the MD5 of the bytes "
                                    "sent (%(md5)s).") % {"number": number, "key": item["src"], "etag": etag,
                                                          "md5": digest.hex()})
        return digest.hex()

    def _complete(self, item: dict, upload_id: str, md5s: list[str], dest_absent: bool) -> str:
        expected = multipart_etag(md5s)
        self.ctx.remember(item, expect=expected)  # a replay after the completion knows its copy by this
        self.ctx.call(self.gateway.complete_multipart_upload, self.dest, item["dest"], upload_id,
                      list(enumerate(md5s, 1)), dest_absent=dest_absent)
        copy = self._head_dest(item["dest"])
        # A storage that names multipart objects otherwise (not "md5-N") is held to the size alone.
        if copy is None or copy.size != item["size"] or (_multipart_form(copy.etag) and copy.etag != expected):
            if copy is not None:
                self._remove(item["dest"], copy.etag)
            sent = {"key": item["src"], "size": item["size"], "expected": expected}
            if copy is None:
                raise CopyCheckFailed(_("The copy of %(key)s holds nothing once completed; %(size)s bytes with ETag "
                                        "%(expected)s were sent. It was removed.") % sent)
            raise CopyCheckFailed(_("The copy of %(key)s holds %(found)s bytes with ETag %(etag)s once completed; "
                                    "%(size)s bytes with ETag %(expected)s were sent. It was removed.") % {
                                        **sent, "found": copy.size, "etag": copy.etag})
        return copy.etag

    def _head_dest(self, key: str) -> ObjectMeta | None:
        try:
            return self.ctx.call(self.gateway.get_object_meta, self.dest, key)
        except ObjectNotFound:
            return None


def earlier_copy(head_dest, item: dict) -> str | None:
    """The ETag of the copy an earlier run of the job completed (it wrote the ETag it expected first), when there."""
    if not item.get("expect"):
        return None
    there = head_dest(item["dest"])
    if there is not None and there.size == item["size"] and there.etag == item["expect"]:
        return there.etag
    return None


def _multipart_form(etag: str) -> bool:
    md5, _, count = etag.partition("-")
    return is_plain_md5(md5) and count.isdigit()


def _md5(data: bytes) -> bytes:
    return hashlib.md5(data).digest()


def _raise_first_failure(futures) -> None:
    for future in futures:
        if future.done() and not future.cancelled() and future.exception() is not None:
            raise future.exception()
