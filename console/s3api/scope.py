"""What an access key may reach. MINIMAL (connections, folder, read-only; no grants): helper s30-keys
replaces it. The contract:

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

from console.s3api.errors import S3Error
from console.s3api.models import AccessKey
from storage.models import Connection

READ, WRITE, DELETE = "read", "write", "delete"


class Principal:
    def __init__(self, key: AccessKey):
        self.key = key

    @property
    def label(self) -> str:
        return f"access key {self.key.access_key_id}"

    def buckets(self) -> list[str]:
        connections = Connection.objects.filter(enabled=True) if self.key.all_connections else \
            self.key.connections.filter(enabled=True)
        return sorted(connections.values_list("name", flat=True))

    def require_bucket(self, bucket: str) -> None:
        if bucket not in self.buckets():
            raise S3Error("NoSuchBucket", "The specified bucket does not exist", BucketName=bucket)

    def require(self, bucket: str, key: str, action: str) -> None:
        if not key.startswith(self.key.prefix) or (self.key.read_only and action != READ):
            raise S3Error("AccessDenied", "Access Denied")

    def listing(self, bucket: str, prefix: str, delimiter: str) -> str | list[str]:
        own = self.key.prefix
        if prefix.startswith(own):
            return prefix
        if not own.startswith(prefix):
            return []
        rest = own[len(prefix):]
        if delimiter and delimiter in rest:
            return [prefix + rest[:rest.index(delimiter) + len(delimiter)]]
        return own


def principal_for(key: AccessKey) -> Principal:
    return Principal(key)
