"""What an access key may reach. Owned by helper s30-keys. The contract:

    principal = principal_for(access_key)
    principal.buckets()                      -> list of connection names the key may see (ListBuckets)
    principal.require_bucket(bucket)         # S3Error NoSuchBucket when it may not see it (never tells apart
                                             #   "absent" and "not yours")
    principal.require(bucket, key, action)   # action READ, WRITE or DELETE; S3Error AccessDenied
    principal.listing(bucket, prefix, delimiter) -> what to list instead (as storage.api.scope.listing_prefix:
                                             #   a prefix, or a list of the one folder on the way down)
    principal.label                          -> "key AKIA… of alice" for the audit log

A person's key carries their grants (console.access.rules), narrowed by the key's own connections,
folder and read-only flag; a service's key only its own scope, as a service token.
"""

from __future__ import annotations

from console.s3api.models import AccessKey

READ, WRITE, DELETE = "read", "write", "delete"


class Principal:
    def __init__(self, key: AccessKey):
        self.key = key

    @property
    def label(self) -> str:
        return f"access key {self.key.access_key_id}"

    def buckets(self) -> list[str]:
        raise NotImplementedError("helper s30-keys")

    def require_bucket(self, bucket: str) -> None:
        raise NotImplementedError("helper s30-keys")

    def require(self, bucket: str, key: str, action: str) -> None:
        raise NotImplementedError("helper s30-keys")

    def listing(self, bucket: str, prefix: str, delimiter: str) -> str | list[str]:
        raise NotImplementedError("helper s30-keys")


def principal_for(key: AccessKey) -> Principal:
    return Principal(key)
