"""Versions, metadata and tags (#17) for the S3 gateway: each function takes the gateway it works for.

Restoring a version and rewriting headers are copies of an object onto itself (CopyObject), so on a
versioned bucket the version before stays in the history.
"""

from __future__ import annotations

from datetime import UTC, datetime

from botocore import exceptions as boto_errors
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from storage.disposition import response_overrides
from storage.gateway import (
    DEFAULT_URL_EXPIRES,
    DeletedPage,
    InvalidRequest,
    ObjectHeaders,
    ObjectVersion,
    VersionMark,
)
from storage.keys import validate_key, validate_prefix
from storage.object_headers import validate_headers, validate_tags
from storage.s3.reading import quoted
from storage.version_ids import check_version_id


def _version(entry: dict, *, deleted: bool) -> ObjectVersion:
    return ObjectVersion(key=entry["Key"], version_id=str(entry.get("VersionId") or "null"),
                         last_modified=entry.get("LastModified"), is_latest=bool(entry.get("IsLatest")),
                         deleted=deleted, size=int(entry.get("Size") or 0), etag=str(entry.get("ETag", "")).strip('"'))


def _entries(answer: dict) -> list[ObjectVersion]:
    """Versions and delete markers of one answer, newest first within each key (S3 lists them apart)."""
    found = [_version(v, deleted=False) for v in answer.get("Versions", [])]
    found += [_version(m, deleted=True) for m in answer.get("DeleteMarkers", [])]
    return sorted(found, key=lambda v: (v.key, not v.is_latest, -(v.last_modified.timestamp() if v.last_modified else 0)))


def list_object_versions(gateway, oss_id: str, key: str, *, limit: int = 1000) -> list[ObjectVersion]:
    validate_key(key, allow_folder_marker=False)
    spec = gateway._spec(oss_id)
    client = gateway._client(spec)
    params: dict = {"Bucket": spec.bucket, "Prefix": key, "MaxKeys": min(limit, 1000)}
    found: list[ObjectVersion] = []
    while len(found) < limit:
        answer = gateway._call(oss_id, pgettext_lazy("storage action", "list the versions of"),
                               lambda p=dict(params): client.list_object_versions(**p),
                               key=key)
        # The prefix also matches longer names ("a.txt" lists "a.txt.bak"): only this key counts.
        found += [v for v in _entries(answer) if v.key == key]
        beyond = answer.get("NextKeyMarker")
        if not answer.get("IsTruncated") or beyond != key:  # keys sort: longer names come after all of ours
            break
        params.update(KeyMarker=beyond, VersionIdMarker=answer.get("NextVersionIdMarker", ""))
    return found[:limit]


def list_deleted(gateway, oss_id: str, prefix: str, *, after: VersionMark | None = None,
                 max_keys: int = 1000) -> DeletedPage:
    validate_prefix(prefix)
    spec = gateway._spec(oss_id)
    params: dict = {"Bucket": spec.bucket, "Prefix": prefix, "Delimiter": "/", "MaxKeys": max_keys}
    if after is not None:  # a page that ended at a subfolder has no version to go on from: the key alone
        params["KeyMarker"] = after.key
        if after.version_id:
            params["VersionIdMarker"] = check_version_id(after.version_id)
    answer = gateway._call(oss_id, pgettext_lazy("storage action", "list deleted files in"),
                           lambda: gateway._client(spec).list_object_versions(
        **params), key=prefix or None)
    markers = [_version(m, deleted=True) for m in answer.get("DeleteMarkers", []) if m.get("IsLatest")]
    following = None
    if answer.get("IsTruncated") and answer.get("NextKeyMarker"):
        following = VersionMark(answer["NextKeyMarker"], answer.get("NextVersionIdMarker") or "")
    folders = [p["Prefix"] for p in answer.get("CommonPrefixes", [])]
    return DeletedPage(prefix, sorted(markers, key=lambda m: m.key), following, folders)


def get_version_url(gateway, oss_id: str, key: str, version_id: str, expires: int = DEFAULT_URL_EXPIRES, *,
                    filename: str | None = None, inline: bool = False, internal: bool = False) -> str:
    """`expires` is checked by the caller (the gateway's bounds)."""
    validate_key(key, allow_folder_marker=False)
    spec = gateway._spec(oss_id)
    params = {"Bucket": spec.bucket, "Key": key, "VersionId": check_version_id(version_id),
              **response_overrides(key, filename, inline)}
    return gateway._call(oss_id, pgettext_lazy("storage action", "sign a download of a version of"),
                         lambda: gateway._client(spec, internal=internal)
                         .generate_presigned_url("get_object", Params=params, ExpiresIn=expires),
                         key=key)


def _copy_onto_itself(gateway, oss_id: str, key: str, action: str, **params) -> dict:
    """A CopyObject of the file (or of one of its versions) onto itself, keeping how the source is kept: a copy
    takes the bucket's defaults otherwise (its storage class, its encryption key, no retention)."""
    validate_key(key, allow_folder_marker=False)
    spec = gateway._spec(oss_id)
    source = {"Bucket": spec.bucket, "Key": key, **params.pop("source", {})}
    client = gateway._client(spec)

    def copy() -> dict:
        head = _head_of_source(client, spec.bucket, key, source.get("VersionId"))
        return client.copy_object(Bucket=spec.bucket, Key=key, CopySource=source, **_kept_as(head), **params)

    return gateway._call(oss_id, action, copy, key=key)


