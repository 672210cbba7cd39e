"""A column headed with the zone's offset now ("When (UTC+1)" in a Berlin winter) holds times from summer too."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from django.utils import timezone

from console.models import AuditEvent

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def other_season_noon_utc() -> dt.datetime:
    """Noon UTC on a day whose Berlin offset is not today's: July in winter, January in summer."""
    summer_now = timezone.now().astimezone(BERLIN).dst() != dt.timedelta(0)
    return dt.datetime(2026, 1 if summer_now else 7, 1, 12, tzinfo=dt.UTC)


def test_a_time_from_the_other_season_says_its_own_offset(as_admin):
    moment = other_season_noon_utc()
    event = AuditEvent.objects.create(kind="connection.created", target="primary")
    AuditEvent.objects.filter(pk=event.pk).update(at=moment)
    as_admin.post("/settings/", {"language": "", "time_zone": "Europe/Berlin"})
    page = as_admin.get("/audit/").content.decode()
    local = moment.astimezone(BERLIN)
    own = f"UTC+{int(local.utcoffset().total_seconds() // 3600)}"
    heading = re.search(r"When \((UTC[^)]*)\)", page).group(1)
    assert heading != own  # the column's offset is today's
    assert re.search(rf"{local:%Y-%m-%d %H:%M:%S}</time>\s*{re.escape(own)}", page)


def test_a_job_queued_in_the_other_season_says_its_own_offset(as_admin, users):
    from console.jobs.models import Job

    moment = other_season_noon_utc()
    job = Job.objects.create(kind=Job.Kind.FOLDER_SIZE, connection="primary", created_by=users["admin"],
                             params={"items": ["docs/"]})
    Job.objects.filter(pk=job.pk).update(created_at=moment)
    as_admin.post("/settings/", {"language": "", "time_zone": "Europe/Berlin"})
    page = as_admin.get("/jobs/").content.decode()
    local = moment.astimezone(BERLIN)
    own = f"UTC+{int(local.utcoffset().total_seconds() // 3600)}"
    assert re.search(rf"{local:%Y-%m-%d %H:%M}</time>\s*{re.escape(own)}", page)
