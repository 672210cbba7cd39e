"""What an access key may reach. Owned by helper s30-keys. The contract:

    principal = principal_for(access_key)    # S3Error AccessDenied: the key is revoked or expired, or its
                                             #   owner is deactivated (a removed owner's keys are gone);
                                             #   else notes the key's use (at most a write a minute)
    principal.buckets()                      -> list of connection names the key may see (ListBuckets)
    principal.require_bucket(bucket)         # S3Error NoSuchBucket when it may not see it (never tells apart
                                             #   "absent" and "not yours")
    principal.require(bucket, key, action)   # action READ, WRITE or DELETE; S3Error AccessDenied (403)
    principal.listing(bucket, prefix, delimiter) -> what to list instead (as storage.api.scope.listing_prefix:
                                             #   a prefix, or a list of the folders on the way down)
    principal.label                          -> "access key OSC… of alice" for the audit log

A person's key carries their grants (console.access.rules), narrowed by the key's own connections,
folder and read-only flag: READ needs the viewer role at the key, WRITE and DELETE the editor role (as the
file manager's upload and delete). A service's key (no owner) has only its own scope, as a service token.

A bucket is a connection that is enabled (community: a connection record; commercial: a storage the OSS
Gateway Manager lists). A key sees one when its connections include it and it may read somewhere in it
(a person: they hold a role there, at or below the key's folder, or above it). Outside the key's reach in a
bucket it sees, anything is AccessDenied.

listing() answers, for a ListObjects of `prefix`:
- a prefix (a str starting with `prefix`): list that, everything in it may be shown;
- a list of folders: `prefix` is above every place the key reaches; answer these and nothing else (with a
  delimiter they are the next step down towards each place, as CommonPrefixes; without a delimiter, when the
  key reaches several folders below, the folders themselves, which a tool then lists one by one);
- S3Error AccessDenied when `prefix` is beside every place the key reaches.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from console.access import rules
from console.roles import EDITOR, VIEWER
from console.s3api import keys as access_keys
from console.s3api.errors import S3Error
from console.s3api.models import AccessKey
from storage.api.scope import listing_prefix
from storage.factory import get_gateway

READ, WRITE, DELETE = "read", "write", "delete"
NEEDS = {READ: VIEWER, WRITE: EDITOR, DELETE: EDITOR}


def no_such_bucket(bucket: str) -> S3Error:
    return S3Error("NoSuchBucket", _("The specified bucket does not exist."), BucketName=bucket)


def access_denied(message: str) -> S3Error:
    return S3Error("AccessDenied", message)


class Principal:
    def __init__(self, key: AccessKey):
        self.key = key
        self.owner = key.owner if key.owner_id else None
        self._allowed = access_keys.allowed_names(key)
        self._storages: set[str] | None = None

    @property
    def label(self) -> str:
        whose = f" of {self.owner.get_username()}" if self.owner else " (service)"
        return f"access key {self.key.access_key_id}{whose}"  # i18n: not shown (a label for the audit log)

    def _enabled_storages(self) -> set[str]:
        if self._storages is None:
            self._storages = {s.id for s in get_gateway().list_storages() if s.enabled}
        return self._storages

    def folders(self, bucket: str) -> list[str]:
        """The folders of `bucket` the key may read in ([""]: all of it; []: nothing): its own folder, met, for a
        person's key, with the folders where the owner holds a role."""
        if self._allowed is not None and bucket not in self._allowed:
            return []
        folder = self.key.prefix
        if self.owner is None:
            return [folder]
        reach = []
        for root in rules.roots(self.owner, bucket):
            if rules.covers(folder, root):
                reach.append(root)
            elif rules.covers(root, folder):
                reach.append(folder)
        return sorted(set(reach))

    def buckets(self) -> list[str]:
        return sorted(name for name in self._enabled_storages() if self.folders(name))

    def require_bucket(self, bucket: str) -> None:
        if not self.folders(bucket) or bucket not in self._enabled_storages():
            raise no_such_bucket(bucket)

    def require(self, bucket: str, key: str, action: str) -> None:
        needed = NEEDS[action]
        if not self.folders(bucket):
            raise no_such_bucket(bucket)
        if not rules.covers(self.key.prefix, key):
            raise access_denied(_("Access Denied: this key reaches only the folder '%(folder)s'.")
                                % {"folder": self.key.prefix})
        if self.key.read_only and action != READ:
            raise access_denied(_("Access Denied: this key is read-only."))
        if self.owner is not None and not rules.at_least(rules.role_on(self.owner, bucket, key), needed):
            raise access_denied(_("Access Denied: this needs the %(role)s role here.") % {"role": needed})

    def listing(self, bucket: str, prefix: str, delimiter: str) -> str | list[str]:
        folders = self.folders(bucket)
        if not folders:
            raise no_such_bucket(bucket)
        if any(rules.covers(folder, prefix) for folder in folders):
            return prefix
        below = [folder for folder in folders if folder.startswith(prefix)]
        if not below:
            raise access_denied(_("Access Denied: this key reaches nothing under that prefix."))
        if len(below) == 1:
            return listing_prefix(below[0], prefix, delimiter)
        if not delimiter:
            return below
        return sorted({_next_step(folder, prefix, delimiter) for folder in below})


def _next_step(folder: str, prefix: str, delimiter: str) -> str:
    rest = folder[len(prefix):]
    if delimiter in rest:
        return prefix + rest[:rest.index(delimiter) + len(delimiter)]
    return folder


def principal_for(key: AccessKey) -> Principal:
    """What the key may reach; AccessDenied when it may reach nothing at all any more."""
    if key.is_revoked:
        raise access_denied(_("Access Denied: this access key has been revoked."))
    if key.is_expired():
        raise access_denied(_("Access Denied: this access key has expired."))
    if key.owner_id and not key.owner.is_active:
        raise access_denied(_("Access Denied: the person this access key belongs to is deactivated."))
    access_keys.note_use(key)
    return Principal(key)