def _head_of_source(client, bucket: str, key: str, version_id: str | None) -> dict:
    try:
        return client.head_object(Bucket=bucket, Key=key, **({"VersionId": version_id} if version_id else {}))
    except boto_errors.ClientError as e:
        if e.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 400:  # what S3 says of SSE-C without its key
            raise InvalidRequest(_("'%(key)s' cannot be read without a key the console does not hold (it may be "
                                   "encrypted with its owner's key, SSE-C): it cannot be copied here.") % {
                                       "key": key}) from e
        raise


def _kept_as(head: dict) -> dict:
    """The source's storage class, server-side encryption and object lock (a retention still running, a legal
    hold on), as CopyObject parameters."""
    kept = {}
    if head.get("StorageClass") and head["StorageClass"] != "STANDARD":
        kept["StorageClass"] = head["StorageClass"]
    if head.get("ServerSideEncryption"):
        kept["ServerSideEncryption"] = head["ServerSideEncryption"]
        if head.get("SSEKMSKeyId"):
            kept["SSEKMSKeyId"] = head["SSEKMSKeyId"]
        if head.get("BucketKeyEnabled"):
            kept["BucketKeyEnabled"] = True
    until = head.get("ObjectLockRetainUntilDate")
    if head.get("ObjectLockMode") and until and until > datetime.now(UTC):  # a date passed cannot be sent again
        kept.update(ObjectLockMode=head["ObjectLockMode"], ObjectLockRetainUntilDate=until)
    if head.get("ObjectLockLegalHoldStatus") == "ON":
        kept["ObjectLockLegalHoldStatus"] = "ON"
    return kept


def restore_version(gateway, oss_id: str, key: str, version_id: str) -> str:
    answer = _copy_onto_itself(gateway, oss_id, key, pgettext_lazy("storage action", "restore a version of"),
                               source={"VersionId": check_version_id(version_id)}, MetadataDirective="COPY")
    return str(answer.get("VersionId") or "")


def delete_version(gateway, oss_id: str, key: str, version_id: str) -> None:
    validate_key(key, allow_folder_marker=False)
    spec = gateway._spec(oss_id)
    gateway._call(oss_id, pgettext_lazy("storage action", "delete a version of"),
                  lambda: gateway._client(spec).delete_object(
        Bucket=spec.bucket, Key=key, VersionId=check_version_id(version_id)), key=key)


_HEADER_PARAMS = {"content_type": "ContentType", "cache_control": "CacheControl",
                  "content_disposition": "ContentDisposition", "content_encoding": "ContentEncoding",
                  "content_language": "ContentLanguage", "expires": "Expires"}


def get_object_headers(gateway, oss_id: str, key: str) -> ObjectHeaders:
    validate_key(key, allow_folder_marker=False)
    spec = gateway._spec(oss_id)
    head = gateway._call(oss_id, pgettext_lazy("storage action", "read the headers of"),
                         lambda: gateway._client(spec).head_object(
        Bucket=spec.bucket, Key=key), key=key)
    values = {name: str(head.get(param) or "") for name, param in _HEADER_PARAMS.items() if name != "expires"}
    values["expires"] = head.get("ExpiresString", "")  # as stored (botocore parses "Expires" into a datetime)
    return ObjectHeaders(**values, metadata=dict(head.get("Metadata", {})))


def header_params(headers: ObjectHeaders) -> dict[str, str]:
    return {param: getattr(headers, name) for name, param in _HEADER_PARAMS.items() if getattr(headers, name)}


def replace_object_headers(gateway, oss_id: str, key: str, headers: ObjectHeaders, *,
                           if_match: str | None = None) -> None:
    headers = validate_headers(headers)
    params = header_params(headers)
    if if_match:
        params["CopySourceIfMatch"] = quoted(if_match)
    _copy_onto_itself(gateway, oss_id, key, pgettext_lazy("storage action", "change the metadata of"),
                      MetadataDirective="REPLACE",
                      Metadata=dict(headers.metadata), **params)


def get_object_tags(gateway, oss_id: str, key: str) -> dict[str, str]:
    validate_key(key, allow_folder_marker=False)
    spec = gateway._spec(oss_id)
    answer = gateway._call(oss_id, pgettext_lazy("storage action", "read the tags of"),
                           lambda: gateway._client(spec).get_object_tagging(
        Bucket=spec.bucket, Key=key), key=key)
    return {tag["Key"]: tag.get("Value", "") for tag in answer.get("TagSet", [])}


def put_object_tags(gateway, oss_id: str, key: str, tags: dict[str, str]) -> None:
    validate_key(key, allow_folder_marker=False)
    tags = validate_tags(tags)
    spec = gateway._spec(oss_id)
    client = gateway._client(spec)
    if not tags:
        gateway._call(oss_id, pgettext_lazy("storage action", "remove the tags of"),
                      lambda: client.delete_object_tagging(Bucket=spec.bucket, Key=key),
                      key=key)
        return
    tag_set = [{"Key": k, "Value": v} for k, v in tags.items()]
    gateway._call(oss_id, pgettext_lazy("storage action", "write the tags of"), lambda: client.put_object_tagging(
        Bucket=spec.bucket, Key=key, Tagging={"TagSet": tag_set}), key=key)


def create_multipart_upload_with_headers(gateway, oss_id: str, key: str, headers: ObjectHeaders) -> str:
    validate_key(key, allow_folder_marker=False)
    headers = validate_headers(headers)
    spec = gateway._spec(oss_id)
    gateway._check_name(spec, key)
    params = header_params(headers)
    answer = gateway._call(oss_id, pgettext_lazy("storage action", "start an upload of"),
                           lambda: gateway._client(spec).create_multipart_upload(
        Bucket=spec.bucket, Key=key, Metadata=dict(headers.metadata), **params), key=key)
    return answer["UploadId"]
