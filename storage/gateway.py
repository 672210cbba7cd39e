"""The one storage interface (the seed's OssGateWay), its value types and its errors.

Every view, API handler and command reaches object storage through the gateway that
`storage.factory.get_gateway()` picks. This module imports no implementation: the S3
gateway (`storage.s3`) and the OSS Gateway Manager client (`storage.ossgateway`) import
it, never the other way round. Implementations translate their own failures into the
errors below, so callers never see boto3 or HTTP exceptions. `oss_id` is a connection
name (community edition) or a storage id of the OSS Gateway Manager (commercial edition).

`internal=True` means "for this server" (the connection's internal endpoint);
`internal=False` means "for a browser" (its public endpoint). Methods that move bytes
run on the server and default to internal; methods that hand out URLs default to public.
"""

from __future__ import annotations

import abc
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from storage.bucket_documents import LifecycleRule, ObjectLock
from storage.folders import FolderDeletion, TreeWalk, deepest_first
from storage.reader import Reader

# --- errors ---------------------------------------------------------------------------


class StorageError(Exception):
    """Base of every gateway error; `str(error)` is fit to show a person."""

    code = "storage_error"


class ConnectionNotFound(StorageError):
    code = "connection_not_found"


class ObjectNotFound(StorageError):
    code = "object_not_found"


class NoAvailableConnection(StorageError):
    code = "no_available_connection"


class StorageUnreachable(StorageError):
    code = "storage_unreachable"


class IntegrityFailure(StorageError):
    """Bytes received or stored do not match what was expected (size, ETag, parts)."""

    code = "integrity_failure"


class IncompleteBody(IntegrityFailure):
    """A streamed body ended before, or ran past, the size it was said to have; nothing was stored."""

    code = "incomplete_body"


class InvalidKey(StorageError):
    code = "invalid_key"


class NotSupported(StorageError):
    code = "not_supported"


class AccessDenied(StorageError):
    """The storage refused the credentials or the operation."""

    code = "access_denied"


class StorageRequestFailed(StorageError):
    """The storage answered with an error that has no more specific class."""

    code = "request_failed"


class BucketNotFound(StorageRequestFailed):
    """The connection's bucket does not exist (it can be created: `OssGateway.create_bucket`)."""

    code = "no_such_bucket"


class InvalidRequest(StorageRequestFailed):
    """The caller asked for something impossible (a part number, a URL lifetime out of bounds)."""

    code = "invalid_request"


def object_on(oss_id: str, key: str) -> str:
    """"'photos/a.jpg' on 'primary'": an object as the errors name it."""
    return _("'%(key)s' on '%(connection)s'") % {"key": key, "connection": oss_id}


# --- values ---------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadRequest:
    """A signed request a client sends to storage as is."""

    method: str
    url: str
    headers: dict[str, str]
    expires: int
    body: str | None = None


@dataclass(frozen=True)
class UploadPost:
    """A presigned POST policy: a browser form posts `fields` plus a `file` field to `url`."""

    url: str
    fields: dict[str, str]
    expires: int


@dataclass(frozen=True)
class ObjectMeta:
    key: str
    size: int
    etag: str
    content_type: str
    last_modified: dt.datetime | None
    metadata: dict[str, str] = field(default_factory=dict)
    storage_class: str = "STANDARD"
    # Whole-object checksums the storage keeps ({"sha256": base64, "crc32": base64, ...}), when asked for.
    checksums: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ObjectSummary:
    key: str
    size: int
    etag: str
    last_modified: dt.datetime | None
    storage_class: str = "STANDARD"

    @property
    def name(self) -> str:
        return self.key.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class ListPage:
    """One page of a listing under `prefix`, folders (common prefixes) first."""

    prefix: str
    folders: list[str]
    objects: list[ObjectSummary]
    next_token: str | None

    @property
    def is_truncated(self) -> bool:
        return self.next_token is not None


@dataclass(frozen=True)
class PartInfo:
    part_number: int
    etag: str
    size: int


