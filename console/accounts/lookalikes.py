"""Names a person could take for another: other widths or cases of the same letters, hidden characters, mixed scripts.

A provider's people choose their user names and, where people may make groups there, group names:
"ａｄｍｉｎ" (full width), "Admin", "аdmin" (a Cyrillic а) or "admin" followed by an invisible
character all read as "admin" on the users page and in the audit log.
"""

from __future__ import annotations

import unicodedata

from django.contrib.auth.models import User

HIDDEN = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}  # controls, format (zero-width, bidi), unassigned
# Scripts that are written together (Han with kana or hangul, and each with Latin); any other mix is suspect.
EAST_ASIAN = {"CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO", "IDEOGRAPHIC"}


def key(name: str) -> str:
    """What two names that read alike share: compatibility-normalised (as Django stores user names), case-folded."""
    return unicodedata.normalize("NFKC", name).casefold()


def _script(letter: str) -> str:
    script = unicodedata.name(letter, "?").replace("-", " ").split(" ")[0]  # "KATAKANA-HIRAGANA PROLONGED…"
    return "EAST_ASIAN" if script in EAST_ASIAN else script


def deceptive(name: str) -> bool:
    """Holds a hidden character, or letters of scripts that are not written together."""
    name = unicodedata.normalize("NFKC", name)
    if any(unicodedata.category(c) in HIDDEN for c in name):
        return True
    scripts = {_script(c) for c in name if c.isalpha()}
    return len(scripts) > 1 and not scripts <= {"LATIN", "EAST_ASIAN"}


def taken_usernames() -> set[str]:
    """The key of every user name. Read whole: databases fold case differently (SQLite only for ASCII)."""
    return {key(name) for name in User.objects.values_list("username", flat=True).iterator()}
