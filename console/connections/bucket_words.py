"""Bucket settings in plain words: lifecycle rules as sentences, what versioning states mean, new rules' names."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re

from storage.bucket_documents import LifecycleRule

VERSIONING_MEANING = {
    "Enabled": "Every overwrite and delete keeps the older version: files can be recovered.",
    "Suspended": "New writes keep no older version (each replaces the file's \"null\" version); versions kept "
                 "before stay until removed. Suspending never deletes anything.",
    "": "Never turned on: an overwrite or delete loses the older file for good.",
}


def where(prefix: str) -> str:
    """Which files a prefix picks: "logs" also picks "logs-keep/a.pdf", so only a "/" ending is said a folder."""
    if not prefix:
        return "in the whole bucket"
    return f"under {prefix}" if prefix.endswith("/") else f"whose names start with {prefix}"


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def retention(days: int, today: dt.date) -> str:
    """A retention as a person reads it: "36500 days (about 100 years), until 2126-11-02"."""
    years = round(days / 365.2425)
    about = f" (about {years} year{'s' if years != 1 else ''})" if days >= 365 else ""
    return f"{_days(days)}{about}, until {(today + dt.timedelta(days=days)).isoformat()}"


def sentences(rule: LifecycleRule) -> list[str]:
    """What the rule does, one sentence per action; what the console does not edit is said, not hidden."""
    here = where(rule.prefix)
    said = []
    if rule.expire_days:
        said.append(f"Files {here} are deleted {_days(rule.expire_days)} after they were written.")
    if rule.noncurrent_days:
        said.append(f"Older versions of files {here} are deleted {_days(rule.noncurrent_days)} after a newer "
                    "version replaced them.")
    if rule.abort_uploads_days:
        said.append(f"Uploads {here} still incomplete {_days(rule.abort_uploads_days)} after they started are "
                    "aborted, and their parts deleted.")
    if rule.extra:
        said.append(f"It also holds settings this page does not edit ({', '.join(sorted(rule.extra))}); "
                    "they are kept as they are.")
    return said


ACTION_FIELDS = {"expire": "expire_days", "noncurrent": "noncurrent_days", "abort_uploads": "abort_uploads_days"}


def new_rule(rules: list[LifecycleRule], action: str, prefix: str, days: int) -> LifecycleRule:
    """A rule for one action, named for what it does and where, with a name no other rule has."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", prefix).strip("-")[:60] or "all"
    base = f"{action.replace('_', '-')}-{slug}"
    taken = {r.id for r in rules}
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return LifecycleRule(name, prefix=prefix, **{ACTION_FIELDS[action]: days})


def has_abort_rule(rules: list[LifecycleRule]) -> bool:
    return any(r.enabled and r.abort_uploads_days and not r.prefix for r in rules)


def fingerprint(document) -> str:
    """What a confirmation was shown against: a change made meanwhile is not applied blindly."""
    return hashlib.sha256(json.dumps(document, sort_keys=True, default=str).encode()).hexdigest()[:16]
