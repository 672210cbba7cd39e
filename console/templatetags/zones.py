"""Times with their zone: the page's zone is the person's own (Your settings) or TIME_ZONE, so say which."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()


def offset_label(moment: datetime) -> str:
    """"UTC", "UTC+8", "UTC-3:30": the zone as an offset, the same in every language."""
    minutes = int(moment.utcoffset().total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'+' if minutes > 0 else '-'}{hours}" + (f":{rest:02d}" if rest else "")


@register.filter
def zoned(value: datetime | None) -> str:
    """A moment as "2026-11-27 17:00 UTC+8", in the page's time zone."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{local:%Y-%m-%d %H:%M} {offset_label(local)}"


@register.simple_tag
def zone_now() -> str:
    """The page's zone as it is now, for a column of times: "UTC+8"."""
    return offset_label(timezone.localtime())


@register.filter
def offset_unless(value: datetime | None, column: str) -> str:
    """" UTC+2" after a time whose offset is not its column's ("When (UTC+1)" in winter, a time from summer); else ""."""
    if not value:
        return ""
    label = offset_label(timezone.localtime(value))
    return "" if label == column else f" {label}"