@dataclass(frozen=True)
class MultipartUploadInfo:
    key: str
    upload_id: str
    initiated: dt.datetime | None


@dataclass(frozen=True)
class DeleteResult:
    deleted: list[str]
    errors: dict[str, str]  # key -> reason


@dataclass(frozen=True)
class StorageInfo:
    """A storage (connection) as the OSS Gateway Manager lists it."""

    id: str
    name: str
    default: bool
    enabled: bool


@dataclass(frozen=True)
class HealthReport:
    ok: bool
    latency_ms: float | None
    detail: str  # "bucket reachable" or the cause in plain words
    missing_bucket: bool = False  # the storage answered, and has no such bucket (pages offer creating it)


@dataclass(frozen=True)
class CorsRule:
    allowed_origins: list[str]
    allowed_methods: list[str]
    allowed_headers: list[str]
    expose_headers: list[str]
    max_age_seconds: int | None = None


STREAM_CHUNK = 1024 * 1024


class ObjectStream(io.RawIOBase):
    """A streaming read of one object, or of a byte range of it: what `OssGateway.open_object` returns.

    The bytes arrive as they are read, never all at once: `read(n)`, `readinto`, iteration by chunks,
    and `with`. `meta` describes the whole object (its size, not the range's); `length` is what this
    stream delivers, exactly: a body that ends sooner raises `IntegrityFailure` instead of passing a
    short read off as the end. Positions count from the stream's first byte (a range's, or the object's).

    With `reopen` (the gateways give one), the stream can `seek`: the next read asks the storage for the
    bytes from there on, pinned with If-Match to the ETag this stream first saw, so a replaced object
    raises `IntegrityFailure` instead of mixing the bytes of two versions. Nothing is asked until a read.
    """

    def __init__(self, meta: ObjectMeta, length: int, read: Callable[[int], bytes], release: Callable[[], None],
                 *, where: str, first_byte: int = 0, reopen: Reopen | None = None):
        super().__init__()
        self.meta, self.length, self.received = meta, length, 0
        self._read, self._release, self._where = read, release, where
        self._first_byte, self._reopen, self._position = first_byte, reopen, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self._reopen is not None

    def tell(self) -> int:
        self._check_open()
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """Move to `offset` (from the start, the current position or the end); past the end reads b""."""
        self._check_open()
        if not self.seekable():
            raise io.UnsupportedOperation(_("This stream cannot seek."))
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self.length}.get(whence)
        if base is None or base + offset < 0:
            raise ValueError(_("Cannot seek to %(offset)s from %(whence)s.") % {"offset": offset, "whence": whence})
        self._position = base + offset
        return self._position

    def read(self, size: int | None = -1) -> bytes:
        """Up to `size` bytes (at most a chunk at a time); b"" only at the end of what was announced."""
        if size is None or size < 0:
            return self.readall()
        left = self.length - self._position
        if left <= 0 or size == 0:
            return b""
        if self._position != self.received:
            self._move_body()
        data = self._read(min(size, left, STREAM_CHUNK))
        if not data:
            raise IntegrityFailure(_("The read of %(what)s broke off after %(received)s of %(length)s bytes.") % {
                "what": self._where, "received": self.received, "length": self.length})
        if len(data) > left:
            raise IntegrityFailure(_("The storage sent more bytes of %(what)s than asked for.") % {"what": self._where})
        self.received += len(data)
        self._position = self.received
        return data

    def _move_body(self) -> None:
        """After a seek: let go of the body being read, and ask for the rest from the new position."""
        assert self._reopen is not None
        self._release()
        last = self._first_byte + self.length - 1
        body = self._reopen(self._first_byte + self._position, last, self.meta.etag)
        if body.meta.etag != self.meta.etag:  # a storage that ignored If-Match
            body.close()
            raise IntegrityFailure(_("%(what)s changed while it was read.") % {"what": self._where})
        if body._first_byte != self._first_byte + self._position:  # a storage (or proxy) that ignored Range
            body.close()
            raise IntegrityFailure(_("The storage sent %(what)s from another byte than the one asked for.") % {
                "what": self._where})
        # The new stream's close (a bound method) keeps it alive: else collecting it would close the body.
        self._read, self._release, self.received = body._read, body.close, self._position

    def _check_open(self) -> None:
        if self.closed:
            raise ValueError(_("The stream is closed."))

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def readall(self) -> bytes:
        """The rest of the stream (for a range, all of it), checked to be exactly as long as announced."""
        chunks = []
        while chunk := self.read(STREAM_CHUNK):
            chunks.append(chunk)
        return b"".join(chunks)

    def __iter__(self) -> Iterator[bytes]:  # chunks, not lines: these are bytes
        while chunk := self.read(STREAM_CHUNK):
            yield chunk

    def close(self) -> None:
        if not self.closed:
            try:
                self._release()
            finally:
                super().close()


