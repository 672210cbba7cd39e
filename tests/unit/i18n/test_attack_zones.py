"""Time zones a person may pick: each names a place, not the server's own setting or a placeholder."""

from __future__ import annotations

import pytest

from console.accounts.models import Preferences


def choose_zone(client, zone: str):
    return client.post("/settings/", {"language": "", "time_zone": zone})


@pytest.mark.parametrize("zone", ["localtime", "Factory"])
def test_your_settings_offers_no_zone_that_names_no_place(as_admin, users, zone):
    # "localtime" is whatever the server's /etc/localtime is (PostgreSQL does not know it); "Factory" is no zone.
    choose_zone(as_admin, zone)
    assert not Preferences.objects.filter(time_zone=zone).exists()
    assert f'value="{zone}"' not in as_admin.get("/settings/").content.decode()


