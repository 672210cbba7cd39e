"""How a page names an audit entry's kind and its details' keys. Both are stored as codes ("grant.added",
"read_only"); English pages show the codes themselves, other languages their catalog's words for them. A code
missing here is shown as it is."""

from __future__ import annotations

from django.utils.translation import gettext, pgettext_lazy

from console.audit import STORED_WORDS

# Spelled out so that makemessages finds each one.
KIND_NAMES = {
    "auth.break_glass_issued": pgettext_lazy("audit kind", "auth.break_glass_issued"),
    "auth.sign_in_failed": pgettext_lazy("audit kind", "auth.sign_in_failed"),
    "auth.signed_in": pgettext_lazy("audit kind", "auth.signed_in"),
    "auth.signed_out": pgettext_lazy("audit kind", "auth.signed_out"),
    "bucket.created": pgettext_lazy("audit kind", "bucket.created"),
    "bucket.lifecycle": pgettext_lazy("audit kind", "bucket.lifecycle"),
    "bucket.object_lock": pgettext_lazy("audit kind", "bucket.object_lock"),
    "bucket.policy": pgettext_lazy("audit kind", "bucket.policy"),
    "bucket.versioning": pgettext_lazy("audit kind", "bucket.versioning"),
    "config.exported": pgettext_lazy("audit kind", "config.exported"),
    "config.imported": pgettext_lazy("audit kind", "config.imported"),
    "connection.created": pgettext_lazy("audit kind", "connection.created"),
    "connection.default": pgettext_lazy("audit kind", "connection.default"),
    "connection.deleted": pgettext_lazy("audit kind", "connection.deleted"),
    "connection.disabled": pgettext_lazy("audit kind", "connection.disabled"),
    "connection.enabled": pgettext_lazy("audit kind", "connection.enabled"),
    "connection.updated": pgettext_lazy("audit kind", "connection.updated"),
    "cors.applied": pgettext_lazy("audit kind", "cors.applied"),
    "edition.updated": pgettext_lazy("audit kind", "edition.updated"),
    "folder.created": pgettext_lazy("audit kind", "folder.created"),
    "folder.searched": pgettext_lazy("audit kind", "folder.searched"),
    "grant.added": pgettext_lazy("audit kind", "grant.added"),
    "grant.changed": pgettext_lazy("audit kind", "grant.changed"),
    "grant.removed": pgettext_lazy("audit kind", "grant.removed"),
    "group.created": pgettext_lazy("audit kind", "group.created"),
    "group.deleted": pgettext_lazy("audit kind", "group.deleted"),
    "group.member_added": pgettext_lazy("audit kind", "group.member_added"),
    "group.member_removed": pgettext_lazy("audit kind", "group.member_removed"),
    "group.renamed": pgettext_lazy("audit kind", "group.renamed"),
    "job.cancel_requested": pgettext_lazy("audit kind", "job.cancel_requested"),
    "job.cancelled": pgettext_lazy("audit kind", "job.cancelled"),
    "job.finished": pgettext_lazy("audit kind", "job.finished"),
    "job.resumed": pgettext_lazy("audit kind", "job.resumed"),
    "job.started": pgettext_lazy("audit kind", "job.started"),
    "object.deleted": pgettext_lazy("audit kind", "object.deleted"),
    "object.downloaded": pgettext_lazy("audit kind", "object.downloaded"),
    "object.metadata_changed": pgettext_lazy("audit kind", "object.metadata_changed"),
    "object.previewed": pgettext_lazy("audit kind", "object.previewed"),
    "object.recovered": pgettext_lazy("audit kind", "object.recovered"),
    "object.tags_changed": pgettext_lazy("audit kind", "object.tags_changed"),
    "object.version_deleted": pgettext_lazy("audit kind", "object.version_deleted"),
    "object.version_downloaded": pgettext_lazy("audit kind", "object.version_downloaded"),
    "object.version_previewed": pgettext_lazy("audit kind", "object.version_previewed"),
    "object.version_restored": pgettext_lazy("audit kind", "object.version_restored"),
    "object.viewed": pgettext_lazy("audit kind", "object.viewed"),
    "objects.thumbnails_shown": pgettext_lazy("audit kind", "objects.thumbnails_shown"),
    "objects.zip_signed": pgettext_lazy("audit kind", "objects.zip_signed"),
    "s3key.issued": pgettext_lazy("audit kind", "s3key.issued"),
    "s3key.revoked": pgettext_lazy("audit kind", "s3key.revoked"),
    "share.created": pgettext_lazy("audit kind", "share.created"),
    "share.downloaded": pgettext_lazy("audit kind", "share.downloaded"),
    "share.dropbox_signed": pgettext_lazy("audit kind", "share.dropbox_signed"),
    "share.dropbox_upload": pgettext_lazy("audit kind", "share.dropbox_upload"),
    "share.raw_created": pgettext_lazy("audit kind", "share.raw_created"),
    "share.revoked": pgettext_lazy("audit kind", "share.revoked"),
    "token.created": pgettext_lazy("audit kind", "token.created"),
    "token.revoked": pgettext_lazy("audit kind", "token.revoked"),
    "upload.aborted": pgettext_lazy("audit kind", "upload.aborted"),
    "upload.completed": pgettext_lazy("audit kind", "upload.completed"),
    "user.activated": pgettext_lazy("audit kind", "user.activated"),
    "user.created": pgettext_lazy("audit kind", "user.created"),
    "user.deactivated": pgettext_lazy("audit kind", "user.deactivated"),
    "user.link_issued": pgettext_lazy("audit kind", "user.link_issued"),
    "user.role": pgettext_lazy("audit kind", "user.role"),
}