def first_byte_of(content_range: str | None) -> int:
    """Where a ranged answer starts: 5 for "bytes 5-9/10"; 0 for a whole object."""
    if content_range and content_range.startswith("bytes ") and "-" in content_range:
        first = content_range[len("bytes "):].split("-", 1)[0]
        return int(first) if first.isdigit() else 0
    return 0


# (first byte, last byte, ETag) -> a stream of those bytes of the object, refused unless it still has that ETag.
Reopen = Callable[[int, int, str], ObjectStream]


# How a copy from one connection reaches another (`OssGateway.copy_route`).
SAME_BUCKET = "same_bucket"  # the same keys: a copy within one bucket, whatever the connections are called
SERVER_SIDE = "server_side"  # one storage, one set of credentials: the storage copies between the buckets
STREAMED = "streamed"  # nothing shared: the bytes pass through the caller


# --- the interface --------------------------------------------------------------------

DEFAULT_URL_EXPIRES = 900
MAX_URL_EXPIRES = 7 * 24 * 3600  # SigV4's limit


class OssGateway(abc.ABC):
    """Object storage operations; see the module docstring for the contract."""

    # seed methods

    @abc.abstractmethod
    def upload_file(
        self, oss_id: str, key: str, file: IO[bytes], size: int | None = None, *,
        content_type: str | None = None, internal: bool = True, metadata: dict[str, str] | None = None,
    ) -> None:
        """Upload a stream; multipart above a threshold; memory constant in size.

        `metadata` becomes the object's user metadata (x-amz-meta-*), checked first by S3's rules
        (`storage.user_metadata`: `InvalidRequest` when it breaks them); the same on every upload path."""

    @abc.abstractmethod
    def simple_upload(
        self, oss_id: str, key: str, file: IO[bytes] | bytes, *,
        content_type: str | None = None, internal: bool = True, metadata: dict[str, str] | None = None,
    ) -> None:
        """One PutObject; `metadata` as for `upload_file`."""

    @abc.abstractmethod
    def download_file(self, oss_id: str, key: str, *, internal: bool = True) -> bytes:
        """The object's bytes; retried up to 3 times; length checked."""

    @abc.abstractmethod
    def download_file_to_local(
        self, oss_id: str, key: str, path: str | Path, *, internal: bool = True, resume: bool = False
    ) -> int:
        """Stream to a temporary file, rename when complete; returns the byte count.

        Ranged reads are pinned with If-Match to the ETag first seen: an object replaced during the download
        raises `IntegrityFailure`, never a file of mixed bytes. With `resume`, the bytes so far stay in
        `<path>.part` when the call is interrupted, and a later call continues from its length if the object
        still has the same ETag, else starts again from byte 0 (`storage.partial_download`).
        """

    @abc.abstractmethod
    def delete_file(self, oss_id: str, key: str, *, internal: bool = True, if_match: str | None = None) -> None:
        """Delete one object. With `if_match` (an ETag), only that version: `IntegrityFailure` when the object
        now has another ETag (a mover never deletes a source replaced after it was copied)."""

    @abc.abstractmethod
    def get_download_url(
        self, oss_id: str, key: str, expires: int = DEFAULT_URL_EXPIRES, *,
        filename: str | None = None, inline: bool = False, internal: bool = False,
    ) -> str:
        """A presigned GET; with `filename`, a Content-Disposition naming it."""

    @abc.abstractmethod
    def get_upload_request(
        self, oss_id: str, key: str, expires: int = DEFAULT_URL_EXPIRES, *,
        content_type: str | None = None, size: int | None = None, internal: bool = False,
        metadata: dict[str, str] | None = None,
    ) -> UploadRequest:
        """A presigned PUT; content type, size and user metadata are signed in when given (the client must
        send the returned headers, `x-amz-meta-*` included, as they are)."""

    @abc.abstractmethod
    def get_object_meta(self, oss_id: str, key: str, *, internal: bool = True, checksums: bool = False) -> ObjectMeta:
        """Size, ETag, content type, user metadata (names in lower case); with `checksums`, the whole-object
        checksums the storage keeps."""

    @abc.abstractmethod
    def get_available_oss(self) -> str:
        """The default storage if usable, else the first usable one."""

    def new_reader(self, oss_id: str, key: str) -> Reader:
        return Reader(self, oss_id, key)

    # what the console needs beyond the seed

    @abc.abstractmethod
    def list_storages(self) -> list[StorageInfo]: ...

    @abc.abstractmethod
    def list_objects(
        self, oss_id: str, prefix: str = "", *, token: str | None = None,
        delimiter: str = "/", max_keys: int = 1000, start_after: str | None = None,
    ) -> ListPage:
        """One page under `prefix`; `start_after` begins after that key, in the storage's own listing order.

        That order is the storage's: S3 lists keys in byte order, SeaweedFS walks folders depth first
        (`a/x/y` before `a/x (2).txt`). A caller resuming a listing passes the last key it saw and never
        compares keys itself.
        """

    @abc.abstractmethod
    def create_multipart_upload(
        self, oss_id: str, key: str, *, content_type: str | None = None,
        metadata: dict[str, str] | None = None,
    ) -> str:
        """Start a multipart upload; returns its upload id. `metadata` becomes the object's user metadata."""

    @abc.abstractmethod
    def sign_upload_part(
        self, oss_id: str, key: str, upload_id: str, part_number: int,
        expires: int = DEFAULT_URL_EXPIRES, *, internal: bool = False,
    ) -> UploadRequest: ...

    def sign_upload_parts(
        self, oss_id: str, key: str, upload_id: str, part_numbers: Iterable[int],
        expires: int = DEFAULT_URL_EXPIRES, *, internal: bool = False,
    ) -> dict[int, UploadRequest]:
        """Several parts signed at once (a browser asks for the next few in one request)."""
        return {int(n): self.sign_upload_part(oss_id, key, upload_id, int(n), expires, internal=internal)
                for n in part_numbers}

    @abc.abstractmethod
    def list_parts(self, oss_id: str, key: str, upload_id: str) -> list[PartInfo]: ...

    @abc.abstractmethod
    def complete_multipart_upload(
        self, oss_id: str, key: str, upload_id: str, parts: Iterable[tuple[int, str]], *, dest_absent: bool = False,
    ) -> str:
        """Complete with (part number, ETag) pairs; returns the object's ETag. With `dest_absent`, the storage refuses
        (`IntegrityFailure`, the upload kept) when an object exists at `key` (If-None-Match: *)."""

    @abc.abstractmethod
    def abort_multipart_upload(self, oss_id: str, key: str, upload_id: str) -> None: ...

    @abc.abstractmethod
    def list_multipart_uploads(
        self, oss_id: str, prefix: str = ""
    ) -> list[MultipartUploadInfo]: ...

    @abc.abstractmethod
    def copy_object(self, oss_id: str, source_key: str, dest_key: str) -> None:
        """Copy inside the storage, any size (multipart above 5 GiB); metadata and content type kept."""

    def server_copy(self, oss_id: str, source_key: str, dest_key: str, *, if_match: str | None = None,
                    dest_absent: bool = False, dest_oss_id: str | None = None) -> str:
        """One server-side copy request (CopyObject: up to 5 GiB); metadata and content type kept.

        Returns the new object's ETag, which a mover compares with a HEAD of the copy before it deletes
        the source. With `if_match`, the storage refuses (`IntegrityFailure`) when the source's ETag differs;
        with `dest_absent`, when an object exists at `dest_key` (If-None-Match: *): nothing is overwritten.
        `dest_oss_id` is another connection to copy into, when `copy_route` says the storage can (else
        `NotSupported`).
        """
        raise NotSupported(_("this edition cannot copy an object in one request and report its ETag"))

    def server_copy_part(
        self, oss_id: str, source_key: str, dest_key: str, upload_id: str, part_number: int,
        first_byte: int, last_byte: int, *, if_match: str | None = None, dest_oss_id: str | None = None,
    ) -> str:
        """Copy bytes `first_byte..last_byte` (inclusive) of the source into a part (UploadPartCopy); its ETag.

        With `create_multipart_upload` and `complete_multipart_upload`, this copies objects over 5 GiB,
        part by part, so a caller can pace, resume and watch the copy. The upload is on `dest_oss_id`
        when given (see `server_copy`).
        """
        raise NotSupported(_("this edition cannot copy part of an object into a multipart upload (UploadPartCopy)"))

    def copy_route(self, source_oss_id: str, dest_oss_id: str) -> str:
        """How objects go from one connection to another: SAME_BUCKET, SERVER_SIDE or STREAMED.

        Only the gateway may compare what the connections are made of (their credentials included);
        callers learn the route and never the reasons. This default knows nothing about the storages
        behind two ids, so only an id and itself share anything.
        """
        return SAME_BUCKET if source_oss_id == dest_oss_id else STREAMED

    def open_object(self, oss_id: str, key: str, *, range: tuple[int, int | None] | None = None,  # noqa: A002
                    version_id: str | None = None, if_match: str | None = None) -> ObjectStream:
        """The object's bytes as a stream (file-like, `with`, iteration by chunks); memory flat in its size.

        `range` is (first byte, last byte or None for the end), inclusive, as HTTP counts. With `if_match`
        (an ETag), the storage refuses (`IntegrityFailure`) when the object has another one: reading
        an object range by range, each pinned to one ETag, never mixes the bytes of two versions. The
        stream's `meta` describes the whole object; without a range, its checksums too, when kept.
        The stream can `seek`: each seek asks again for the bytes from there, pinned to the ETag first seen.
        """
        raise NotSupported(_("this edition cannot stream an object's bytes (open_object)"))

    def _reopener(self, oss_id: str, key: str, version_id: str | None) -> Reopen:
        """What lets `open_object`'s stream seek: the same object, another range, pinned to an ETag."""
        def reopen(first: int, last: int, etag: str) -> ObjectStream:
            return self.open_object(oss_id, key, range=(first, last), version_id=version_id, if_match=etag)

        return reopen

    def put_object(self, oss_id: str, key: str, body: bytes | IO[bytes], *, content_type: str | None = None,
                   metadata: dict[str, str] | None = None, dest_absent: bool = False, md5: bytes | None = None,
                   size: int | None = None, headers: ObjectHeaders | None = None) -> str:
        """One PutObject of `body`, with its MD5 for the storage to check; returns the object's ETag.

        `body` is bytes, or a stream of exactly `size` bytes (then required) that is read once, in chunks, and
        never held whole: memory stays flat in `size`. A stream that raises while it is read leaves no object
        behind (the storage sees a short body and drops it), and its exception is the one raised; one that ends
        before `size` bytes or runs past them raises `IncompleteBody`, and leaves nothing either. Not retried.
        `headers` (Cache-Control, Content-Disposition, ...) are stored with the object as
        `replace_object_headers` would; its content type and metadata count where the arguments give none.

        `metadata` becomes the object's user metadata; `dest_absent` as for `server_copy`. `md5` is the body's
        MD5 digest (the 16 raw bytes, as `hashlib.md5(body).digest()`) when the caller has it already: it is sent
        as Content-MD5 instead of hashing the body again, and the storage refuses a body that does not match it.
        """
        raise NotSupported(_("this edition cannot store an object with its metadata (put_object)"))

    def upload_part(self, oss_id: str, key: str, upload_id: str, part_number: int, body: bytes | IO[bytes], *,
                    md5: bytes | None = None, size: int | None = None) -> str:
        """Send one part's bytes (UploadPart), with their MD5 for the storage to check; returns the part's ETag.

        `body` is bytes, or a stream of exactly `size` bytes, streamed as for `put_object`.

        `md5`: the part's MD5 digest (16 raw bytes) when the caller has it already, as for `put_object`."""
        raise NotSupported(_("this edition cannot send a part of a multipart upload itself (upload_part)"))

    @abc.abstractmethod
    def delete_objects(self, oss_id: str, keys: Iterable[str]) -> DeleteResult: ...

    def delete_prefix(self, oss_id: str, prefix: str) -> DeleteResult:
        """Delete a folder: every object under `prefix` (which ends in '/'), then its folders, deepest first.

        Some storages keep a directory entry per folder after its objects are gone: SeaweedFS
        lists such a folder until a DeleteObject on the folder's key (`sub/`), sent once the folder
        is empty, removes it. Where a folder is only a prefix, deleting its key is a no-op, so this
        holds everywhere. A last walk, folder by folder with the delimiter, finds what a flat
        listing cannot show (empty folders with no marker, left by an earlier delete) and removes
        it too. `deleted` holds the keys deleted, folder keys (ending in '/') included.
        """
        deletion = self.folder_deletion(oss_id, prefix)
        deleted: list[str] = []
        errors: dict[str, str] = {}
        while not deletion.finished:
            result = deletion.step()
            if result is not None:
                deleted.extend(result.deleted)
                errors.update(result.errors)
        return DeleteResult(deleted, errors)

    def folder_deletion(self, oss_id: str, prefix: str) -> FolderDeletion:
        """`delete_prefix` one storage request per `step()`, for a caller that may stop between two."""
        if not isinstance(prefix, str) or not prefix.endswith("/") or prefix == "/":
            raise InvalidKey(_("A folder to delete is a prefix ending in '/'."))
        return FolderDeletion(self, oss_id, prefix)

    def delete_empty_folders(self, oss_id: str, prefix: str) -> DeleteResult:
        """Delete the folders under `prefix` (itself included) that hold no file, deepest first; files stay.

        What a move leaves behind once its files have gone: folder markers and the directory entries
        some storages keep (see `delete_prefix`). A folder that still holds a file (one skipped or
        failed) stays, with its parents.
        """
        if not isinstance(prefix, str) or not prefix.endswith("/") or prefix == "/":
            raise InvalidKey(_("A folder is a prefix ending in '/'."))
        files, folders = TreeWalk(self, oss_id, prefix).run()
        busy = {key[:i + 1] for key in files for i, char in enumerate(key) if char == "/" and i >= len(prefix) - 1}
        deleted: list[str] = []
        errors: dict[str, str] = {}
        empty = deepest_first(f for f in folders if f not in busy)
        for start in range(0, len(empty), 1000):
            result = self.delete_objects(oss_id, empty[start:start + 1000])
            deleted.extend(result.deleted)
            errors.update(result.errors)
        return DeleteResult(deleted, errors)

    def get_upload_post(
        self, oss_id: str, key: str, expires: int = DEFAULT_URL_EXPIRES, *,
        max_size: int, content_type: str = "application/octet-stream", internal: bool = False,
        metadata: dict[str, str] | None = None,
    ) -> UploadPost:
        """A presigned POST for exactly `key`, with its content type (and user metadata, as fields) pinned and its
        size capped.

        The key is the server's choice: a form field cannot change it (no `${filename}`, no prefix match).
        """
        raise NotSupported(_("this edition cannot sign browser form uploads (POST policies)"))

    def check_health(self, oss_id: str, *, timeout: float = 3.0) -> HealthReport:
        raise NotSupported(_("this edition cannot check a storage's health"))

    def recent_health(self, oss_id: str, *, timeout: float = 2.0) -> HealthReport:
        """The connection's last health probe while it is fresh, else a new one within `timeout`.

        Gateways that keep probe results answer from them (the S3 gateway keeps each for 30 s when
        healthy, 5 s when not, shared with `get_available_oss`); this default probes every time.
        """
        return self.check_health(oss_id, timeout=timeout)

    def free_space(self, oss_id: str) -> int | None:
        """Bytes the connection's storage can still take; None when the storage does not say (S3 never does)."""
        return None

    def get_bucket_cors(self, oss_id: str) -> list[CorsRule]:
        raise NotSupported(_("this edition cannot read bucket CORS rules"))

    def put_bucket_cors(self, oss_id: str, rules: list[CorsRule]) -> None:
        raise NotSupported(_("this edition cannot write bucket CORS rules"))

    def get_bucket_versioning(self, oss_id: str) -> str:
        """The bucket's versioning state: "Enabled", "Suspended", or "" when it was never turned on."""
        raise NotSupported(_("this edition cannot read a bucket's versioning"))

    # Bucket settings (#17)

    def bucket_support(self, oss_id: str) -> BucketSupport:
        """What the connection's bucket can do (versioning, tagging, lifecycle, policy, object lock), asked of the
        storage once per connection version; pages hide a control and show why. Raises when the bucket cannot be
        asked (BucketNotFound, StorageUnreachable)."""
        # Lazy: the support is kept per connection, and each reader reads it in their own language.
        return BucketSupport.none(gettext_lazy("this edition's gateway (the OSS Gateway Manager protocol) cannot "
                                               "change bucket settings"))

    def create_bucket(self, oss_id: str, *, region: str = "", versioning: bool = False, object_lock: bool = False) -> None:
        raise NotSupported(_("this edition cannot create buckets"))

    def put_bucket_versioning(self, oss_id: str, status: str) -> None:
        raise NotSupported(_("this edition cannot change a bucket's versioning"))

    def get_bucket_lifecycle(self, oss_id: str) -> list[LifecycleRule]:
        raise NotSupported(_("this edition cannot read lifecycle rules"))

    def put_bucket_lifecycle(self, oss_id: str, rules: list[LifecycleRule]) -> None:
        """Replace the bucket's lifecycle rules (an empty list removes them all)."""
        raise NotSupported(_("this edition cannot write lifecycle rules"))

    def get_bucket_policy(self, oss_id: str) -> str:
        """The bucket policy's JSON text; "" when the bucket has none."""
        raise NotSupported(_("this edition cannot read bucket policies"))

    def put_bucket_policy(self, oss_id: str, policy: str) -> None:
        """Replace the bucket policy with this JSON text; "" removes it."""
        raise NotSupported(_("this edition cannot write bucket policies"))

    def get_object_lock(self, oss_id: str) -> ObjectLock:
        raise NotSupported(_("this edition cannot read object lock settings"))

    def put_object_lock(self, oss_id: str, lock: ObjectLock) -> None:
        raise NotSupported(_("this edition cannot change object lock settings"))

    # Versions, metadata and tags (#17)

    def list_object_versions(self, oss_id: str, key: str, *, limit: int = 1000) -> list[ObjectVersion]:
        """The versions of exactly `key` (delete markers included), newest first; at most `limit` of them."""
        raise NotSupported(_("this edition cannot list an object's versions"))

    def list_deleted(self, oss_id: str, prefix: str, *, after: VersionMark | None = None,
                     max_keys: int = 1000) -> DeletedPage:
        """The files deleted in the folder `prefix` whose delete marker is their latest version: one listing call.

        `after` continues from the `next` of the page before. A page may hold none and still have a `next`."""
        raise NotSupported(_("this edition cannot list deleted files (delete markers)"))

    def get_version_url(self, oss_id: str, key: str, version_id: str, expires: int = DEFAULT_URL_EXPIRES, *,
                        filename: str | None = None, inline: bool = False, internal: bool = False) -> str:
        """A presigned GET of one version, with the same Content-Disposition rules as `get_download_url`."""
        raise NotSupported(_("this edition cannot sign a download of an older version"))

    def restore_version(self, oss_id: str, key: str, version_id: str) -> str:
        """Make `version_id` the latest again by a server-side copy onto itself; returns the new version's id."""
        raise NotSupported(_("this edition cannot restore an older version"))

    def delete_version(self, oss_id: str, key: str, version_id: str) -> None:
        """Delete one version for good (or a delete marker, which brings the version before it back)."""
        raise NotSupported(_("this edition cannot delete one version of an object"))

    def get_object_headers(self, oss_id: str, key: str) -> ObjectHeaders:
        """The headers a person may edit (content type, cache-control, content-disposition, user metadata)."""
        raise NotSupported(_("this edition cannot read an object's headers"))

    def replace_object_headers(self, oss_id: str, key: str, headers: ObjectHeaders, *,
                               if_match: str | None = None) -> None:
        """Rewrite the object's headers by a copy onto itself (MetadataDirective REPLACE): on a versioned
        bucket the version before stays. With `if_match`, `IntegrityFailure` when the object changed."""
        raise NotSupported(_("this edition cannot change an object's metadata"))

    def get_object_tags(self, oss_id: str, key: str) -> dict[str, str]:
        raise NotSupported(_("this edition cannot read object tags"))

    def put_object_tags(self, oss_id: str, key: str, tags: dict[str, str]) -> None:
        """Replace the object's tags with `tags` (none: remove them all)."""
        raise NotSupported(_("this edition cannot write object tags"))

    def create_multipart_upload_with_headers(self, oss_id: str, key: str, headers: ObjectHeaders) -> str:
        """Start a multipart upload whose object will carry `headers` (content type, cache-control, metadata)."""
        raise NotSupported(_("this edition cannot set Cache-Control on an upload"))


