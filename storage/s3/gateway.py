"""The community edition's gateway: boto3 straight to S3-compatible storage."""

from __future__ import annotations

import io
import math
import os
import stat
import tempfile
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from boto3.s3.transfer import TransferConfig
from botocore import exceptions as boto_errors
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from storage.bodies import sized_body, stream_failure_first
from storage.bucket_documents import LifecycleRule, ObjectLock
from storage.connections import ConnectionSpec, Registry, storage_infos
from storage.cors import rule_dict
from storage.digests import content_md5
from storage.disposition import response_overrides
from storage.gateway import (
    DEFAULT_URL_EXPIRES,
    MAX_URL_EXPIRES,
    STREAMED,
    BucketSupport,
    CorsRule,
    DeletedPage,
    DeleteResult,
    HealthReport,
    IntegrityFailure,
    InvalidKey,
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
    ObjectVersion,
    OssGateway,
    PartInfo,
    StorageError,
    StorageInfo,
    UploadPost,
    UploadRequest,
)
from storage.keys import (
    SHORTEST_NAME_LIMIT,
    check_copy_keys,
    folder_marker_body,
    folder_upload_size,
    name_bytes,
    name_limit_for,
    validate_key,
    validate_name_length,
    validate_prefix,
)
from storage.media_types import validate_content_type
from storage.object_headers import stored_headers
from storage.partial_download import resume_download
from storage.s3 import bucket_settings, reading, routes, streaming, versions
from storage.s3 import errors as s3_errors
from storage.s3.client import CLIENT_RETRIES, ClientCache
from storage.s3.direct_copy import DirectCopier, direct_copier
from storage.s3.reading import quoted as _quoted
from storage.user_metadata import as_headers, validate_metadata

MiB = 1024 * 1024
MULTIPART_THRESHOLD = 16 * MiB
MIN_PART_SIZE = 8 * MiB
MAX_PARTS = 10_000
DOWNLOAD_ATTEMPTS = 3
HEALTH_TTL_OK = 30.0
HEALTH_TTL_FAILED = 5.0


def part_size_for(size: int | None) -> int:
    """The smallest part size (>= 8 MiB, whole MiB) that keeps a file within 10,000 parts."""
    if not size:
        return MIN_PART_SIZE
    return max(MIN_PART_SIZE, math.ceil(size / (MAX_PARTS - 1) / MiB) * MiB)


def check_expires(expires: int) -> int:
    if not 1 <= int(expires) <= MAX_URL_EXPIRES:
        raise InvalidRequest(_("A URL's lifetime must be between 1 second and 7 days (got %(seconds)s).") % {
            "seconds": expires})
    return int(expires)


def _whole_disk_file(file) -> str | None:
    """The path of `file` when it is a regular file on disk, read from its start, that its name still names."""
    try:
        name = file.name
        if not isinstance(name, str) or "b" not in getattr(file, "mode", "") or file.tell() != 0:
            return None
        opened, named = os.fstat(file.fileno()), os.stat(name)
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return None
    same = (opened.st_dev, opened.st_ino) == (named.st_dev, named.st_ino)
    return os.path.abspath(name) if same and stat.S_ISREG(opened.st_mode) else None


