"""The S3 gateway's bucket settings: creating the bucket, what it supports, versioning, lifecycle, policy, lock.

Each function takes the connection's boto3 client and spec; S3's "there is none" answers are normal results
(no rules, no policy), other failures become the gateway's errors (storage.s3.errors).
"""

from __future__ import annotations

from botocore import exceptions as boto_errors
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from storage.bucket_documents import (
    InvalidSetting,
    LifecycleRule,
    ObjectLock,
    lifecycle_document,
    lock_document,
    lock_from_document,
    rule_from_document,
    versioning_document,
)
from storage.connections import ConnectionSpec
from storage.gateway import BucketNotFound, BucketSupport, InvalidRequest, StorageError, StorageRequestFailed
from storage.s3 import errors as s3_errors

# What "this bucket has none" sounds like, per setting: a storage that supports the setting answers this way.
NONE_YET = {"lifecycle": "NoSuchLifecycleConfiguration", "policy": "NoSuchBucketPolicy",
            "tagging": "NoSuchTagSet", "object_lock": "ObjectLockConfigurationNotFoundError"}
UNSUPPORTED_CODES = {"NotImplemented", "MethodNotAllowed", "XNotImplemented", "UnsupportedOperation"}
# Lazy, as the reasons below that are kept (a definite answer is kept per connection): read in each reader's language.
LOCK_AT_CREATION = gettext_lazy("object lock is not enabled on this bucket (S3 turns it on only when a bucket is "
                                "created)")


def _code(error: boto_errors.ClientError) -> tuple[str, int]:
    return (str(error.response.get("Error", {}).get("Code", "")),
            error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))


def _translate(error: Exception, spec: ConnectionSpec, action: str) -> StorageError:
    return s3_errors.translate(error, connection=spec.name, action=action)


def _read(spec: ConnectionSpec, action: str, fn, none_code: str, empty):
    """`fn()`, or `empty` when the storage says the bucket has no such setting."""
    try:
        return fn()
    except boto_errors.ClientError as e:
        if _code(e)[0] == none_code:
            return empty
        raise _translate(e, spec, action) from e
    except Exception as e:
        raise _translate(e, spec, action) from e


def _send(spec: ConnectionSpec, action: str, fn) -> None:
    """`fn()`, which builds the document it sends: a setting S3 would refuse is refused here, in plain words."""
    try:
        fn()
    except InvalidSetting as e:
        raise InvalidRequest(str(e)) from e
    except Exception as e:
        raise _translate(e, spec, action) from e


# --- what the bucket supports ---

def probe(client, spec: ConnectionSpec) -> tuple[BucketSupport, bool]:
    """Ask the bucket for each setting once; (what it supports, whether every answer was a definite one).

    A read that succeeds, or says "there is none", means the storage supports the setting; "not implemented"
    means it does not; anything else (a refusal, an outage) is said as it is and not kept."""
    bucket = spec.bucket
    asks = {"versioning": lambda: client.get_bucket_versioning(Bucket=bucket),
            "tagging": lambda: client.get_bucket_tagging(Bucket=bucket),
            "lifecycle": lambda: client.get_bucket_lifecycle_configuration(Bucket=bucket),
            "policy": lambda: client.get_bucket_policy(Bucket=bucket),
            "object_lock": lambda: client.get_object_lock_configuration(Bucket=bucket)}
    missing, definite = {}, True
    for feature, ask in asks.items():
        try:
            answer = ask()
            if feature == "object_lock" and (answer.get("ObjectLockConfiguration") or {}).get(
                    "ObjectLockEnabled") != "Enabled":
                missing[feature] = LOCK_AT_CREATION
        except boto_errors.ClientError as e:
            code, status = _code(e)
            if code in ("NoSuchBucket",) or (status == 404 and code in ("404", "NotFound")):
                raise BucketNotFound(_("The bucket '%(bucket)s' of '%(connection)s' does not exist.") % {
                    "bucket": bucket, "connection": spec.name}) from e
            if code == NONE_YET.get(feature):
                if feature == "object_lock":
                    missing[feature] = LOCK_AT_CREATION
                continue
            if code in UNSUPPORTED_CODES or status in (405, 501):
                missing[feature] = format_lazy(gettext_lazy("the storage does not implement it ({code})"),
                                               code=code or status)
            else:
                missing[feature] = _("could not be checked: %(error)s") % {
                    "error": _translate(e, spec, pgettext_lazy("storage action", "read the settings of"))}
                definite = False
        except Exception as e:
            raise _translate(e, spec, pgettext_lazy("storage action", "read the settings of")) from e
    return BucketSupport(missing), definite


