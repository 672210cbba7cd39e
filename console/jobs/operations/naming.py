"""Names for "keep both": `name (2).ext`, `name (3).ext` ... (the drop box's convention)."""

from __future__ import annotations

from collections.abc import Callable

from storage.gateway import InvalidKey

MAX_NUMBER = 999


def numbered(key: str, number: int) -> str:
    """`a/report.pdf` -> `a/report (2).pdf`; `a/.env` -> `a/.env (2)`; `a/archive.tar.gz` -> `a/archive.tar (2).gz`."""
    folder, slash, name = key.rpartition("/")
    stem, dot, ext = name.rpartition(".") if "." in name.lstrip(".") else (name, "", "")
    return f"{folder}{slash}{stem} ({number}){dot}{ext}"


def keep_both_name(key: str, taken: Callable[[str], bool]) -> str:
    """The first numbered name that `taken` says is free."""
    for number in range(2, MAX_NUMBER + 1):
        candidate = numbered(key, number)
        if not taken(candidate):
            return candidate
    raise InvalidKey(f"'{key}' has {MAX_NUMBER - 1} numbered copies already; no free name is left.")