class S3Gateway(OssGateway):
    def __init__(self, registry: Registry, clients: ClientCache | None = None):
        self.registry = registry
        self.clients = clients or ClientCache()
        self._health: dict[str, tuple[float, HealthReport]] = {}
        self._health_lock = threading.Lock()
        self._servers: dict[str, str] = {}  # connection fingerprint -> the storage's `Server` header
        self._copiers: dict[str, tuple[object, DirectCopier | None]] = {}  # connection -> (its client, its copier)
        self._support: dict[str, BucketSupport] = {}  # connection fingerprint -> what its bucket supports

    # --- plumbing ---

    def _spec(self, oss_id: str) -> ConnectionSpec:
        return self.registry.get(oss_id)

    def _client(self, spec: ConnectionSpec, *, internal: bool = True):
        return self.clients.get(spec, "internal" if internal else "public")

    def _call(self, oss_id: str, action: str, fn, *, key: str | None = None):
        try:
            return fn()
        except StorageError:
            raise
        except Exception as e:  # botocore raises many unrelated types
            raise s3_errors.translate(e, connection=oss_id, key=key, action=action) from e

    def _check_name(self, spec: ConnectionSpec, key: str) -> None:
        """Refuse, before anything is signed or sent, a name longer than the storage accepts.

        Whether the storage limits names is learnt from its `Server` header (a HEAD on the
        bucket, once per connection version), and asked only for a name longer than the
        shortest limit known, so ordinary keys cost nothing. A storage not recognised (another
        product, or a proxy that hides the header) signs as before; the browser then shows the
        storage's own refusal in plain words.
        """
        if name_bytes(key) > SHORTEST_NAME_LIMIT:
            validate_name_length(key, name_limit_for(self._server(spec)))

    def _server(self, spec: ConnectionSpec) -> str | None:
        with self._health_lock:
            known = self._servers.get(spec.fingerprint)
        if known is not None:
            return known
        try:
            answer = self.clients.get(spec, "probe:3.0").head_bucket(Bucket=spec.bucket)
            headers = answer.get("ResponseMetadata", {}).get("HTTPHeaders", {})
        except boto_errors.ClientError as e:  # an error answer names its server too
            headers = e.response.get("ResponseMetadata", {}).get("HTTPHeaders", {})
        except Exception:  # unreachable: not known now, asked again next time
            return None
        server = str(headers.get("server", ""))
        with self._health_lock:
            self._servers[spec.fingerprint] = server
        return server

    @staticmethod
    def _transfer_config(size: int | None = None) -> TransferConfig:
        return TransferConfig(
            multipart_threshold=MULTIPART_THRESHOLD,
            multipart_chunksize=part_size_for(size),
            max_concurrency=8,
            max_io_queue=64,
            use_threads=True,
        )

    # --- seed methods ---

    def upload_file(self, oss_id, key, file, size=None, *, content_type=None, internal=True, metadata=None):
        validate_key(key)
        if key.endswith("/"):  # a folder marker: 0 bytes in one PutObject
            folder_upload_size(key, size)
            return self.simple_upload(oss_id, key, folder_marker_body(key, file), content_type=content_type,
                                      internal=internal, metadata=metadata)
        validate_content_type(content_type)
        metadata = validate_metadata(metadata)
        spec = self._spec(oss_id)
        self._check_name(spec, key)
        extra = {"ContentType": content_type} if content_type else {}
        if metadata:
            extra["Metadata"] = metadata

        def run():
            client = self._client(spec, internal=internal)
            path = _whole_disk_file(file)
            if path:  # the transfer manager reads each part from disk in its own thread: not all in memory
                client.upload_file(path, spec.bucket, key, ExtraArgs=extra, Config=self._transfer_config(size))
            else:
                client.upload_fileobj(file, spec.bucket, key, ExtraArgs=extra,
                                      Config=self._transfer_config(size))
            if size is not None:
                stored = client.head_object(Bucket=spec.bucket, Key=key)["ContentLength"]
                if stored != size:
                    raise IntegrityFailure(_("'%(key)s' was stored with %(stored)s bytes; %(size)s were expected.") % {
                        "key": key, "stored": stored, "size": size})

        self._call(oss_id, "upload", run, key=key)

    def simple_upload(self, oss_id, key, file, *, content_type=None, internal=True, metadata=None):
        validate_key(key)
        if key.endswith("/"):
            file = folder_marker_body(key, file)
        validate_content_type(content_type)
        metadata = validate_metadata(metadata)
        spec = self._spec(oss_id)
        self._check_name(spec, key)
        params = {"Bucket": spec.bucket, "Key": key, "Body": file}
        if content_type:
            params["ContentType"] = content_type
        if metadata:
            params["Metadata"] = metadata
        self._call(oss_id, "upload", lambda: self._client(spec, internal=internal).put_object(**params), key=key)

    def download_file(self, oss_id, key, *, internal=True) -> bytes:
        validate_key(key)
        spec = self._spec(oss_id)
        client = self._client(spec, internal=internal)
        last_error: StorageError | None = None
        for _attempt in range(DOWNLOAD_ATTEMPTS):
            try:
                return self._download_once(client, spec, key)
            except ObjectNotFound:
                raise
            except StorageError as e:
                last_error = e
            except Exception as e:
                last_error = s3_errors.translate(e, connection=oss_id, key=key, action="download")
        assert last_error is not None
        raise last_error

    @staticmethod
    def _download_once(client, spec: ConnectionSpec, key: str) -> bytes:
        response = client.get_object(Bucket=spec.bucket, Key=key)
        expected = response["ContentLength"]
        data = response["Body"].read()
        if len(data) != expected:
            raise IntegrityFailure(_("Received %(received)s of %(size)s bytes of '%(key)s'.") % {
                "received": len(data), "size": expected, "key": key})
        return data

    def download_file_to_local(self, oss_id, key, path, *, internal=True, resume=False) -> int:
        """The transfer manager's parallel ranges, each pinned with If-Match to the ETag of its own HEAD."""
        validate_key(key)
        if resume:
            return resume_download(self, oss_id, key, path, internal=internal)
        spec = self._spec(oss_id)
        target = Path(path)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        os.close(fd)

        def run() -> int:
            client = self._client(spec, internal=internal)
            head = client.head_object(Bucket=spec.bucket, Key=key)
            client.download_file(spec.bucket, key, tmp_name,
                                 Config=self._transfer_config(head["ContentLength"]))
            received = os.path.getsize(tmp_name)
            if received != head["ContentLength"]:
                raise IntegrityFailure(_("Received %(received)s of %(size)s bytes of '%(key)s'.") % {
                    "received": received, "size": head["ContentLength"], "key": key})
            os.replace(tmp_name, target)
            return received

        try:
            return self._call(oss_id, "download", run, key=key)
        finally:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)

    def delete_file(self, oss_id, key, *, internal=True, if_match=None):
        validate_key(key)
        spec = self._spec(oss_id)
        params = {"Bucket": spec.bucket, "Key": key}
        if if_match:
            params["IfMatch"] = _quoted(if_match)  # conditional delete: AWS, Ceph, SeaweedFS answer 412 on a change
        try:
            self._call(oss_id, "delete", lambda: self._client(spec, internal=internal).delete_object(**params),
                       key=key)
        except NotSupported:
            if not if_match:
                raise
            # A storage that refuses the condition: check the ETag just before (not atomic, a narrow window).
            if self.get_object_meta(oss_id, key, internal=internal).etag != if_match.strip('"'):
                raise IntegrityFailure(_("'%(key)s' on '%(connection)s' changed; it was not deleted.") % {
                    "key": key, "connection": oss_id}) from None
            del params["IfMatch"]
            self._call(oss_id, "delete", lambda: self._client(spec, internal=internal).delete_object(**params),
                       key=key)

    def get_download_url(self, oss_id, key, expires=DEFAULT_URL_EXPIRES, *, filename=None,
                         inline=False, internal=False) -> str:
        validate_key(key)
        expires = check_expires(expires)
        spec = self._spec(oss_id)
        params = {"Bucket": spec.bucket, "Key": key, **response_overrides(key, filename, inline)}
        return self._call(oss_id, pgettext_lazy("storage action", "sign a download for"),
                          lambda: self._client(spec, internal=internal)
                          .generate_presigned_url("get_object", Params=params, ExpiresIn=expires), key=key)

    def get_upload_request(self, oss_id, key, expires=DEFAULT_URL_EXPIRES, *, content_type=None,
                           size=None, internal=False, metadata=None) -> UploadRequest:
        validate_key(key)
        size = folder_upload_size(key, size)  # a folder key is signed for 0 bytes: a body is refused
        validate_content_type(content_type)
        metadata = validate_metadata(metadata)
        expires = check_expires(expires)
        spec = self._spec(oss_id)
        self._check_name(spec, key)
        params: dict = {"Bucket": spec.bucket, "Key": key}
        headers = {}
        if content_type:
            params["ContentType"] = headers["Content-Type"] = content_type
        if size is not None:
            params["ContentLength"] = int(size)
        if metadata:
            params["Metadata"] = metadata
            headers.update(as_headers(metadata))
        url = self._call(oss_id, pgettext_lazy("storage action", "sign an upload for"),
                         lambda: self._client(spec, internal=internal)
                         .generate_presigned_url("put_object", Params=params, ExpiresIn=expires), key=key)
        return UploadRequest("PUT", url, headers, expires)

    def get_upload_post(self, oss_id, key, expires=DEFAULT_URL_EXPIRES, *, max_size,
                        content_type="application/octet-stream", internal=False, metadata=None) -> UploadPost:
        validate_key(key, allow_folder_marker=False)
        if "${filename}" in key:  # botocore would turn the exact key into a prefix match
            raise InvalidKey(_("A form upload's key is chosen by the console; it cannot hold '${filename}'."))
        validate_content_type(content_type)
        expires = check_expires(expires)
        spec = self._spec(oss_id)
        self._check_name(spec, key)
        meta_fields = as_headers(validate_metadata(metadata))  # each signed in as an exact match
        fields = {"Content-Type": content_type, **meta_fields}
        conditions: list = [{"key": key}, {"Content-Type": content_type},
                            ["content-length-range", 0, int(max_size)], *({n: v} for n, v in meta_fields.items())]
        answer = self._call(oss_id, pgettext_lazy("storage action", "sign a form upload for"),
                            lambda: self._client(spec, internal=internal)
                            .generate_presigned_post(spec.bucket, key, Fields=fields, Conditions=conditions,
                                                     ExpiresIn=expires), key=key)
        return UploadPost(answer["url"], dict(answer["fields"]), expires)

    def get_object_meta(self, oss_id, key, *, internal=True, checksums=False) -> ObjectMeta:
        validate_key(key)
        spec = self._spec(oss_id)
        params = {"Bucket": spec.bucket, "Key": key, **({"ChecksumMode": "ENABLED"} if checksums else {})}
        head = self._call(oss_id, pgettext_lazy("storage action", "read metadata of"),
                          lambda: self._client(spec, internal=internal)
                          .head_object(**params), key=key)
        return ObjectMeta(
            key=key, size=head["ContentLength"], etag=head.get("ETag", "").strip('"'),
            content_type=head.get("ContentType", "application/octet-stream"),
            last_modified=head.get("LastModified"), metadata=dict(head.get("Metadata", {})),
            storage_class=head.get("StorageClass", "STANDARD"), checksums=reading.checksums_of(head),
        )

    def get_available_oss(self) -> str:
        specs = [s for s in self.registry.all() if s.enabled]
        for spec in specs:
            try:
                if self._healthy(spec):
                    return spec.name
            except Exception as e:  # a client that cannot be built: log and skip
                s3_errors.log.error("connection '%s' cannot be initialised: %s", spec.name, e)
        raise NoAvailableConnection(_("No storage connection is available."))

    def _healthy(self, spec: ConnectionSpec) -> bool:
        return self._recent_health(spec, timeout=2.0).ok

    def _recent_health(self, spec: ConnectionSpec, *, timeout: float) -> HealthReport:
        now = time.monotonic()
        with self._health_lock:
            cached = self._health.get(spec.fingerprint)
        if cached and cached[0] > now:
            return cached[1]
        report = self._probe(spec, timeout=timeout)
        ttl = HEALTH_TTL_OK if report.ok else HEALTH_TTL_FAILED
        with self._health_lock:
            self._health[spec.fingerprint] = (now + ttl, report)
        return report

    # --- beyond the seed ---

    def list_storages(self) -> list[StorageInfo]:
        return storage_infos(self.registry)

    def check_health(self, oss_id, *, timeout=3.0) -> HealthReport:
        return self._probe(self._spec(oss_id), timeout=timeout)

    def recent_health(self, oss_id, *, timeout=2.0) -> HealthReport:
        """The result `get_available_oss` keeps (30 s when healthy, 5 s when not), probing when it has expired."""
        return self._recent_health(self._spec(oss_id), timeout=timeout)

    def _probe(self, spec: ConnectionSpec, *, timeout: float) -> HealthReport:
        started = time.perf_counter()
        try:
            self.clients.get(spec, f"probe:{timeout}").head_bucket(Bucket=spec.bucket)
        except Exception as e:
            return HealthReport(False, None, probe_failure(e, spec), missing_bucket=_no_such_bucket(e))
        return HealthReport(True, (time.perf_counter() - started) * 1000, _("bucket reachable"))

    def list_objects(self, oss_id, prefix="", *, token=None, delimiter="/", max_keys=1000,
                     start_after=None) -> ListPage:
        validate_prefix(prefix)
        spec = self._spec(oss_id)
        params = {"Bucket": spec.bucket, "Prefix": prefix, "MaxKeys": max(1, min(int(max_keys), 1000))}
        if delimiter:
            params["Delimiter"] = delimiter
        if token:
            params["ContinuationToken"] = token
        if start_after:
            params["StartAfter"] = start_after
        page = self._call(oss_id, "list", lambda: self._client(spec).list_objects_v2(**params), key=prefix or None)
        objects = [
            ObjectSummary(o["Key"], o["Size"], o.get("ETag", "").strip('"'), o.get("LastModified"),
                          o.get("StorageClass", "STANDARD"))
            for o in page.get("Contents", []) if not (o["Key"] == prefix and prefix.endswith("/"))
        ]  # a folder's own marker is not one of its files; an object named by the exact prefix is
        folders = [p["Prefix"] for p in page.get("CommonPrefixes", [])]
        next_token = page.get("NextContinuationToken") if page.get("IsTruncated") else None
        return ListPage(prefix, folders, objects, next_token)

    def create_multipart_upload(self, oss_id, key, *, content_type=None, metadata=None) -> str:
        validate_key(key, allow_folder_marker=False)
        validate_content_type(content_type)
        metadata = validate_metadata(metadata)
        spec = self._spec(oss_id)
        self._check_name(spec, key)
        params = {"Bucket": spec.bucket, "Key": key}
        if content_type:
            params["ContentType"] = content_type
        if metadata:
            params["Metadata"] = metadata
        answer = self._call(oss_id, pgettext_lazy("storage action", "start a multipart upload of"),
                            lambda: self._client(spec).create_multipart_upload(**params), key=key)
        return answer["UploadId"]

    def sign_upload_part(self, oss_id, key, upload_id, part_number, expires=DEFAULT_URL_EXPIRES, *,
                         internal=False, length: int | None = None) -> UploadRequest:
        """A presigned part PUT; with `length`, S3 takes exactly that many bytes and no other number."""
        validate_key(key, allow_folder_marker=False)
        expires = check_expires(expires)
        if not 1 <= int(part_number) <= MAX_PARTS:
            raise InvalidRequest(_("A part number must be between 1 and %(most)s (got %(number)s).") % {
                "most": MAX_PARTS, "number": part_number})
        spec = self._spec(oss_id)
        params = {"Bucket": spec.bucket, "Key": key, "UploadId": upload_id, "PartNumber": int(part_number)}
        if length is not None:
            params["ContentLength"] = int(length)
        url = self._call(oss_id, pgettext_lazy("storage action", "sign a part of"),
                         lambda: self._client(spec, internal=internal)
                         .generate_presigned_url("upload_part", Params=params, ExpiresIn=expires), key=key)
        return UploadRequest("PUT", url, {}, expires)

    def sign_upload_parts(self, oss_id, key, upload_id, part_numbers, expires=DEFAULT_URL_EXPIRES, *,
                          internal=False) -> dict[int, UploadRequest]:
        validate_key(key, allow_folder_marker=False)
        expires = check_expires(expires)
        numbers = sorted({int(n) for n in part_numbers})
        if numbers and (numbers[0] < 1 or numbers[-1] > MAX_PARTS):
            raise InvalidRequest(_("Part numbers must be between 1 and %(most)s.") % {"most": MAX_PARTS})
        spec = self._spec(oss_id)  # one connection lookup and one client for the whole batch

        def run() -> dict[int, UploadRequest]:
            client = self._client(spec, internal=internal)
            return {n: UploadRequest("PUT", client.generate_presigned_url("upload_part", Params={
                "Bucket": spec.bucket, "Key": key, "UploadId": upload_id, "PartNumber": n}, ExpiresIn=expires),
                {}, expires) for n in numbers}

        return self._call(oss_id, pgettext_lazy("storage action", "sign parts of"), run, key=key)

    def list_parts(self, oss_id, key, upload_id) -> list[PartInfo]:
        validate_key(key, allow_folder_marker=False)
        spec = self._spec(oss_id)

        def run() -> list[PartInfo]:
            paginator = self._client(spec).get_paginator("list_parts")
            return [
                PartInfo(p["PartNumber"], p["ETag"].strip('"'), p["Size"])
                for page in paginator.paginate(Bucket=spec.bucket, Key=key, UploadId=upload_id)
                for p in page.get("Parts", [])
            ]

        return self._call(oss_id, pgettext_lazy("storage action", "list the parts of"), run, key=key)

    def complete_multipart_upload(self, oss_id, key, upload_id, parts: Iterable[tuple[int, str]], *,
                                  dest_absent=False) -> str:
        validate_key(key, allow_folder_marker=False)
        spec = self._spec(oss_id)
        ordered = sorted((int(n), _quoted(etag)) for n, etag in parts)
        if not ordered:
            raise IntegrityFailure(_("A multipart upload needs at least one part to complete."))
        body = {"Parts": [{"PartNumber": n, "ETag": etag} for n, etag in ordered]}
        params = {"Bucket": spec.bucket, "Key": key, "UploadId": upload_id, "MultipartUpload": body}
        answer = self._write_if_absent(oss_id, key, params, dest_absent, pgettext_lazy("storage action", "complete the upload of"),
                                       lambda p: self._client(spec).complete_multipart_upload(**p))
        return answer.get("ETag", "").strip('"')

    def abort_multipart_upload(self, oss_id, key, upload_id) -> None:
        validate_key(key, allow_folder_marker=False)
        spec = self._spec(oss_id)
        self._call(oss_id, pgettext_lazy("storage action", "abort the upload of"),
                   lambda: self._client(spec).abort_multipart_upload(
            Bucket=spec.bucket, Key=key, UploadId=upload_id), key=key)

    def list_multipart_uploads(self, oss_id, prefix="") -> list[MultipartUploadInfo]:
        validate_prefix(prefix)
        spec = self._spec(oss_id)

        def run() -> list[MultipartUploadInfo]:
            paginator = self._client(spec).get_paginator("list_multipart_uploads")
            return [
                MultipartUploadInfo(u["Key"], u["UploadId"], u.get("Initiated"))
                for page in paginator.paginate(Bucket=spec.bucket, Prefix=prefix)
                for u in page.get("Uploads", [])
            ]

        return self._call(oss_id, pgettext_lazy("storage action", "list the uploads in progress of"), run)

    def copy_object(self, oss_id, source_key, dest_key) -> None:
        check_copy_keys(source_key, dest_key)
        spec = self._spec(oss_id)
        self._check_name(spec, dest_key)
        config = TransferConfig(multipart_threshold=5 * 1024 * MiB, multipart_chunksize=512 * MiB)
        self._call(oss_id, "copy", lambda: self._client(spec).copy(
            {"Bucket": spec.bucket, "Key": source_key}, spec.bucket, dest_key, Config=config), key=source_key)

    def server_copy(self, oss_id, source_key, dest_key, *, if_match=None, dest_absent=False, dest_oss_id=None) -> str:
        check_copy_keys(source_key, dest_key)
        spec, dest = self._copy_ends(oss_id, dest_oss_id)
        self._check_name(dest, dest_key)
        params = {"Bucket": dest.bucket, "Key": dest_key, "CopySource": {"Bucket": spec.bucket, "Key": source_key},
                  "MetadataDirective": "COPY"}
        if if_match:
            params["CopySourceIfMatch"] = _quoted(if_match)
        answer = self._write_if_absent(dest.name, dest_key, params, dest_absent, "copy",
                                       lambda p: self._send_copy(dest, p), named=source_key)
        return answer.get("CopyObjectResult", {}).get("ETag", "").strip('"')

    def _send_copy(self, dest: ConnectionSpec, params: dict) -> dict:
        copier = self._direct_copier(dest)
        if copier is not None and copier.can_send(params):
            return copier.copy_object(params)
        return self._client(dest).copy_object(**params)

    def _direct_copier(self, spec: ConnectionSpec) -> DirectCopier | None:
        """The DirectCopier beside `spec`'s client, made again whenever the client is (None: not plain)."""
        client = self._client(spec)
        made = self._copiers.get(spec.name)
        if made is None or made[0] is not client:
            made = (client, direct_copier(spec, client, attempts=CLIENT_RETRIES + 1))
            self._copiers[spec.name] = made  # two threads may both make one: either is right
        return made[1]

    def _copy_ends(self, oss_id: str, dest_oss_id: str | None) -> tuple[ConnectionSpec, ConnectionSpec]:
        """The source's and the destination's specs, when the storage can copy from one to the other itself."""
        spec = self._spec(oss_id)
        if dest_oss_id is None or dest_oss_id == oss_id:
            return spec, spec
        dest = self._spec(dest_oss_id)
        if routes.copy_route(spec, dest) == STREAMED:
            raise NotSupported(_("'%(source)s' and '%(dest)s' share no storage and credentials: the storage cannot "
                                 "copy from one to the other.") % {"source": oss_id, "dest": dest_oss_id})
        return spec, dest

    def _write_if_absent(self, oss_id: str, key: str, params: dict, dest_absent: bool, action: str, send, *,
                         named: str | None = None):
        """Send a write (If-None-Match: * with `dest_absent`); a storage that refuses the condition is asked first.

        `named` is the key errors name (a copy's source), `key` by default."""
        where = named or key
        if dest_absent:
            params = {**params, "IfNoneMatch": "*"}  # AWS (conditional writes), SeaweedFS: 412 when the key exists
        try:
            return self._call(oss_id, action, lambda: send(params), key=where)
        except NotSupported:
            if not dest_absent:
                raise
            # A storage that refuses the condition: look just before (not atomic, a narrow window).
            if self._exists(oss_id, key):
                raise IntegrityFailure(_("'%(key)s' on '%(connection)s' exists already; it was not overwritten.") % {
                    "key": key, "connection": oss_id}) from None
            del params["IfNoneMatch"]
            return self._call(oss_id, action, lambda: send(params), key=where)

    def _exists(self, oss_id: str, key: str) -> bool:
        try:
            self.get_object_meta(oss_id, key)
        except ObjectNotFound:
            return False
        return True

    def server_copy_part(self, oss_id, source_key, dest_key, upload_id, part_number, first_byte, last_byte, *,
                         if_match=None, dest_oss_id=None) -> str:
        check_copy_keys(source_key, dest_key)
        if not 1 <= int(part_number) <= MAX_PARTS or not 0 <= int(first_byte) <= int(last_byte):
            raise InvalidRequest(_("Part %(number)s of bytes %(first)s-%(last)s cannot be copied.") % {
                "number": part_number, "first": first_byte, "last": last_byte})
        spec, dest = self._copy_ends(oss_id, dest_oss_id)
        params = {"Bucket": dest.bucket, "Key": dest_key, "UploadId": upload_id, "PartNumber": int(part_number),
                  "CopySource": {"Bucket": spec.bucket, "Key": source_key},
                  "CopySourceRange": f"bytes={int(first_byte)}-{int(last_byte)}"}
        if if_match:
            params["CopySourceIfMatch"] = _quoted(if_match)
        answer = self._call(dest.name, pgettext_lazy("storage action", "copy part of"),
                            lambda: self._client(dest).upload_part_copy(**params),
                            key=source_key)
        return answer["CopyPartResult"]["ETag"].strip('"')

    # --- between connections that share nothing: the bytes through the caller ---

    def copy_route(self, source_oss_id, dest_oss_id) -> str:
        return routes.copy_route(self._spec(source_oss_id), self._spec(dest_oss_id))

    def open_object(self, oss_id, key, *, range=None, version_id=None, if_match=None) -> ObjectStream:  # noqa: A002
        validate_key(key)
        spec = self._spec(oss_id)
        params = reading.get_params(spec, key, byte_range=range, version_id=version_id, if_match=if_match)
        answer = self._call(oss_id, "read", lambda: self._client(spec).get_object(**params), key=key)
        return reading.object_stream(answer, oss_id=oss_id, key=key,
                                     reopen=self._reopener(oss_id, key, version_id))

    def put_object(self, oss_id, key, body, *, content_type=None, metadata=None, dest_absent=False, md5=None,
                   size=None, headers=None) -> str:
        validate_key(key, allow_folder_marker=False)
        metadata = validate_metadata(metadata)
        stored = stored_headers(headers, content_type, metadata)
        spec = self._spec(oss_id)
        self._check_name(spec, key)
        body = sized_body(body, size)
        params = {"Bucket": spec.bucket, "Key": key}
        if stored is not None:
            params.update(versions.header_params(stored), Metadata=dict(stored.metadata))
        else:
            params.update({"ContentType": content_type} if content_type else {},
                          **({"Metadata": metadata} if metadata else {}))
        with stream_failure_first(body):
            answer = self._write_if_absent(oss_id, key, params, dest_absent, "upload",
                                           lambda p: self._send_body(spec, "PutObject", p, body, md5))
        return answer.get("ETag", answer.get("etag", "")).strip('"')

    def upload_part(self, oss_id, key, upload_id, part_number, body, *, md5=None, size=None) -> str:
        validate_key(key, allow_folder_marker=False)
        if not 1 <= int(part_number) <= MAX_PARTS:
            raise InvalidRequest(_("A part number must be between 1 and %(most)s (got %(number)s).") % {
                "most": MAX_PARTS, "number": part_number})
        spec = self._spec(oss_id)
        body = sized_body(body, size)
        params = {"Bucket": spec.bucket, "Key": key, "UploadId": upload_id, "PartNumber": int(part_number)}
        with stream_failure_first(body):
            answer = self._call(oss_id, pgettext_lazy("storage action", "send a part of"),
                                lambda: self._send_body(spec, "UploadPart", params, body, md5), key=key)
        return answer.get("ETag", answer.get("etag", "")).strip('"')

    def _send_body(self, spec: ConnectionSpec, operation: str, params: dict, body, md5: bytes | None) -> dict:
        """Bytes through the boto3 client (hashed, retried); a stream presigned and sent as it is read."""
        client = self._client(spec)
        if isinstance(body, bytes):
            method = {"PutObject": client.put_object, "UploadPart": client.upload_part}[operation]
            return method(**params, Body=body, ContentMD5=content_md5(body, md5))
        if md5 is not None:
            params = {**params, "ContentMD5": content_md5(b"", md5)}
        return streaming.send(client, operation, params, body)

    def delete_objects(self, oss_id, keys) -> DeleteResult:
        keys = [validate_key(k) for k in keys]
        spec = self._spec(oss_id)
        deleted: list[str] = []
        errors: dict[str, str] = {}
        for start in range(0, len(keys), 1000):
            batch = keys[start:start + 1000]
            answer = self._call(oss_id, "delete", lambda b=batch: self._client(spec).delete_objects(
                Bucket=spec.bucket, Delete={"Objects": [{"Key": k} for k in b], "Quiet": True}))
            failed = {e["Key"]: e.get("Message") or e.get("Code", "failed") for e in answer.get("Errors", [])}
            errors.update(failed)
            deleted.extend(k for k in batch if k not in failed)
        return DeleteResult(deleted, errors)

    def get_bucket_cors(self, oss_id) -> list[CorsRule]:
        spec = self._spec(oss_id)
        try:
            answer = self._client(spec).get_bucket_cors(Bucket=spec.bucket)
        except boto_errors.ClientError as e:
            if e.response.get("Error", {}).get("Code") == "NoSuchCORSConfiguration":
                return []
            raise s3_errors.translate(e, connection=oss_id, action=pgettext_lazy("storage action", "read CORS rules of")) from e
        except Exception as e:
            raise s3_errors.translate(e, connection=oss_id, action=pgettext_lazy("storage action", "read CORS rules of")) from e
        return [
            CorsRule(r.get("AllowedOrigins", []), r.get("AllowedMethods", []), r.get("AllowedHeaders", []),
                     r.get("ExposeHeaders", []), r.get("MaxAgeSeconds"))
            for r in answer.get("CORSRules", [])
        ]

    def put_bucket_cors(self, oss_id, rules: list[CorsRule]) -> None:
        spec = self._spec(oss_id)
        body = {"CORSRules": [rule_dict(r) for r in rules]}
        self._call(oss_id, pgettext_lazy("storage action", "write CORS rules of"),
                   lambda: self._client(spec).put_bucket_cors(
            Bucket=spec.bucket, CORSConfiguration=body))

    # --- bucket settings (#17): storage/s3/bucket_settings.py ---

    def bucket_support(self, oss_id) -> BucketSupport:
        """Asked of the storage once per connection version (its fingerprint); an uncertain answer is not kept."""
        spec = self._spec(oss_id)
        with self._health_lock:
            known = self._support.get(spec.fingerprint)
        if known is not None:
            return known
        support, definite = bucket_settings.probe(self._client(spec), spec)
        if definite:
            with self._health_lock:
                self._support[spec.fingerprint] = support
        return support

    def _forget_support(self, spec) -> None:
        """After a settings change (sent or not: it may have half-applied) the bucket is asked again."""
        with self._health_lock:
            self._support.pop(spec.fingerprint, None)

    def create_bucket(self, oss_id, *, region="", versioning=False, object_lock=False) -> None:
        spec = self._spec(oss_id)
        bucket_settings.create(self._client(spec), spec, region=region, versioning=versioning, object_lock=object_lock)
        with self._health_lock:  # what was learnt about a missing bucket is stale now
            self._health.pop(spec.fingerprint, None)
            self._support.pop(spec.fingerprint, None)
            self._servers.pop(spec.fingerprint, None)

    def get_bucket_versioning(self, oss_id) -> str:
        spec = self._spec(oss_id)
        return bucket_settings.get_versioning(self._client(spec), spec)

    def put_bucket_versioning(self, oss_id, status) -> None:
        spec = self._spec(oss_id)
        try:
            bucket_settings.put_versioning(self._client(spec), spec, status)
        finally:
            self._forget_support(spec)

    def get_bucket_lifecycle(self, oss_id) -> list[LifecycleRule]:
        spec = self._spec(oss_id)
        return bucket_settings.get_lifecycle(self._client(spec), spec)

    def put_bucket_lifecycle(self, oss_id, rules) -> None:
        spec = self._spec(oss_id)
        try:
            bucket_settings.put_lifecycle(self._client(spec), spec, rules)
        finally:
            self._forget_support(spec)

    def get_bucket_policy(self, oss_id) -> str:
        spec = self._spec(oss_id)
        return bucket_settings.get_policy(self._client(spec), spec)

    def put_bucket_policy(self, oss_id, policy) -> None:
        spec = self._spec(oss_id)
        try:
            bucket_settings.put_policy(self._client(spec), spec, policy)
        finally:
            self._forget_support(spec)

    def get_object_lock(self, oss_id) -> ObjectLock:
        spec = self._spec(oss_id)
        return bucket_settings.get_lock(self._client(spec), spec)

    def put_object_lock(self, oss_id, lock) -> None:
        spec = self._spec(oss_id)
        try:
            bucket_settings.put_lock(self._client(spec), spec, lock)
        finally:
            self._forget_support(spec)


    # --- versions, metadata and tags (#17): storage/s3/versions.py ---

    def list_object_versions(self, oss_id, key, *, limit=1000) -> list[ObjectVersion]:
        return versions.list_object_versions(self, oss_id, key, limit=limit)

    def list_deleted(self, oss_id, prefix, *, after=None, max_keys=1000) -> DeletedPage:
        return versions.list_deleted(self, oss_id, prefix, after=after, max_keys=max_keys)

    def get_version_url(self, oss_id, key, version_id, expires=DEFAULT_URL_EXPIRES, *, filename=None,
                        inline=False, internal=False) -> str:
        return versions.get_version_url(self, oss_id, key, version_id, check_expires(expires), filename=filename,
                                        inline=inline, internal=internal)

    def restore_version(self, oss_id, key, version_id) -> str:
        return versions.restore_version(self, oss_id, key, version_id)

    def delete_version(self, oss_id, key, version_id) -> None:
        versions.delete_version(self, oss_id, key, version_id)

    def get_object_headers(self, oss_id, key) -> ObjectHeaders:
        return versions.get_object_headers(self, oss_id, key)

    def replace_object_headers(self, oss_id, key, headers, *, if_match=None) -> None:
        versions.replace_object_headers(self, oss_id, key, headers, if_match=if_match)

    def get_object_tags(self, oss_id, key) -> dict[str, str]:
        return versions.get_object_tags(self, oss_id, key)

    def put_object_tags(self, oss_id, key, tags) -> None:
        versions.put_object_tags(self, oss_id, key, tags)

    def create_multipart_upload_with_headers(self, oss_id, key, headers) -> str:
        return versions.create_multipart_upload_with_headers(self, oss_id, key, headers)


