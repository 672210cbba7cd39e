"""The commercial edition's gateway: ask an OSS Gateway Manager to sign, send the bytes ourselves.

The manager answers every byte-moving call with a signed request; this client sends it
to storage with its own session. Uploads above a threshold go multipart (parts in
parallel, memory bounded by a few parts); downloads are ranged reads in parallel, each
range length-checked and retried. What the protocol lacks (listing, parts, abort, copy,
bulk delete, health, CORS) goes to OSS Console's extension endpoints; a genuine manager
has none, and the client then raises `NotSupported`.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from storage.bodies import sized_body, stream_failure_first
from storage.digests import content_md5
from storage.gateway import (
    DEFAULT_URL_EXPIRES,
    AccessDenied,
    CorsRule,
    DeleteResult,
    HealthReport,
    IntegrityFailure,
    InvalidRequest,
    ListPage,
    MultipartUploadInfo,
    NoAvailableConnection,
    NotSupported,
    ObjectHeaders,
    ObjectMeta,
    ObjectNotFound,
    ObjectStream,
    ObjectSummary,
    OssGateway,
    PartInfo,
    StorageError,
    StorageInfo,
    StorageRequestFailed,
    StorageUnreachable,
    UploadRequest,
    object_on,
)
from storage.keys import check_copy_keys, folder_marker_body, folder_upload_size, validate_key, validate_prefix
from storage.media_types import forces_safe_response, inline_type
from storage.object_headers import extra_headers, stored_headers
from storage.ossgateway.multipart import MultipartUpload, read_full
from storage.ossgateway.reading import meta_from_headers, stream_of
from storage.ossgateway.transport import Manager, Signed, Storage, quote_key, xml_fields
from storage.partial_download import resume_download
from storage.threads import in_this_language
from storage.user_metadata import as_headers, from_headers, validate_metadata

MiB = 1024 * 1024
MULTIPART_THRESHOLD = 16 * MiB
DOWNLOAD_RANGE = 8 * MiB
STREAM_CHUNK = 1 * MiB
DOWNLOAD_ATTEMPTS = 3
PART_ATTEMPTS = 3
TRANSFER_EXPIRES = 3600  # signatures used by this process for its own transfers
# Worth another attempt with a fresh signature: the network, short bodies, an expired signature.
RETRYABLE = (StorageUnreachable, IntegrityFailure, AccessDenied)


class ObjectChanged(IntegrityFailure):
    """A range pinned to an ETag found the object replaced: not worth another attempt."""


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _iso_time(value: str | None):
    import datetime as dt

    return dt.datetime.fromisoformat(value) if value else None


_STORAGE_ID = re.compile(r"[A-Za-z0-9._~-]{1,128}")


def _sid(oss_id: str) -> str:
    """A storage id as one path segment; never "." or "..", which an HTTP client would resolve away."""
    if not isinstance(oss_id, str) or not _STORAGE_ID.fullmatch(oss_id) or oss_id in (".", ".."):
        raise InvalidRequest(_("%(id)s is not a storage id.") % {"id": repr(str(oss_id)[:80])})
    return oss_id


class OssGatewayClient(OssGateway):
    def __init__(self, url: str, *, token: str = "", concurrency: int = 4,
                 multipart_threshold: int = MULTIPART_THRESHOLD, manager_timeout: tuple[float, float] = (5, 30),
                 storage_timeout: tuple[float, float] = (5, 60)):
        self.manager = Manager(url, token, timeout=manager_timeout, pool=concurrency * 2 + 4)
        self.storage = Storage(timeout=storage_timeout, pool=concurrency * 2 + 4)
        self.concurrency = max(1, concurrency)
        self.multipart_threshold = multipart_threshold

    def __repr__(self) -> str:
        return f"OssGatewayClient({self.manager.base!r})"

    # --- signing calls ---

    def _sign(self, verb: str, oss_id: str, key: str, *, internal: bool, retry: bool = True, json=None,
              method: str = "GET", **params) -> dict:
        query = {"internal_request": _flag(internal), **{k: v for k, v in params.items() if v is not None}}
        return self.manager.call(method, f"{verb}/{_sid(oss_id)}/{quote_key(key)}", params=query, json=json, retry=retry)

    def _signed(self, verb: str, oss_id: str, key: str, *, internal: bool, **params) -> Signed:
        return Signed.from_json(self._sign(verb, oss_id, key, internal=internal, **params))

    @staticmethod
    def _where(oss_id: str, key: str) -> str:
        return object_on(oss_id, key)

    # --- seed methods ---

    def upload_file(self, oss_id, key, file, size=None, *, content_type=None, internal=True, metadata=None):
        validate_key(key)
        metadata = validate_metadata(metadata)
        put = dict(content_type=content_type, internal=internal, metadata=metadata)
        if key.endswith("/"):  # a folder marker: 0 bytes in one PUT
            folder_upload_size(key, size)
            return self._put(oss_id, key, folder_marker_body(key, file), **put)
        if size is not None and size <= self.multipart_threshold:
            data = read_full(file, size + 1)
            if len(data) != size:
                raise IntegrityFailure(_("The file for '%(key)s' holds %(held)s bytes; %(size)s were expected.") % {
                    "key": key, "held": len(data), "size": size})
            return self._put(oss_id, key, data, **put)
        head = read_full(file, self.multipart_threshold + 1) if size is None else b""
        if size is None and len(head) <= self.multipart_threshold:
            return self._put(oss_id, key, head, **put)
        MultipartUpload(self, oss_id, key, size, content_type, internal, metadata).run(head, file)

    def simple_upload(self, oss_id, key, file, *, content_type=None, internal=True, metadata=None):
        validate_key(key)
        metadata = validate_metadata(metadata)
        if key.endswith("/"):
            file = folder_marker_body(key, file)
        data = file if isinstance(file, (bytes, bytearray, memoryview)) else file.read()
        self._put(oss_id, key, bytes(data), content_type=content_type, internal=internal, metadata=metadata)

    def _signed_upload(self, oss_id: str, key: str, *, internal: bool, metadata: dict[str, str], **params) -> Signed:
        """A signed PUT with the user metadata in it, or NotSupported when the manager left it out."""
        signed = self._signed("upload", oss_id, key, internal=internal, request_method="PUT", **params,
                              **as_headers(metadata))
        if metadata and from_headers(signed.headers) != metadata:
            raise NotSupported(_("The OSS Gateway Manager at %(manager)s did not sign user metadata into the upload "
                                 "of %(where)s; nothing was sent.") % {
                                     "manager": self.manager.base, "where": self._where(oss_id, key)})
        return signed

    def _start_multipart(self, oss_id: str, key: str, *, internal: bool, metadata: dict[str, str], **params) -> dict:
        """initmultiupload; with metadata, only a manager that echoes it set it (else the upload is aborted)."""
        answer = self._sign("initmultiupload", oss_id, key, internal=internal, retry=False, **params,
                            **as_headers(metadata))
        if metadata and answer.get("metadata") != metadata:
            # A manager without the abort extension: the storage's lifecycle rules clean the upload up.
            with contextlib.suppress(StorageError):
                self.abort_multipart_upload(oss_id, key, str(answer["upload_id"]))
            raise NotSupported(_("The OSS Gateway Manager at %(manager)s did not set user metadata on the upload "
                                 "of %(where)s; nothing was sent.") % {
                                     "manager": self.manager.base, "where": self._where(oss_id, key)})
        return answer

    def _put(self, oss_id: str, key: str, data: bytes, *, content_type: str | None, internal: bool,
             metadata: dict[str, str]) -> None:
        headers = {"Content-Type": content_type} if content_type else {}
        last: StorageError | None = None
        for _attempt in range(PART_ATTEMPTS):  # a PUT of the same bytes is idempotent
            signed = self._signed_upload(oss_id, key, internal=internal, metadata=metadata,
                                         Expires=TRANSFER_EXPIRES, content_type=content_type,
                                         size=0 if key.endswith("/") else None)  # a folder marker: 0 bytes signed in
            try:
                self.storage.send(signed, where=self._where(oss_id, key), data=data,
                                  headers={**headers, **signed.headers}).close()
                return
            except RETRYABLE as e:
                last = e
        assert last is not None
        raise last

    def download_file(self, oss_id, key, *, internal=True) -> bytes:
        validate_key(key)
        meta = self.get_object_meta(oss_id, key, internal=internal)
        buffer = bytearray(meta.size)
        view = memoryview(buffer)

        def sink(offset: int, chunk: bytes) -> None:
            view[offset:offset + len(chunk)] = chunk

        self._ranged_download(oss_id, key, meta, sink, internal=internal)
        return bytes(buffer)

    def download_file_to_local(self, oss_id, key, path, *, internal=True, resume=False) -> int:
        validate_key(key)
        if resume:
            return resume_download(self, oss_id, key, path, internal=internal)
        target = Path(path)
        meta = self.get_object_meta(oss_id, key, internal=internal)
        size = meta.size
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        try:
            os.ftruncate(fd, size)
            self._ranged_download(oss_id, key, meta, lambda offset, chunk: os.pwrite(fd, chunk, offset),
                                  internal=internal)
            os.fsync(fd)
            os.close(fd)
            fd = -1
            received = os.path.getsize(tmp_name)
            if received != size:
                raise IntegrityFailure(_("Received %(received)s of %(size)s bytes of '%(key)s'.") % {
                    "received": received, "size": size, "key": key})
            os.replace(tmp_name, target)
            return received
        finally:
            if fd >= 0:
                os.close(fd)
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)

    def _ranged_download(self, oss_id: str, key: str, meta: ObjectMeta, sink: Callable[[int, bytes], None], *,
                         internal: bool) -> None:
        """Ranges in parallel, each pinned with If-Match to `meta`'s ETag: a replaced object is an error."""
        size = meta.size
        if size == 0:
            return
        url = _UrlHolder(lambda: self._signed("download", oss_id, key, internal=internal, Expires=TRANSFER_EXPIRES,
                                              type="query_string"))
        ranges = [(start, min(start + DOWNLOAD_RANGE, size) - 1) for start in range(0, size, DOWNLOAD_RANGE)]
        if len(ranges) == 1:
            return self._fetch_range(url, oss_id, key, *ranges[0], sink, etag=meta.etag)
        with ThreadPoolExecutor(self.concurrency, thread_name_prefix="ossgw-get") as pool:
            _run_all(pool, [in_this_language(lambda r=r: self._fetch_range(url, oss_id, key, *r, sink, etag=meta.etag))
                            for r in ranges])

    def _fetch_range(self, url: _UrlHolder, oss_id: str, key: str, start: int, end: int,
                     sink: Callable[[int, bytes], None], *, etag: str) -> None:
        """One range, length-checked, up to three attempts (a fresh signature after a failure)."""
        expected, last = end - start + 1, None
        for attempt in range(DOWNLOAD_ATTEMPTS):
            signed = url.get(fresh=attempt > 0)
            try:
                received = self._stream_range(signed, oss_id, key, start, end, sink, etag=etag)
            except ObjectChanged:
                raise  # another attempt would meet the same new version
            except RETRYABLE as e:
                last = e
                continue
            if received == expected:
                return
            last = IntegrityFailure(_("Received %(received)s of %(size)s bytes of '%(key)s' at offset %(offset)s.") % {
                "received": received, "size": expected, "key": key, "offset": start})
        assert last is not None
        raise last

    def _stream_range(self, signed: Signed, oss_id: str, key: str, start: int, end: int, sink, *, etag: str) -> int:
        import requests

        received = 0
        response = self.storage.send(signed, where=self._where(oss_id, key), stream=True,
                                     headers={"Range": f"bytes={start}-{end}", **({"If-Match": f'"{etag}"'} if etag else {})},
                                     ok=(200, 206, 412))
        with response:
            if response.status_code == 412:
                raise ObjectChanged(_("%(where)s was replaced during the download; nothing was kept.") % {
                    "where": self._where(oss_id, key)})
            if response.status_code == 200 and start != 0:
                raise IntegrityFailure(_("The storage ignored the byte range asked for '%(key)s'.") % {"key": key})
            try:
                for chunk in response.iter_content(STREAM_CHUNK):
                    if received + len(chunk) > end - start + 1:
                        raise IntegrityFailure(_("The storage sent more bytes of '%(key)s' than asked for.") % {"key": key})
                    sink(start + received, chunk)
                    received += len(chunk)
            except requests.RequestException as e:
                raise IntegrityFailure(_("The transfer of '%(key)s' broke off after %(received)s bytes: %(error)s") % {
                    "key": key, "received": received, "error": e}) from e
        return received

    def delete_file(self, oss_id, key, *, internal=True, if_match=None):
        validate_key(key)
        if if_match and self.get_object_meta(oss_id, key, internal=internal).etag != if_match.strip('"'):
            # The protocol signs a plain DELETE: the ETag is checked just before (not atomic).
            raise IntegrityFailure(_("'%(key)s' on '%(connection)s' changed; it was not deleted.") % {
                "key": key, "connection": oss_id})
        signed = self._signed("delete", oss_id, key, internal=internal)
        self.storage.send(signed, where=self._where(oss_id, key)).close()

    def get_download_url(self, oss_id, key, expires=DEFAULT_URL_EXPIRES, *, filename=None, inline=False,
                         internal=False) -> str:
        validate_key(key)
        name = filename or key.rstrip("/").rsplit("/", 1)[-1] or "download"
        if inline and inline_type(name):
            url = self._download_url(oss_id, key, expires, name, inline=True, internal=internal)
            if internal or forces_safe_response(url, name, inline=True):
                return url
            # A manager that does not force the type: a file stored as HTML would run. Ask for an attachment.
        url = self._download_url(oss_id, key, expires, name, inline=False, internal=internal)
        if not internal and not forces_safe_response(url, name, inline=False):
            raise StorageRequestFailed(
                _("The OSS Gateway Manager at %(manager)s signed a download of '%(key)s' that a browser could show as "
                  "a page (no attachment disposition); the console does not hand such links out.") % {
                      "manager": self.manager.base, "key": key})
        return url

    def _download_url(self, oss_id, key, expires, name: str, *, inline: bool, internal: bool) -> str:
        signed = self._signed("download", oss_id, key, internal=internal, Expires=int(expires), type="query_string",
                              save_name=name, inline="true" if inline else None)
        return signed.checked(for_browser=not internal).url

    def get_upload_request(self, oss_id, key, expires=DEFAULT_URL_EXPIRES, *, content_type=None, size=None,
                           internal=False, metadata=None) -> UploadRequest:
        validate_key(key)
        metadata = validate_metadata(metadata)
        size = folder_upload_size(key, size)  # a folder key is signed for 0 bytes: a body is refused
        signed = self._signed_upload(oss_id, key, internal=internal, metadata=metadata, Expires=int(expires),
                                     content_type=content_type, size=size)
        request = signed.checked(for_browser=not internal).as_upload_request(int(expires))
        if content_type and not any(h.lower() == "content-type" for h in request.headers):
            request.headers["Content-Type"] = content_type  # a genuine manager may not sign it in
        return request

    def get_object_meta(self, oss_id, key, *, internal=True, checksums=False) -> ObjectMeta:
        """`checksums` is not asked for: the manager signs a plain HEAD (the x-amz-checksum-mode header is not in it)."""
        validate_key(key)
        signed = self._signed("head", oss_id, key, internal=internal)
        response = self.storage.send(signed, where=self._where(oss_id, key))
        response.close()
        return meta_from_headers(key, response.headers)

    def get_available_oss(self) -> str:
        try:
            answer = self.manager.call("GET", "default-storage")
            return str(answer["storage_id"])
        except NoAvailableConnection:
            pass
        for info in self.list_storages():
            if info.enabled:
                return info.id
        raise NoAvailableConnection(_("The OSS Gateway Manager has no default storage and no enabled one."))

    # --- beyond the seed ---

    def list_storages(self) -> list[StorageInfo]:
        answer = self.manager.call("GET", "objectstorageinfo", params={"app": "as"}) or []
        return [StorageInfo(str(s["id"]), str(s.get("name", s["id"])), bool(s.get("default")),
                            bool(s.get("enabled", True))) for s in answer]

    def _ext(self, method: str, path: str, what: str, *, retry: bool | None = None, **kwargs):
        retry = method == "GET" if retry is None else retry
        return self.manager.call(method, f"ext/{path}", extension=what, retry=retry, **kwargs)

    def list_objects(self, oss_id, prefix="", *, token=None, delimiter="/", max_keys=1000,
                     start_after=None) -> ListPage:
        validate_prefix(prefix)
        params = {"prefix": prefix, "delimiter": delimiter, "max_keys": int(max_keys)}
        if token:
            params["token"] = token
        if start_after:
            params["start_after"] = start_after
        page = self._ext("GET", f"list/{_sid(oss_id)}", pgettext_lazy("manager extension", "listing"), params=params)
        objects = [ObjectSummary(o["key"], int(o["size"]), o.get("etag", ""), _iso_time(o.get("last_modified")),
                                 o.get("storage_class", "STANDARD")) for o in page["objects"]]
        return ListPage(page.get("prefix", prefix), list(page["folders"]), objects, page.get("next_token"))

    def create_multipart_upload(self, oss_id, key, *, content_type=None, metadata=None) -> str:
        validate_key(key, allow_folder_marker=False)
        metadata = validate_metadata(metadata)
        return str(self._start_multipart(oss_id, key, internal=True, metadata=metadata,
                                         content_type=content_type)["upload_id"])

    def sign_upload_part(self, oss_id, key, upload_id, part_number, expires=DEFAULT_URL_EXPIRES, *,
                         internal=False) -> UploadRequest:
        validate_key(key, allow_folder_marker=False)
        answer = self._sign("uploadpart", oss_id, key, internal=internal, part_id=int(part_number), part_num=1,
                            upload_id=upload_id, Expires=int(expires))
        signed = Signed.from_json(answer[str(int(part_number))])
        return signed.checked(for_browser=not internal).as_upload_request(int(expires))

    def sign_upload_parts(self, oss_id, key, upload_id, part_numbers, expires=DEFAULT_URL_EXPIRES, *,
                          internal=False) -> dict[int, UploadRequest]:
        """One `uploadpart` call per run of consecutive part numbers (part_id=first, part_num=count)."""
        validate_key(key, allow_folder_marker=False)
        signed: dict[int, UploadRequest] = {}
        for first, count in _runs(sorted({int(n) for n in part_numbers})):
            answer = self._sign("uploadpart", oss_id, key, internal=internal, part_id=first, part_num=count,
                                upload_id=upload_id, Expires=int(expires))
            for number in range(first, first + count):
                signed[number] = (Signed.from_json(answer[str(number)]).checked(for_browser=not internal)
                                  .as_upload_request(int(expires)))
        return signed

    def list_parts(self, oss_id, key, upload_id) -> list[PartInfo]:
        validate_key(key, allow_folder_marker=False)
        answer = self._ext("GET", f"parts/{_sid(oss_id)}/{quote_key(key)}", pgettext_lazy("manager extension", "listing parts"),
                           params={"upload_id": upload_id})
        return [PartInfo(int(p["part_number"]), p["etag"], int(p["size"])) for p in answer]

    def complete_multipart_upload(self, oss_id, key, upload_id, parts: Iterable[tuple[int, str]], *,
                                  dest_absent=False) -> str:
        """`dest_absent` is checked by a HEAD just before (the protocol signs no condition: not atomic)."""
        validate_key(key, allow_folder_marker=False)
        body = {str(int(number)): etag for number, etag in parts}
        if not body:
            raise IntegrityFailure(_("A multipart upload needs at least one part to complete."))
        if dest_absent:
            self._refuse_existing(oss_id, key)
        signed = Signed.from_json(self._sign("completeupload", oss_id, key, internal=True, method="POST", json=body,
                                             retry=False, upload_id=upload_id))
        response = self.storage.send(signed, where=self._where(oss_id, key), data=(signed.body or "").encode())
        fields = xml_fields(response.text)
        if "Code" in fields:  # S3 may answer 200 with an error inside
            raise IntegrityFailure(_("The storage could not complete '%(key)s': %(message)s.") % {
                "key": key, "message": fields.get("Message", fields["Code"])})
        return fields.get("ETag", "").strip('"')

    def abort_multipart_upload(self, oss_id, key, upload_id) -> None:
        validate_key(key, allow_folder_marker=False)
        self._ext("POST", f"abort/{_sid(oss_id)}/{quote_key(key)}", pgettext_lazy("manager extension", "aborting uploads"),
                  params={"upload_id": upload_id},
                  retry=True)

    def list_multipart_uploads(self, oss_id, prefix="") -> list[MultipartUploadInfo]:
        validate_prefix(prefix)
        answer = self._ext("GET", f"uploads/{_sid(oss_id)}", pgettext_lazy("manager extension", "listing uploads in progress"),
                           params={"prefix": prefix})
        return [MultipartUploadInfo(u["key"], u["upload_id"], _iso_time(u.get("initiated"))) for u in answer]

    def copy_object(self, oss_id, source_key, dest_key) -> None:
        check_copy_keys(source_key, dest_key)
        self._ext("POST", f"copy/{_sid(oss_id)}", pgettext_lazy("manager extension", "copying"),
                  json={"source": source_key, "dest": dest_key}, retry=True)

    def server_copy(self, oss_id, source_key, dest_key, *, if_match=None, dest_absent=False, dest_oss_id=None) -> str:
        """The extension's copy, then a HEAD for the ETag; `if_match` and `dest_absent` are checked by HEADs
        before (not atomic). Within one storage id only: the manager does not say what two ids share."""
        if dest_oss_id not in (None, oss_id):
            raise NotSupported(_("The OSS Gateway Manager cannot copy from one storage to another."))
        if if_match and self.get_object_meta(oss_id, source_key).etag != if_match.strip('"'):
            raise IntegrityFailure(_("'%(key)s' on '%(connection)s' changed since it was listed; it was not copied.") % {
                "key": source_key, "connection": oss_id})
        if dest_absent:
            self._refuse_existing(oss_id, dest_key)
        self.copy_object(oss_id, source_key, dest_key)
        return self.get_object_meta(oss_id, dest_key).etag

    def _refuse_existing(self, oss_id: str, key: str) -> None:
        try:
            self.get_object_meta(oss_id, key)
        except ObjectNotFound:
            return
        raise IntegrityFailure(_("'%(key)s' on '%(connection)s' exists already; it was not overwritten.") % {
            "key": key, "connection": oss_id})

    # --- the bytes through this process (a copy between storages) ---

    def open_object(self, oss_id, key, *, range=None, version_id=None, if_match=None) -> ObjectStream:  # noqa: A002
        """A signed GET, sent with `Range` and `If-Match` (headers a query-string signature leaves free)."""
        validate_key(key)
        if version_id:
            raise NotSupported(_("The OSS Gateway Manager signs no reads of an object's older versions."))
        signed = self._signed("download", oss_id, key, internal=True, Expires=TRANSFER_EXPIRES, type="query_string")
        headers = {"If-Match": f'"{if_match.strip(chr(34))}"'} if if_match else {}
        if range is not None:
            first, last = range
            if first < 0 or (last is not None and last < first):
                raise InvalidRequest(_("Bytes %(first)s-%(last)s are not a range.") % {"first": first, "last": last})
            headers["Range"] = f"bytes={int(first)}-{'' if last is None else int(last)}"
        response = self.storage.send(signed, where=self._where(oss_id, key), stream=True, headers=headers,
                                     ok=(200, 206))
        return stream_of(response, oss_id, key, ranged=range is not None, reopen=self._reopener(oss_id, key, None))

    def put_object(self, oss_id, key, body, *, content_type=None, metadata=None, dest_absent=False, md5=None,
                   size=None, headers=None) -> str:
        """The manager's signed PUT, the body streamed into it; `headers` beyond type and metadata are sent
        with it unsigned (a query-string signature leaves them free, and the protocol has no names for them)."""
        validate_key(key, allow_folder_marker=False)
        metadata = validate_metadata(metadata)
        stored = stored_headers(headers, content_type, metadata)
        if stored is not None:
            content_type, metadata = stored.content_type, stored.metadata
        body = sized_body(body, size)
        if dest_absent:
            self._refuse_existing(oss_id, key)
        signed = self._signed_upload(oss_id, key, internal=True, metadata=metadata, Expires=TRANSFER_EXPIRES,
                                     content_type=content_type)
        sent = {**({"Content-Type": content_type} if content_type else {}),
                **(_header_fields(stored) if stored else {}), **signed.headers, **_md5_header(body, md5)}
        return self._send_bytes(signed, oss_id, key, body, sent)

    def upload_part(self, oss_id, key, upload_id, part_number, body, *, md5=None, size=None) -> str:
        body = sized_body(body, size)
        request = self.sign_upload_part(oss_id, key, upload_id, part_number, TRANSFER_EXPIRES, internal=True)
        signed = Signed(request.method, request.url, dict(request.headers))
        return self._send_bytes(signed, oss_id, key, body, {**signed.headers, **_md5_header(body, md5)})

    def _send_bytes(self, signed: Signed, oss_id: str, key: str, body, headers: dict[str, str]) -> str:
        """Bytes, or a SizedBody sent as it is read (requests takes its length as the Content-Length)."""
        with stream_failure_first(body):
            response = self.storage.send(signed, where=self._where(oss_id, key), data=body, headers=headers)
        response.close()
        return response.headers.get("ETag", "").strip('"')

    def get_object_headers(self, oss_id, key) -> ObjectHeaders:
        validate_key(key, allow_folder_marker=False)
        response = self.storage.send(self._signed("head", oss_id, key, internal=True), where=self._where(oss_id, key))
        response.close()
        meta = meta_from_headers(key, response.headers)
        return ObjectHeaders(content_type=meta.content_type, metadata=meta.metadata,
                             **{name: response.headers.get(header, "") for name, header in _HEADER_NAMES.items()})

    def delete_objects(self, oss_id, keys) -> DeleteResult:
        keys = [validate_key(k) for k in keys]
        deleted: list[str] = []
        errors: dict[str, str] = {}
        for start in range(0, len(keys), 1000):
            answer = self._ext("POST", f"delete/{_sid(oss_id)}", pgettext_lazy("manager extension", "bulk delete"),
                               json={"keys": keys[start:start + 1000]},
                               retry=True)
            deleted.extend(answer["deleted"])
            errors.update(answer["errors"])
        return DeleteResult(deleted, errors)

    def check_health(self, oss_id, *, timeout=3.0) -> HealthReport:
        answer = self._ext("GET", f"health/{_sid(oss_id)}", pgettext_lazy("manager extension", "health checks"),
                           params={"timeout": max(1, round(timeout))})
        return HealthReport(bool(answer["ok"]), answer.get("latency_ms"), str(answer["detail"]))

    def get_bucket_cors(self, oss_id) -> list[CorsRule]:
        answer = self._ext("GET", f"cors/{_sid(oss_id)}", pgettext_lazy("manager extension", "reading CORS rules"))
        return [CorsRule(r.get("allowed_origins", []), r.get("allowed_methods", []), r.get("allowed_headers", []),
                         r.get("expose_headers", []), r.get("max_age_seconds")) for r in answer]

    def put_bucket_cors(self, oss_id, rules: list[CorsRule]) -> None:
        body = [{"allowed_origins": r.allowed_origins, "allowed_methods": r.allowed_methods,
                 "allowed_headers": r.allowed_headers, "expose_headers": r.expose_headers,
                 "max_age_seconds": r.max_age_seconds} for r in rules]
        self._ext("PUT", f"cors/{_sid(oss_id)}", pgettext_lazy("manager extension", "writing CORS rules"),
                  json=body, retry=True)


