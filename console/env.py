"""Typed helpers that read settings from the environment and refuse nonsense."""

from __future__ import annotations

import ipaddress
import os
import zoneinfo

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_time_zone(name: str, default: str) -> str:
    """An IANA time zone name such as Asia/Shanghai; ImproperlyConfigured for one the system does not know."""
    value = env_str(name, default) or default
    if value not in zoneinfo.available_timezones():
        raise ImproperlyConfigured(f"{name}={value!r} is not a time zone name (for example UTC or Asia/Shanghai)")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false)")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is below the minimum of {minimum}")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, choices: tuple[str, ...], default: str = "") -> str:
    value = env_str(name, default).lower()
    if value and value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of: {', '.join(choices)}")
    return value


def env_url(name: str, default: str = "") -> str:
    value = env_str(name, default)
    if value and not value.startswith(("http://", "https://")):
        raise ImproperlyConfigured(f"{name}={value!r} must start with http:// or https://")
    return value.rstrip("/")


def env_networks(name: str) -> list[str]:
    """A comma-separated list of networks (CIDRs such as 10.0.0.0/8); each is checked here."""
    networks = env_list(name)
    for cidr in networks:
        try:
            ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            raise ImproperlyConfigured(f"{name} entry {cidr!r} is not a network (e.g. 10.0.0.0/8)") from None
    return networks


def env_map(name: str) -> dict[str, list[str]]:
    """Pairs "a=x,b=y,a=z" as {"a": ["x", "z"], "b": ["y"]}: each entry needs text on both sides of one "="."""
    pairs: dict[str, list[str]] = {}
    for entry in env_list(name):
        source, equals, target = (part.strip() for part in entry.partition("="))
        if not (equals and source and target) or "=" in target:
            raise ImproperlyConfigured(f"{name} entry {entry!r} must be one name=name pair")
        pairs.setdefault(source, []).append(target)
    return pairs
