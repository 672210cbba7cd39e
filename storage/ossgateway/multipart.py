"""`upload_file` above the threshold: initmultiupload → uploadpart per part → completeupload.

Parts are read one after another and sent in parallel; at most `concurrency + 1` parts
are in memory at once (one being read, the others being sent), so memory does not grow with the file. A failed part is retried
(a PUT of the same bytes is idempotent); starting and completing the upload are not.
Any failure aborts the upload so no parts are left behind.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import IO, Protocol

from django.utils.translation import gettext as _

from storage.gateway import AccessDenied, IntegrityFailure, StorageError, StorageUnreachable, object_on
from storage.ossgateway.transport import Signed, Storage
from storage.threads import in_this_language

log = logging.getLogger("storage.ossgateway")
PART_ATTEMPTS = 3
RETRYABLE = (StorageUnreachable, IntegrityFailure, AccessDenied)  # each attempt signs afresh
PART_EXPIRES = 3600


def read_parts(head: bytes, file: IO[bytes], part_size: int) -> Iterator[bytes]:
    """`head` then the rest of `file`, cut into parts of `part_size` (the last may be shorter).

    Once `head` is used up, parts are read straight from the file without copies.
    """
    buffer = bytearray(head)
    while True:
        if buffer:
            more = read_full(file, part_size - len(buffer)) if len(buffer) < part_size else b""
            buffer += more
            part = bytes(buffer[:part_size])
            del buffer[:part_size]
        else:
            part = read_full(file, part_size)
        if not part:
            return
        yield part
        if len(part) < part_size and not buffer:
            return


def read_full(file: IO[bytes], size: int) -> bytes:
    """Read `size` bytes unless the file ends first (raw streams may return less)."""
    data = file.read(size)
    if not data or len(data) == size:
        return data or b""
    chunks = [data]
    received = len(data)
    while received < size:
        more = file.read(size - received)
        if not more:
            break
        chunks.append(more)
        received += len(more)
    return b"".join(chunks)


class Client(Protocol):
    """What an upload needs of the OssGatewayClient that starts it (a protocol: the client imports this module)."""

    concurrency: int
    storage: Storage

    def _start_multipart(self, oss_id: str, key: str, *, internal: bool, metadata: dict[str, str], **params) -> dict: ...

    def _sign(self, verb: str, oss_id: str, key: str, *, internal: bool, retry: bool = ..., **params) -> dict: ...

    def complete_multipart_upload(self, oss_id: str, key: str, upload_id: str, parts: list[tuple[int, str]]) -> str: ...

    def abort_multipart_upload(self, oss_id: str, key: str, upload_id: str) -> None: ...


class MultipartUpload:
    def __init__(self, client: Client, oss_id: str, key: str, size: int | None,
                 content_type: str | None, internal: bool, metadata: dict[str, str] | None = None):
        self.client, self.oss_id, self.key, self.size = client, oss_id, key, size
        self.content_type, self.internal, self.metadata = content_type, internal, metadata or {}
        self.where = object_on(oss_id, key)

    def run(self, head: bytes, file: IO[bytes]) -> str:
        answer = self.client._start_multipart(self.oss_id, self.key, internal=self.internal, metadata=self.metadata,
                                              size=self.size, content_type=self.content_type)
        upload_id, part_size = str(answer["upload_id"]), int(answer["part_size"])
        try:
            etags, total = self._send_parts(upload_id, part_size, head, file)
            if self.size is not None and total != self.size:
                raise IntegrityFailure(_("The file for '%(key)s' held %(held)s bytes; %(size)s were expected.") % {
                    "key": self.key, "held": total, "size": self.size})
            return self.client.complete_multipart_upload(self.oss_id, self.key, upload_id, etags)
        except BaseException:
            self._abort(upload_id)
            raise

    def _send_parts(self, upload_id: str, part_size: int, head: bytes, file: IO[bytes]):
        slots = threading.Semaphore(self.client.concurrency + 1)
        futures: list[Future] = []
        total = 0
        with ThreadPoolExecutor(self.client.concurrency, thread_name_prefix="ossgw-put") as pool:
            parts = read_parts(head, file, part_size)
            try:
                for number in itertools.count(1):
                    slots.acquire()  # before reading: parts in memory stay within the slots
                    failed = next((f for f in futures if f.done() and f.exception()), None)
                    if failed is not None:
                        raise failed.exception()
                    data = next(parts, None)
                    if data is None:
                        break
                    total += len(data)
                    future = pool.submit(in_this_language(self._send_part), upload_id, number, data)
                    future.add_done_callback(lambda _f: slots.release())
                    futures.append(future)
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
        return [(number, f.result()) for number, f in enumerate(futures, start=1)], total

    def _send_part(self, upload_id: str, number: int, data: bytes) -> str:
        last: StorageError | None = None
        for _attempt in range(PART_ATTEMPTS):
            try:
                answer = self.client._sign("uploadpart", self.oss_id, self.key, internal=self.internal,
                                           part_id=number, part_num=1, upload_id=upload_id, Expires=PART_EXPIRES)
                signed = Signed.from_json(answer[str(number)])
                response = self.client.storage.send(signed, where=self.where, data=data)
                response.close()
                etag = response.headers.get("ETag", "")
                if not etag:
                    raise IntegrityFailure(_("The storage gave no ETag for part %(number)s of '%(key)s'.") % {
                        "number": number, "key": self.key})
                return etag
            except RETRYABLE as e:
                last = e
        assert last is not None
        raise last

    def _abort(self, upload_id: str) -> None:
        try:
            self.client.abort_multipart_upload(self.oss_id, self.key, upload_id)
        except StorageError as e:  # a genuine manager cannot abort; S3 expires the parts by lifecycle
            log.warning("could not abort the multipart upload of %s: %s", self.where, e)
