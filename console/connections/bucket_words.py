"""Bucket settings in plain words: lifecycle rules as sentences, what versioning states mean, new rules' names."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from storage.bucket_documents import LifecycleRule

VERSIONING_MEANING = {
    "Enabled": gettext_lazy("Every overwrite and delete keeps the older version: files can be recovered."),
    "Suspended": gettext_lazy("New writes keep no older version (each replaces the file's \"null\" version); "
                              "versions kept before stay until removed. Suspending never deletes anything."),
    "": gettext_lazy("Never turned on: an overwrite or delete loses the older file for good."),
}


def where(prefix: str) -> str:
    """Which files a prefix picks: "logs" also picks "logs-keep/a.pdf", so only a "/" ending is said a folder."""
    if not prefix:
        return pgettext("which files", "in the whole bucket")
    if prefix.endswith("/"):
        return pgettext("which files", "under %(prefix)s") % {"prefix": prefix}
    return pgettext("which files", "whose names start with %(prefix)s") % {"prefix": prefix}


def _days(n: int) -> str:
    return ngettext("%(n)s day", "%(n)s days", n) % {"n": n}


def retention(days: int, today: dt.date) -> str:
    """A retention as a person reads it: "36500 days (about 100 years), until 2126-11-02"."""
    until = (today + dt.timedelta(days=days)).isoformat()
    if days < 365:
        return _("%(days)s, until %(date)s") % {"days": _days(days), "date": until}
    years = round(days / 365.2425)
    about = ngettext("%(n)s year", "%(n)s years", years) % {"n": years}
    return _("%(days)s (about %(years)s), until %(date)s") % {"days": _days(days), "years": about, "date": until}


def sentences(rule: LifecycleRule) -> list[str]:
    """What the rule does, one sentence per action; what the console does not edit is said, not hidden."""
    here = where(rule.prefix)
    said = []
    if rule.expire_days:
        said.append(_("Files %(where)s are deleted %(days)s after they were written.")
                    % {"where": here, "days": _days(rule.expire_days)})
    if rule.noncurrent_days:
        said.append(_("Older versions of files %(where)s are deleted %(days)s after a newer version replaced them.")
                    % {"where": here, "days": _days(rule.noncurrent_days)})
    if rule.abort_uploads_days:
        said.append(_("Uploads %(where)s still incomplete %(days)s after they started are aborted, and their parts "
                      "deleted.") % {"where": here, "days": _days(rule.abort_uploads_days)})
    if rule.extra:
        said.append(_("It also holds settings this page does not edit (%(names)s); they are kept as they are.")
                    % {"names": ", ".join(sorted(rule.extra))})
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
