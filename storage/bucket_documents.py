"""Bucket settings as values, and the S3 documents they become (what the console shows before applying).

Pure: no boto3, no HTML. The S3 gateway sends exactly the documents built here, so what a person
confirmed is what the storage receives.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

VERSIONING_STATES = ("Enabled", "Suspended")
LOCK_MODES = ("GOVERNANCE", "COMPLIANCE")
MAX_DAYS = 36500  # a hundred years: larger is a typing mistake, not a plan
MAX_RULES = 1000  # S3's own limit of lifecycle rules per bucket
RULE_ID_LIMIT = 255


class InvalidSetting(ValueError):
    """A setting S3 would refuse; its text says which and why, fit to show a person."""


@dataclass(frozen=True)
class LifecycleRule:
    """One lifecycle rule in plain terms; `extra` keeps what the console does not edit (transitions, tag
    filters...) so that saving the rules the console shows never drops the storage's others."""

    id: str
    prefix: str = ""
    enabled: bool = True
    expire_days: int | None = None  # current versions (objects) expire N days after creation
    noncurrent_days: int | None = None  # older versions are removed N days after they stopped being current
    abort_uploads_days: int | None = None  # incomplete multipart uploads are aborted N days after they started
    extra: dict = field(default_factory=dict, compare=False)
    # Read from the storage: sent back as it is, not held to the console's bounds (another tool may have set
    # what the console would not, and removing or adding another rule must not be refused for it).
    stored: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class ObjectLock:
    """A bucket's object lock: whether it is on, and the retention new objects get by default."""

    enabled: bool
    mode: str = ""  # GOVERNANCE or COMPLIANCE; "" when there is no default retention
    days: int | None = None
    years: int | None = None


def _days(value, what: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise InvalidSetting(_("%(what)s must be a whole number of days.") % {"what": what}) from None
    if not 1 <= days <= MAX_DAYS:
        raise InvalidSetting(_("%(what)s must be between 1 and %(max)s days (got %(days)s).") % {"what": what, "max": MAX_DAYS, "days": days})
    return days


def checked_rule(rule: LifecycleRule) -> LifecycleRule:
    """The rule with its numbers checked, or InvalidSetting naming what S3 would refuse."""
    if not rule.id or len(rule.id) > RULE_ID_LIMIT:
        raise InvalidSetting(_("A rule needs a name of 1 to %(limit)s characters.") % {"limit": RULE_ID_LIMIT})
    values = {name: _days(getattr(rule, name), what) for name, what in (
        ("expire_days", _("Expiring objects")), ("noncurrent_days", _("Expiring older versions")),
        ("abort_uploads_days", _("Aborting incomplete uploads")))}
    if not any(values.values()) and not rule.extra:
        raise InvalidSetting(_("Rule '%(rule)s' does nothing: give it a number of days for at least one action.")
                             % {"rule": rule.id})
    if values["abort_uploads_days"] and rule.extra.get("Filter", {}).get("Tag"):
        raise InvalidSetting(_("Aborting incomplete uploads cannot be limited by tags."))
    return LifecycleRule(rule.id, rule.prefix, rule.enabled, **values, extra=rule.extra)


def checked_rules(rules: list[LifecycleRule]) -> list[LifecycleRule]:
    if len(rules) > MAX_RULES:
        raise InvalidSetting(_("A bucket holds at most %(max)s lifecycle rules.") % {"max": MAX_RULES})
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise InvalidSetting(_("Two rules have the same name; each rule needs its own."))
    return [r if r.stored else checked_rule(r) for r in rules]


def lifecycle_document(rules: list[LifecycleRule]) -> dict:
    """The LifecycleConfiguration S3 receives (boto3's shape, which is also its JSON form)."""
    return {"Rules": [_rule_document(r) for r in checked_rules(rules)]}


def _rule_document(rule: LifecycleRule) -> dict:
    document = {"ID": rule.id, "Status": "Enabled" if rule.enabled else "Disabled",
                **{k: v for k, v in rule.extra.items() if k not in ("ID", "Status", "Filter", "Prefix")},
                "Filter": rule.extra.get("Filter") or {"Prefix": rule.prefix}}
    if rule.expire_days:
        document["Expiration"] = {"Days": rule.expire_days}
    if rule.noncurrent_days:
        document["NoncurrentVersionExpiration"] = {"NoncurrentDays": rule.noncurrent_days}
    if rule.abort_uploads_days:
        document["AbortIncompleteMultipartUpload"] = {"DaysAfterInitiation": rule.abort_uploads_days}
    return document


EDITED = ("Expiration", "NoncurrentVersionExpiration", "AbortIncompleteMultipartUpload")


def rule_from_document(document: dict) -> LifecycleRule:
    """A rule as the storage returned it; what the console does not edit stays in `extra`."""
    filter_ = document.get("Filter") or {}
    prefix = filter_.get("Prefix", document.get("Prefix", "")) if set(filter_) <= {"Prefix"} else ""
    expiration = document.get("Expiration") or {}
    extra = {k: v for k, v in document.items() if k not in ("ID", "Status", "Prefix", *EDITED)}
    if set(filter_) <= {"Prefix"}:
        extra.pop("Filter", None)
    if set(expiration) - {"Days"}:  # a date, or expired delete markers: kept as they are
        extra["Expiration"] = expiration
    return LifecycleRule(
        id=str(document.get("ID", "")), prefix=prefix, enabled=document.get("Status") == "Enabled",
        expire_days=expiration.get("Days") if set(expiration) <= {"Days"} else None,
        noncurrent_days=(document.get("NoncurrentVersionExpiration") or {}).get("NoncurrentDays"),
        abort_uploads_days=(document.get("AbortIncompleteMultipartUpload") or {}).get("DaysAfterInitiation"),
        extra=extra, stored=True)


def versioning_document(status: str) -> dict:
    if status not in VERSIONING_STATES:
        raise InvalidSetting(_("Versioning is either Enabled or Suspended (got %(status)r).") % {"status": status})
    return {"Status": status}


def lock_document(lock: ObjectLock) -> dict:
    """The ObjectLockConfiguration S3 receives; a default retention needs a mode and days or years (not both)."""
    if not lock.enabled:
        raise InvalidSetting(_("Object lock cannot be turned off once a bucket has it."))
    document: dict = {"ObjectLockEnabled": "Enabled"}
    if not lock.mode:
        return document
    if lock.mode not in LOCK_MODES:
        raise InvalidSetting(_("The retention mode is GOVERNANCE or COMPLIANCE (got %(mode)r).") % {"mode": lock.mode})
    days, years = _days(lock.days, _("The retention")), _days(lock.years, _("The retention in years"))
    if bool(days) == bool(years):
        raise InvalidSetting(_("A default retention needs a number of days or of years (one of them)."))
    period = {"Days": days} if days else {"Years": years}
    document["Rule"] = {"DefaultRetention": {"Mode": lock.mode, **period}}
    return document


def lock_from_document(document: dict) -> ObjectLock:
    retention = (document.get("Rule") or {}).get("DefaultRetention") or {}
    return ObjectLock(document.get("ObjectLockEnabled") == "Enabled", retention.get("Mode", ""),
                      retention.get("Days"), retention.get("Years"))
