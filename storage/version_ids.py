"""What a version id may be, before it goes into a request or an address (S3 and its kin; "null" included)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from storage.gateway import InvalidRequest

_VERSION_ID = re.compile(r"[A-Za-z0-9._+/=:-]{1,1024}")


def check_version_id(version_id: str) -> str:
    if not isinstance(version_id, str) or not _VERSION_ID.fullmatch(version_id):
        raise InvalidRequest(_("That is not a version id."))
    return version_id
