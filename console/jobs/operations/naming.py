"""Names for "keep both": `name (2).ext`, `name (3).ext` ... (`storage.keys.numbered`, as the drop box names)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from storage.gateway import InvalidKey
from storage.keys import numbered

MAX_NUMBER = 999


def keep_both_name(key: str, taken: Callable[[str], bool]) -> str:
    """The first numbered name that `taken` says is free."""
    for number in range(2, MAX_NUMBER + 1):
        candidate = numbered(key, number)
        if not taken(candidate):
            return candidate
    raise InvalidKey(_("'%(key)s' has %(count)s numbered copies already; no free name is left.") % {
        "key": key, "count": MAX_NUMBER - 1})
