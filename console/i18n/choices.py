"""Which languages and time zones a person may pick: the settings' languages, the system's zones."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django.conf import settings


def language_codes() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def is_language(code: str) -> bool:
    return code in language_codes()


# In the system's zone files but no place's zone: the server's own /etc/localtime, and tzdata's placeholder.
NOT_A_PLACE = {"localtime", "Factory", "posixrules"}  # i18n: not shown (zone file names)


@cache
def time_zones() -> list[str]:
    return sorted(zoneinfo.available_timezones() - NOT_A_PLACE)


@cache
def _time_zone_names() -> frozenset[str]:
    return frozenset(time_zones())


def is_time_zone(name: str) -> bool:
    return name in _time_zone_names()