# --- creating the bucket ---

def create(client, spec: ConnectionSpec, *, region: str, versioning: bool, object_lock: bool) -> None:
    """Create the connection's bucket (in `region`, else the connection's), then turn versioning on if asked."""
    region = region or spec.region
    params: dict = {"Bucket": spec.bucket}
    if region and region != "us-east-1":  # AWS refuses us-east-1 as a location constraint
        params["CreateBucketConfiguration"] = {"LocationConstraint": region}
    if object_lock:
        params["ObjectLockEnabledForBucket"] = True
    try:
        client.create_bucket(**params)
    except boto_errors.ClientError as e:
        code, _status = _code(e)
        if code == "BucketAlreadyOwnedByYou":
            raise StorageRequestFailed(_("The bucket '%(bucket)s' already exists, and is yours.") % {
                "bucket": spec.bucket}) from e
        if code == "BucketAlreadyExists":
            raise StorageRequestFailed(_("The name '%(bucket)s' is taken by someone else's bucket.") % {
                "bucket": spec.bucket}) from e
        raise _translate(e, spec, pgettext_lazy("storage action", "create the bucket of")) from e
    except Exception as e:
        raise _translate(e, spec, pgettext_lazy("storage action", "create the bucket of")) from e
    if versioning and not object_lock:  # a locked bucket is versioned already
        put_versioning(client, spec, "Enabled")


# --- versioning, lifecycle, policy, lock ---

def get_versioning(client, spec: ConnectionSpec) -> str:
    try:
        return client.get_bucket_versioning(Bucket=spec.bucket).get("Status", "")
    except Exception as e:
        raise _translate(e, spec, pgettext_lazy("storage action", "read the versioning of")) from e


def put_versioning(client, spec: ConnectionSpec, status: str) -> None:
    _send(spec, pgettext_lazy("storage action", "change the versioning of"), lambda: client.put_bucket_versioning(
        Bucket=spec.bucket, VersioningConfiguration=versioning_document(status)))


def get_lifecycle(client, spec: ConnectionSpec) -> list[LifecycleRule]:
    answer = _read(spec, pgettext_lazy("storage action", "read the lifecycle rules of"),
                   lambda: client.get_bucket_lifecycle_configuration(Bucket=spec.bucket),
                   NONE_YET["lifecycle"], {})
    return [rule_from_document(r) for r in answer.get("Rules", [])]


def put_lifecycle(client, spec: ConnectionSpec, rules: list[LifecycleRule]) -> None:
    if not rules:
        _send(spec, pgettext_lazy("storage action", "remove the lifecycle rules of"),
              lambda: client.delete_bucket_lifecycle(Bucket=spec.bucket))
        return
    _send(spec, pgettext_lazy("storage action", "write the lifecycle rules of"),
          lambda: client.put_bucket_lifecycle_configuration(
        Bucket=spec.bucket, LifecycleConfiguration=lifecycle_document(rules)))


def get_policy(client, spec: ConnectionSpec) -> str:
    answer = _read(spec, pgettext_lazy("storage action", "read the policy of"),
                   lambda: client.get_bucket_policy(Bucket=spec.bucket),
                   NONE_YET["policy"], {})
    return str(answer.get("Policy", "")).strip()


def put_policy(client, spec: ConnectionSpec, policy: str) -> None:
    if not policy:
        _send(spec, pgettext_lazy("storage action", "remove the policy of"),
              lambda: client.delete_bucket_policy(Bucket=spec.bucket))
        return
    _send(spec, pgettext_lazy("storage action", "write the policy of"),
          lambda: client.put_bucket_policy(Bucket=spec.bucket, Policy=policy))


def get_lock(client, spec: ConnectionSpec) -> ObjectLock:
    answer = _read(spec, pgettext_lazy("storage action", "read the object lock of"),
                   lambda: client.get_object_lock_configuration(Bucket=spec.bucket),
                   NONE_YET["object_lock"], {})
    return lock_from_document(answer.get("ObjectLockConfiguration") or {})


def put_lock(client, spec: ConnectionSpec, lock: ObjectLock) -> None:
    _send(spec, pgettext_lazy("storage action", "change the object lock of"),
          lambda: client.put_object_lock_configuration(
        Bucket=spec.bucket, ObjectLockConfiguration=lock_document(lock)))