def _no_such_bucket(error: Exception) -> bool:
    if not isinstance(error, boto_errors.ClientError):
        return False
    code = str(error.response.get("Error", {}).get("Code", ""))
    return code in ("404", "NoSuchBucket") or error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404


def probe_failure(error: Exception, spec: ConnectionSpec) -> str:
    """Why a HEAD on the bucket failed, in plain words."""
    if _no_such_bucket(error):
        return _("no such bucket: '%(bucket)s'") % {"bucket": spec.bucket}
    if isinstance(error, boto_errors.ClientError):
        code = str(error.response.get("Error", {}).get("Code", ""))
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        if code in ("301", "PermanentRedirect", "AuthorizationHeaderMalformed") or status in (301, 307):
            return _("wrong region: the bucket is not in '%(region)s'") % {"region": spec.region}
        if code in ("403", "InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied") or status == 403:
            return _("bad credentials: the access key or secret was refused")
        if status == 400 and code in ("400", "BadRequest"):
            return _("the endpoint answered 400; check the region and addressing style")
        return (_("the endpoint answered %(status)s %(code)s") % {"status": status, "code": code}).strip()
    if isinstance(error, (boto_errors.EndpointConnectionError, boto_errors.ConnectTimeoutError,
                          boto_errors.ReadTimeoutError, boto_errors.SSLError,
                          boto_errors.ConnectionClosedError)):
        return s3_errors.network_cause(error)
    if isinstance(error, boto_errors.NoCredentialsError):
        return _("no credentials configured")
    if isinstance(error, StorageError):
        return str(error)
    text = str(error)
    if "Unable to parse" in text or "not well-formed" in text or "XML" in text:
        return _("the endpoint is not S3 (its answer is not an S3 response)")
    return _("could not check the bucket: %(error)s") % {"error": text}