BUCKET_FEATURES = {"versioning": gettext_lazy("Versioning"), "tagging": gettext_lazy("Tags"),
                   "lifecycle": gettext_lazy("Lifecycle rules"), "policy": gettext_lazy("Bucket policy"),
                   "object_lock": gettext_lazy("Object lock")}


@dataclass(frozen=True)
class BucketSupport:
    """What a bucket's storage can do: for each feature it cannot, why, in plain words."""

    missing: dict[str, str] = field(default_factory=dict)

    @classmethod
    def none(cls, reason: str) -> BucketSupport:
        return cls({feature: reason for feature in BUCKET_FEATURES})

    def supports(self, feature: str) -> bool:
        return feature not in self.missing

    def why_not(self, feature: str) -> str:
        return self.missing.get(feature, "")

# Versions, metadata and tags (#17): their values


@dataclass(frozen=True)
class ObjectVersion:
    """One version of an object, or a delete marker (`deleted`: no bytes, it hides the versions before it)."""

    key: str
    version_id: str
    last_modified: dt.datetime | None
    is_latest: bool
    deleted: bool = False
    size: int = 0
    etag: str = ""


@dataclass(frozen=True)
class VersionMark:
    """Where a listing of versions goes on (S3's KeyMarker and VersionIdMarker)."""

    key: str
    version_id: str


@dataclass(frozen=True)
class DeletedPage:
    """Deleted files in one folder: their latest delete markers, and where the listing goes on; and the folder's
    subfolders on this page (a folder whose files were all deleted is in no other listing)."""

    prefix: str
    markers: list[ObjectVersion]
    next: VersionMark | None
    folders: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ObjectHeaders:
    """What a copy-in-place rewrites; `content_encoding` and `content_language` are kept as they were."""

    content_type: str
    cache_control: str = ""
    content_disposition: str = ""
    content_encoding: str = ""
    content_language: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    expires: str = ""  # an HTTP date (the Expires header), as caches read it
