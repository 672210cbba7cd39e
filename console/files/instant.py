"""Instant uploads by content hash (#19 item 5): the index of hashed uploads, and the copy that replaces one.

The browser hashes a file (SHA-256) before uploading it, on connections with `instant_uploads` on; the hash
goes into the object as `x-amz-meta-sha256`, and the console indexes the object when the upload completes.
A later upload of the same bytes asks first: when an indexed object the person may read still carries that
hash and the claimed size, the storage copies it to the new key and the browser sends nothing.

What is trusted: the index is a lead, never a proof. Before a copy, the object is read again (HEAD): its own
`x-amz-meta-sha256`, size and ETag must match the row (else the row is dropped), and its hash and size must
match the claim; the copy is pinned to that ETag and checked again (size and hash) before "copied" is said.
The hash in the metadata is the one the uploading browser computed: the console never sees the bytes, so it
cannot check it. See README "Instant uploads" for what that allows and what it does not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import islice

from django.utils.translation import gettext as _

from console.access import rules
from console.roles import VIEWER
from storage.factory import get_gateway
from storage.gateway import IntegrityFailure, NotSupported, ObjectHeaders, ObjectMeta, ObjectNotFound, StorageError
from storage.models import StoredHash
from storage.object_headers import validate_headers

SHA256 = re.compile(r"^[0-9a-f]{64}$")
META = "sha256"  # the user metadata's name: x-amz-meta-sha256
CANDIDATES = 5  # indexed objects tried per request, newest first


class BadHash(ValueError):
    """The claimed hash is not 64 lowercase hex digits."""


def claimed_hash(body: dict) -> str | None:
    """The `sha256` a widget's JSON gives (lowercase hex), None when it gives none."""
    value = body.get("sha256")
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not SHA256.match(value.lower()):
        raise BadHash(_("sha256 is the file's SHA-256 in 64 hexadecimal digits."))
    return value.lower()


def enabled(connection: str) -> bool:
    """Whether the connection has instant uploads on (False when the edition has no record for it)."""
    from storage import record_cache
    from storage.models import Connection

    return bool(record_cache.cached(f"instant-uploads:{connection}", lambda: Connection.objects.filter(
        name=connection).values_list("instant_uploads", flat=True).first()))


def metadata(sha256: str | None) -> dict[str, str] | None:
    """The user metadata a hashed upload's object carries."""
    return {META: sha256} if sha256 else None


def remember(connection: str, key: str, meta_of: Callable[[], ObjectMeta]) -> None:
    """An upload to `key` completed: index it when it carries a hash; forget what the key held before.

    `meta_of` reads the object (a HEAD, only on connections with instant uploads on); the upload is done
    whatever it answers, so a failure to read it leaves the index without the object, nothing more.
    """
    if not enabled(connection):
        return
    try:
        meta = meta_of()
    except StorageError:
        return
    stored = str(meta.metadata.get(META) or "").lower()
    if not SHA256.match(stored):
        StoredHash.objects.filter(connection=connection, key=key).delete()
        return
    StoredHash.objects.update_or_create(connection=connection, key=key,
                                        defaults={"sha256": stored, "size": meta.size, "etag": meta.etag})


def copy_if_stored(user, connection: str, key: str, size: int, sha256: str, headers: ObjectHeaders) -> str | None:
    """Make `key` by a server-side copy of a readable object with these bytes; its ETag, or None: upload it.

    `headers` are what the upload would have given the object (content type, Cache-Control); the hash is added.
    """
    if not enabled(connection):
        return None
    # Checked before anything is copied: headers the storage would refuse must not leave a copy behind.
    wanted = validate_headers(ObjectHeaders(content_type=headers.content_type, cache_control=headers.cache_control,
                                            metadata={META: sha256}))
    rows = (StoredHash.objects.filter(connection=connection, sha256=sha256, size=size).exclude(key=key)
            .order_by("-stored_at"))
    readable = (row for row in rows.iterator() if rules.allows(user, VIEWER, connection, row.key))
    for row in islice(readable, CANDIDATES):
        etag = _copy(row, key, wanted)
        if etag is not None:
            return etag
    return None


def _copy(row: StoredHash, key: str, wanted: ObjectHeaders) -> str | None:
    """Copy `row`'s object to `key` once it is checked to hold the bytes; the copy's ETag, or None."""
    gateway = get_gateway()
    source = _confirmed(row, wanted.metadata[META])
    if source is None:
        return None
    try:
        etag = gateway.server_copy(row.connection, row.key, key, if_match=source.etag)
    except IntegrityFailure:
        row.delete()  # replaced between the check and the copy
        return None
    except StorageError:
        return None  # the upload says what is wrong, if anything still is
    try:
        if gateway.get_object_headers(row.connection, key) != wanted:
            gateway.replace_object_headers(row.connection, key, wanted, if_match=etag)
        _drop_tags(gateway, row.connection, key)
        copied = gateway.get_object_meta(row.connection, key)
    except StorageError:
        return None  # something else was written there meanwhile: the upload replaces it
    if (copied.size, copied.metadata.get(META)) != (source.size, wanted.metadata[META]):
        return None
    StoredHash.objects.update_or_create(connection=row.connection, key=key,
                                        defaults={"sha256": wanted.metadata[META], "size": copied.size,
                                                  "etag": copied.etag})
    return copied.etag


def _drop_tags(gateway, connection: str, key: str) -> None:
    """A storage's copy keeps the source's tags (S3's default): a fresh upload has none, and rules that act on
    tags (lifecycle, policies) must not act on it for another person's labels."""
    try:
        if gateway.get_object_tags(connection, key):
            gateway.put_object_tags(connection, key, {})
    except NotSupported:
        pass  # a kind of connection without tags: nothing was copied with the bytes


def _confirmed(row: StoredHash, sha256: str) -> ObjectMeta | None:
    """The object's metadata when it still is what `row` says (its own hash, size and ETag); else drop `row`."""
    try:
        source = get_gateway().get_object_meta(row.connection, row.key)
    except ObjectNotFound:
        row.delete()
        return None
    if (source.metadata.get(META), source.size, source.etag) != (sha256, row.size, row.etag):
        row.delete()  # replaced since it was indexed (or its hash removed): a lead no more
        return None
    return source