_HEADER_NAMES = {"cache_control": "Cache-Control", "content_disposition": "Content-Disposition",
                 "content_encoding": "Content-Encoding", "content_language": "Content-Language", "expires": "Expires"}


def _header_fields(headers: ObjectHeaders) -> dict[str, str]:
    return {_HEADER_NAMES[name]: value for name, value in extra_headers(headers).items()}


def _md5_header(body, md5: bytes | None) -> dict[str, str]:
    """Content-MD5 of bytes (hashed here if need be); of a stream, only when the caller knows it."""
    if isinstance(body, bytes) or md5 is not None:
        return {"Content-MD5": content_md5(body if isinstance(body, bytes) else b"", md5)}
    return {}


def _runs(numbers: list[int], limit: int = 1000) -> list[tuple[int, int]]:
    """[1, 2, 3, 7, 8] -> [(1, 3), (7, 2)]: runs of consecutive numbers, at most `limit` long."""
    runs: list[tuple[int, int]] = []
    for number in numbers:
        if runs and runs[-1][0] + runs[-1][1] == number and runs[-1][1] < limit:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((number, 1))
    return runs


class _UrlHolder:
    """One signature shared by the ranges of a download, renewed after a failure."""

    def __init__(self, sign: Callable[[], Signed]):
        self._sign, self._signed, self._lock = sign, None, threading.Lock()

    def get(self, *, fresh: bool = False) -> Signed:
        with self._lock:
            if self._signed is None or fresh:
                self._signed = self._sign()
            return self._signed


def _run_all(pool: ThreadPoolExecutor, tasks: list[Callable[[], object]]) -> None:
    """Run tasks; on the first failure cancel what has not started and raise it."""
    futures: list[Future] = [pool.submit(task) for task in tasks]
    done, pending = wait(futures, return_when=FIRST_EXCEPTION)
    for future in pending:
        future.cancel()
    for future in futures:
        if future.done() and not future.cancelled() and future.exception() is not None:
            raise future.exception()
