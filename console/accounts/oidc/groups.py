"""The groups claim, turned into group memberships at each sign-in.

A claim value joins the console group of the same name (made if missing), or the groups
OIDC_GROUP_MAP names for it. The role groups (admin, editor, viewer) are never joined by name,
only through the map: otherwise a provider group called "admin" would make its members console
admins; nor is a name that could pass for another ("ａｄｍｉｎ", "admin" with a hidden character). The sync manages only the memberships it gave (OidcAccount.synced_groups): each sign-in
leaves those the claim no longer names, and leaves alone memberships an admin made in the console.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from console.accounts import lookalikes
from console.accounts.models import OidcAccount
from console.roles import ROLES

NAME_LENGTH = 150  # auth.Group.name


def claimed(claims: dict) -> list[str]:
    """The claim's values: a list of strings, or one string; anything else counts as no groups."""
    value = claims.get(settings.OIDC_GROUPS_CLAIM)
    values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [v for v in values if isinstance(v, str)]


def wanted_names(claims: dict) -> set[str]:
    names: set[str] = set()
    for value in claimed(claims):
        mapped = settings.OIDC_GROUP_MAP.get(value)
        if mapped:
            names.update(mapped)
        elif settings.OIDC_GROUPS_BY_NAME and _joinable_by_name(value.strip()):
            names.add(value.strip())
    return names


def _joinable_by_name(name: str) -> bool:
    """Not a role group in any width or case, nor a name that could pass for another (hidden or mixed letters)."""
    return 0 < len(name) <= NAME_LENGTH and lookalikes.key(name) not in ROLES and not lookalikes.deceptive(name)


def sync(account: OidcAccount, claims: dict) -> dict[str, list[str]]:
    """Join the wanted groups, leave the synced ones no longer wanted; returns {"joined": [...], "left": [...]}."""
    user = account.user
    wanted = {Group.objects.get_or_create(name=name)[0] for name in wanted_names(claims)}
    with transaction.atomic():
        held = set(user.groups.all())
        leave = set(account.synced_groups.all()) - wanted
        join = wanted - held
        user.groups.add(*join)
        account.synced_groups.add(*join)
        user.groups.remove(*leave)
        account.synced_groups.remove(*leave)
    user.__dict__.pop("_role_names", None)  # console.roles caches what it read
    return {"joined": sorted(g.name for g in join), "left": sorted(g.name for g in leave & held)}
