"""Times say their zone: a person's own zone (Your settings) or TIME_ZONE, never a fixed "UTC"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from console.models import AuditEvent
from console.templatetags.zones import offset_label, zoned

MOMENT = dt.datetime(2026, 11, 27, 9, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize("zone, shown", [
    ("UTC", "2026-11-27 09:30 UTC"), ("Asia/Shanghai", "2026-11-27 17:30 UTC+8"),
    ("America/St_Johns", "2026-11-27 06:00 UTC-3:30"), ("Asia/Kathmandu", "2026-11-27 15:15 UTC+5:45"),
])
def test_a_moment_is_shown_in_the_page_zone_with_its_offset(zone, shown):
    with timezone.override(zone):
        assert zoned(MOMENT) == shown
    assert zoned(None) == ""


def test_the_offset_follows_summer_time():
    with timezone.override("Europe/Berlin"):
        assert offset_label(timezone.localtime(dt.datetime(2026, 7, 1, tzinfo=dt.UTC))) == "UTC+2"
        assert offset_label(timezone.localtime(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))) == "UTC+1"


def test_the_audit_log_heads_its_times_with_the_person_zone(as_admin):
    AuditEvent.objects.create(kind="connection.created", target="primary")
    as_admin.post("/settings/", {"language": "", "time_zone": "Asia/Shanghai"})
    page = as_admin.get("/audit/").content.decode()
    assert "When (UTC+8)" in page and "When (UTC)" not in page


def test_the_console_zone_is_a_setting(as_admin, settings):
    AuditEvent.objects.create(kind="connection.created", target="primary")
    settings.TIME_ZONE = "Asia/Tokyo"
    assert "When (UTC+9)" in as_admin.get("/audit/").content.decode()