def kind_name(kind: str) -> str:
    return str(KIND_NAMES.get(kind, kind))


DETAIL_NAMES = {
    "after": pgettext_lazy("audit detail", "after"), "backend": pgettext_lazy("audit detail", "backend"),
    "before": pgettext_lazy("audit detail", "before"), "bucket": pgettext_lazy("audit detail", "bucket"),
    "bytes": pgettext_lazy("audit detail", "bytes"), "changed": pgettext_lazy("audit detail", "changed"),
    "changes": pgettext_lazy("audit detail", "changes"), "content_type": pgettext_lazy("audit detail", "content_type"),
    "created": pgettext_lazy("audit detail", "created"), "default": pgettext_lazy("audit detail", "default"),
    "destination": pgettext_lazy("audit detail", "destination"), "edition": pgettext_lazy("audit detail", "edition"),
    "endpoint": pgettext_lazy("audit detail", "endpoint"), "error": pgettext_lazy("audit detail", "error"),
    "expires_at": pgettext_lazy("audit detail", "expires_at"), "filename": pgettext_lazy("audit detail", "filename"),
    "method": pgettext_lazy("audit detail", "method"), "objects": pgettext_lazy("audit detail", "objects"),
    "origins": pgettext_lazy("audit detail", "origins"), "prefix": pgettext_lazy("audit detail", "prefix"),
    "previous": pgettext_lazy("audit detail", "previous"), "read_only": pgettext_lazy("audit detail", "read_only"),
    "reason": pgettext_lazy("audit detail", "reason"), "region": pgettext_lazy("audit detail", "region"),
    "removed": pgettext_lazy("audit detail", "removed"), "role": pgettext_lazy("audit detail", "role"),
    "scope": pgettext_lazy("audit detail", "scope"), "size": pgettext_lazy("audit detail", "size"),
    "summary": pgettext_lazy("audit detail", "summary"), "term": pgettext_lazy("audit detail", "term"),
    "updated": pgettext_lazy("audit detail", "updated"), "user": pgettext_lazy("audit detail", "user"),
    "version": pgettext_lazy("audit detail", "version"), "via": pgettext_lazy("audit detail", "via"),
    "versioning": pgettext_lazy("audit detail", "versioning"),
    "key_id": pgettext_lazy("audit detail", "key_id"), "owner": pgettext_lazy("audit detail", "owner"),
}


def detail_name(key: str) -> str:
    return str(DETAIL_NAMES.get(key, key))


def stored_words(text: str) -> str:
    """An actor or a detail's value as stored; the console's own words among them in the page's language."""
    return gettext(text) if text in STORED_WORDS else text
