"""A group's multipart upload ids: the member's own id, with the member named and signed.

Everything after `create_multipart_upload` (sign parts, list parts, complete, abort) must reach the
member that holds the upload. The id a client gets back names that member, with an HMAC over the
group, member, key and id so a client cannot send the upload to another member by editing it.
"""

from __future__ import annotations

import base64

from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from storage.gateway import InvalidRequest

PREFIX = "grp1."
SALT = "storage.groups.upload_ids"


def _mac(group: str, member: str, key: str, upload_id: str) -> str:
    message = "\0".join((group, member, key, upload_id))
    return salted_hmac(SALT, message, algorithm="sha256").hexdigest()[:32]


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _unb64(text: str) -> str:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()


def wrap(group: str, member: str, key: str, upload_id: str) -> str:
    return f"{PREFIX}{_b64(member)}.{_mac(group, member, key, upload_id)}.{upload_id}"


def unwrap(group: str, key: str, wrapped: str) -> tuple[str, str]:
    """(member, member's upload id) from an id `wrap` made for this group and key; else InvalidRequest."""
    refused = InvalidRequest(_("This upload id was not issued by the group '%(group)s' for this key.") % {
        "group": group})
    if not isinstance(wrapped, str) or not wrapped.startswith(PREFIX):
        raise refused
    try:
        encoded, mac, upload_id = wrapped[len(PREFIX):].split(".", 2)
        member = _unb64(encoded)
    except (ValueError, UnicodeDecodeError):
        raise refused from None
    if not constant_time_compare(mac, _mac(group, member, key, upload_id)):
        raise refused
    return member, upload_id
