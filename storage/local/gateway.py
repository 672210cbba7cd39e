"""LocalFolderGateway: the OssGateway interface over a folder on the console's server (connections of kind "local").

Bytes pass through the console here (there is no storage to send a browser to): the URLs it hands out are
the console's own (`storage.api.local_views`), signed like S3's. Everything streams in chunks; every write is
a temporary file renamed into place.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from storage.bodies import sized_body
from storage.connections import ConnectionSpec, Registry, storage_infos
from storage.disposition import response_overrides
from storage.gateway import (
    DEFAULT_URL_EXPIRES,
    MAX_URL_EXPIRES,
    STREAM_CHUNK,
    BucketSupport,
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
    OssGateway,
    PartInfo,
    StorageError,
    StorageInfo,
    UploadRequest,
    object_on,
)
from storage.keys import check_copy_keys, folder_marker_body, folder_upload_size, validate_key, validate_prefix
from storage.local import listing, multipart
from storage.local.files import (
    chunks_of,
    describe,
    open_file,
    place,
    read_sidecar,
    remove_empty_dirs,
    temp_path,
    write_sidecar,
    write_temp,
)
from storage.local.layout import META, OBJECTS, Layout
from storage.local.rules import local_folders_refusal
from storage.local.signing import Signed, expiry, signed_url
from storage.media_types import validate_content_type
from storage.object_headers import extra_headers, stored_headers
from storage.partial_download import resume_download
from storage.user_metadata import validate_metadata

MiB = 1024 * 1024
MULTIPART_THRESHOLD = 16 * MiB  # as the S3 gateway: above it, an upload_file's ETag is a multipart one
PART_SIZE = 8 * MiB
NO_BUCKET_FEATURES = gettext_lazy("a local folder keeps one version of each file, with no tags, lifecycle rules, "
                                  "bucket policy or object lock")
_OVERRIDE_PARAMS = {"ResponseContentDisposition": "response-content-disposition",
                    "ResponseContentType": "response-content-type", "ResponseCacheControl": "response-cache-control"}


def check_expires(expires: int) -> int:
    if not 1 <= int(expires) <= MAX_URL_EXPIRES:
        raise InvalidRequest(_("A URL's lifetime must be between 1 second and 7 days (got %(seconds)s).") % {
            "seconds": expires})
    return int(expires)


class LocalFolderGateway(OssGateway):
    def __init__(self, registry: Registry):
        self.registry = registry

    # --- plumbing ---

    def spec(self, oss_id: str) -> ConnectionSpec:
        if refusal := local_folders_refusal():
            raise NotSupported(refusal)
        spec = self.registry.get(oss_id)
        if spec.kind != "local":
            raise NotSupported(_("'%(name)s' is not a local folder connection.") % {"name": oss_id})
        return spec

    def layout(self, oss_id: str) -> Layout:
        return Layout.of(self.spec(oss_id).local_root)

    def _paths(self, oss_id: str, key: str, *, allow_folder_marker: bool = True) -> tuple[Layout, Path, Path]:
        layout = self.layout(oss_id)
        relative = layout.relative(key, allow_folder_marker=allow_folder_marker)
        return layout, layout.object_path(relative), layout.meta_path(relative)

    # --- writing ---

    def store(self, oss_id: str, key: str, chunks: Iterable[bytes], *, content_type: str | None = None,
              metadata: dict[str, str] | None = None, part_size: int = 0, limit: int | None = None,
              md5: bytes | None = None, dest_absent: bool = False, headers: ObjectHeaders | None = None) -> str:
        """Write `chunks` as the object `key` (atomically); its ETag (a multipart one with `part_size`).

        `headers` (checked) are kept in the sidecar, their content type and metadata before the arguments."""
        if headers is not None:
            content_type, metadata = headers.content_type, headers.metadata
        validate_content_type(content_type)
        metadata = validate_metadata(metadata)
        layout, target, meta_path = self._paths(oss_id, key)
        temp, written = write_temp(layout, chunks, part_size=part_size, limit=limit)
        return self._commit(layout, key, temp, written.etag(multipart=len(written.part_digests) > 1), target,
                            meta_path, content_type=content_type, metadata=metadata, dest_absent=dest_absent,
                            md5_ok=md5 is None or md5 == written.whole.digest(), headers=headers)

    def _commit(self, layout: Layout, key: str, temp: Path, etag: str, target: Path, meta_path: Path, *,
                content_type: str | None, metadata: dict[str, str] | None, dest_absent: bool, md5_ok: bool,
                headers: ObjectHeaders | None = None) -> str:
        try:
            if not md5_ok:
                raise IntegrityFailure(_("The data for '%(key)s' arrived damaged (its MD5 differs).") % {"key": key})
            inode = os.stat(temp).st_ino
            if not place(layout, temp, target, exclusive=dest_absent):
                raise IntegrityFailure(_("An object exists at '%(key)s'; it was kept.") % {"key": key})
        finally:
            temp.unlink(missing_ok=True)
        write_sidecar(layout, meta_path, inode, etag, content_type or "", metadata or {},
                      headers=extra_headers(headers) if headers else None)
        return etag

    def upload_file(self, oss_id, key, file, size=None, *, content_type=None, internal=True, metadata=None):
        if key.endswith("/"):
            folder_upload_size(key, size)
            return self.simple_upload(oss_id, key, folder_marker_body(key, file), content_type=content_type)
        # As the S3 gateway would store it: above the threshold (or of unknown size) in parts, with their ETag.
        multipart_sized = size is None or size > MULTIPART_THRESHOLD
        self.store(oss_id, key, chunks_of(file.read, size), content_type=content_type, metadata=metadata,
                   part_size=PART_SIZE if multipart_sized else 0)

    def simple_upload(self, oss_id, key, file, *, content_type=None, internal=True, metadata=None):
        if key.endswith("/"):
            validate_key(key)
            file = folder_marker_body(key, file)
        body = io.BytesIO(bytes(file)) if isinstance(file, (bytes, bytearray, memoryview)) else file
        self.store(oss_id, key, chunks_of(body.read), content_type=content_type, metadata=metadata)

    def put_object(self, oss_id, key, body, *, content_type=None, metadata=None, dest_absent=False, md5=None,
                   size=None, headers=None) -> str:
        body = sized_body(body, size)
        if key.endswith("/"):
            validate_key(key)
            body = folder_marker_body(key, body)
        chunks = [body] if isinstance(body, bytes) else body
        return self.store(oss_id, key, chunks, content_type=content_type, metadata=metadata, md5=md5,
                          dest_absent=dest_absent, headers=stored_headers(headers, content_type, metadata))

    # --- reading ---

    def get_object_headers(self, oss_id, key) -> ObjectHeaders:
        layout, target, meta_path = self._paths(oss_id, key, allow_folder_marker=False)
        with open_file(target, object_on(oss_id, key)) as f:
            meta = describe(layout, f, meta_path, key)
        sidecar = read_sidecar(meta_path) or {}
        kept = sidecar.get("headers") if sidecar.get("etag") == meta.etag else None
        return ObjectHeaders(content_type=meta.content_type, metadata=meta.metadata, **(kept or {}))

    def get_object_meta(self, oss_id, key, *, internal=True, checksums=False) -> ObjectMeta:
        layout, target, meta_path = self._paths(oss_id, key)
        with open_file(target, object_on(oss_id, key)) as f:
            return describe(layout, f, meta_path, key)

    def open_object(self, oss_id, key, *, range=None, version_id=None, if_match=None) -> ObjectStream:  # noqa: A002
        if version_id:
            raise NotSupported(_("A local folder keeps one version of each file."))
        layout, target, meta_path = self._paths(oss_id, key)
        f = open_file(target, object_on(oss_id, key))
        try:
            meta = describe(layout, f, meta_path, key)
            if if_match is not None and if_match.strip('"') != meta.etag:
                raise IntegrityFailure(_("%(what)s changed (its ETag is no longer %(etag)s).") % {
                    "what": object_on(oss_id, key), "etag": if_match})
            first, last = byte_range(range, meta.size)
            f.seek(first)
        except BaseException:
            f.close()
            raise
        return ObjectStream(meta, last - first + 1, f.read, f.close, where=object_on(oss_id, key), first_byte=first,
                            reopen=self._reopener(oss_id, key, version_id))

    def download_file(self, oss_id, key, *, internal=True) -> bytes:
        with self.open_object(oss_id, key) as stream:
            return stream.readall()

    def download_file_to_local(self, oss_id, key, path, *, internal=True, resume=False) -> int:
        """One open file read through: a replacement (a rename) never reaches it, so the bytes are of one version."""
        if resume:
            return resume_download(self, oss_id, key, path, internal=internal)
        path = Path(path)
        partial = path.with_name(path.name + ".part")
        with self.open_object(oss_id, key) as stream, open(partial, "wb") as out:
            for chunk in stream:
                out.write(chunk)
        os.replace(partial, path)
        return stream.received

    # --- deleting ---

    def delete_file(self, oss_id, key, *, internal=True, if_match=None) -> None:
        layout, target, meta_path = self._paths(oss_id, key)
        if if_match is not None:
            try:
                current = self.get_object_meta(oss_id, key).etag
            except ObjectNotFound:
                current = None
            if current is not None and current != if_match.strip('"'):
                raise IntegrityFailure(_("%(what)s changed; it was not deleted.") % {"what": object_on(oss_id, key)})
        for path, area in ((target, OBJECTS), (meta_path, META)):
            with contextlib.suppress(FileNotFoundError, NotADirectoryError, IsADirectoryError):
                path.unlink()
            remove_empty_dirs(path.parent, layout.area(area))

    def delete_objects(self, oss_id, keys) -> DeleteResult:
        deleted, errors = [], {}
        for key in keys:
            try:
                self.delete_file(oss_id, key)
                deleted.append(key)
            except StorageError as e:
                errors[key] = str(e)
        return DeleteResult(deleted, errors)

    # --- listing ---

    def list_objects(self, oss_id, prefix="", *, token=None, delimiter="/", max_keys=1000,
                     start_after=None) -> ListPage:
        validate_prefix(prefix)
        return listing.list_page(self.layout(oss_id), prefix, token=token, delimiter=delimiter, max_keys=max_keys,
                                 start_after=start_after)

    # --- copies ---

    def copy_object(self, oss_id, source_key, dest_key) -> None:
        self.server_copy(oss_id, source_key, dest_key)

    def server_copy(self, oss_id, source_key, dest_key, *, if_match=None, dest_absent=False, dest_oss_id=None) -> str:
        if dest_oss_id not in (None, oss_id):
            raise NotSupported(_("A local folder copies only within itself; other connections get a streamed copy."))
        check_copy_keys(source_key, dest_key)
        layout, target, meta_path = self._paths(oss_id, dest_key)
        with self.open_object(oss_id, source_key, if_match=if_match) as stream:
            temp = temp_path(layout)
            with open(temp, "wb") as out:
                shutil.copyfileobj(stream, out, STREAM_CHUNK)
        meta = stream.meta
        return self._commit(layout, dest_key, temp, meta.etag, target, meta_path, content_type=meta.content_type,
                            metadata=meta.metadata, dest_absent=dest_absent, md5_ok=True)

    # --- multipart ---

    def create_multipart_upload(self, oss_id, key, *, content_type=None, metadata=None) -> str:
        validate_content_type(content_type)
        metadata = validate_metadata(metadata)
        layout, _target, _meta = self._paths(oss_id, key, allow_folder_marker=False)
        return multipart.start(layout, key, content_type, metadata)

    def upload_part(self, oss_id, key, upload_id, part_number, body, *, md5=None, size=None) -> str:
        body = sized_body(body, size)
        chunks = [body] if isinstance(body, bytes) else body
        return multipart.store_part(self.layout(oss_id), key, upload_id, part_number, chunks, md5=md5)

    def store_part(self, oss_id: str, key: str, upload_id: str, part_number: int, chunks: Iterable[bytes], *,
                   limit: int | None = None) -> str:
        """Write one part's bytes as they arrive (a signed part URL's PUT); its ETag."""
        return multipart.store_part(self.layout(oss_id), key, upload_id, part_number, chunks, limit=limit)

    def list_parts(self, oss_id, key, upload_id) -> list[PartInfo]:
        return multipart.parts(self.layout(oss_id), key, upload_id)

    def complete_multipart_upload(self, oss_id, key, upload_id, parts, *, dest_absent=False) -> str:
        layout, target, meta_path = self._paths(oss_id, key, allow_folder_marker=False)
        temp, written, document = multipart.join(layout, key, upload_id, parts)
        etag = self._commit(layout, key, temp, written.etag(multipart=True), target, meta_path,
                            content_type=document["content_type"], metadata=document["metadata"],
                            dest_absent=dest_absent, md5_ok=True)
        multipart.finish(layout, upload_id)
        return etag

    def abort_multipart_upload(self, oss_id, key, upload_id) -> None:
        layout = self.layout(oss_id)
        multipart.upload(layout, key, upload_id)
        multipart.finish(layout, upload_id)

    def list_multipart_uploads(self, oss_id, prefix="") -> list[MultipartUploadInfo]:
        return multipart.in_progress(self.layout(oss_id), prefix)

    # --- signed URLs (served by storage.api.local_views) ---

    def get_download_url(self, oss_id, key, expires=DEFAULT_URL_EXPIRES, *, filename=None, inline=False,
                         internal=False) -> str:
        validate_key(key)
        self.spec(oss_id)
        params = {"expires": expiry(check_expires(expires))}
        params.update({_OVERRIDE_PARAMS[name]: value for name, value in response_overrides(key, filename, inline).items()})
        return signed_url(Signed("GET", oss_id, key, params))

    def get_upload_request(self, oss_id, key, expires=DEFAULT_URL_EXPIRES, *, content_type=None, size=None,
                           internal=False, metadata=None) -> UploadRequest:
        size = folder_upload_size(validate_key(key), size)
        validate_content_type(content_type)
        self._paths(oss_id, key)
        params = {"expires": expiry(check_expires(expires))}
        headers = {}
        if size is not None:
            params["size"] = str(int(size))
        if content_type:
            params["content-type"] = headers["Content-Type"] = content_type
        metadata = validate_metadata(metadata)
        if any("_" in name for name in metadata):
            raise InvalidRequest(_("A signed upload into a local folder sends its metadata as HTTP headers, whose "
                                   "names web servers drop when they hold '_': use '-' instead."))
        headers.update({f"x-amz-meta-{name}": value for name, value in metadata.items()})
        return UploadRequest("PUT", signed_url(Signed("PUT", oss_id, key, params, metadata)), headers, int(expires))

    def sign_upload_part(self, oss_id, key, upload_id, part_number, expires=DEFAULT_URL_EXPIRES, *,
                         internal=False) -> UploadRequest:
        multipart.upload(self.layout(oss_id), key, upload_id)
        params = {"expires": expiry(check_expires(expires)), "upload-id": upload_id,
                  "part": str(multipart.check_part_number(part_number))}
        return UploadRequest("PUT", signed_url(Signed("PUT", oss_id, key, params)), {}, int(expires))

    # --- the connection ---

    def get_available_oss(self) -> str:
        for spec in self.registry.all():
            if spec.enabled and spec.kind == "local" and self.check_health(spec.name).ok:
                return spec.name
        raise NoAvailableConnection(_("No storage connection is available."))

    def list_storages(self) -> list[StorageInfo]:
        return storage_infos(self.registry)

    def check_health(self, oss_id, *, timeout=3.0) -> HealthReport:
        started = time.monotonic()
        try:
            layout = self.layout(oss_id)
            if not layout.root.is_dir():
                raise NotADirectoryError(_("the folder %(path)s does not exist") % {"path": layout.root})
            probe = temp_path(layout)
            probe.write_bytes(b"")
            probe.unlink()
        except (StorageError, OSError) as e:
            detail = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
            return HealthReport(False, None, _("The folder cannot be used: %(why)s") % {"why": detail})
        return HealthReport(True, (time.monotonic() - started) * 1000,
                            _("The folder %(path)s exists and is writable.") % {"path": layout.root})

    def free_space(self, oss_id) -> int | None:
        return shutil.disk_usage(self.layout(oss_id).root).free

    def bucket_support(self, oss_id) -> BucketSupport:
        self.spec(oss_id)
        return BucketSupport.none(NO_BUCKET_FEATURES)

    def get_bucket_versioning(self, oss_id) -> str:
        self.spec(oss_id)
        return ""  # never turned on: a folder keeps one version of each file

    def get_bucket_cors(self, oss_id):
        raise NotSupported(_("A local folder is served by the console itself: it needs no CORS rules."))


def byte_range(wanted: tuple[int, int | None] | None, size: int) -> tuple[int, int]:
    """(first, last) byte, inclusive, of a range of an object of `size` bytes; InvalidRequest when outside it."""
    if wanted is None:
        return 0, size - 1
    first, last = wanted
    last = size - 1 if last is None else min(last, size - 1)
    if first < 0 or first > last:
        raise InvalidRequest(_("The range %(first)s-%(last)s is outside the object's %(size)s bytes.") % {
            "first": first, "last": wanted[1] if wanted[1] is not None else "", "size": size})
    return first, last
