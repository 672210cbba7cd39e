"""Who can do what at one place (a connection, or a folder of it), and where each role comes from.

The role shown for a person is `rules.role_on`, the one check every page, job, share and API call asks;
the reasons beside it are the role group and the grants that cover the place (`rules.covers`), so a page
built on these never holds a second copy of the rule. Grants only on folders below the place are listed
apart: they let a person work further down, not here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import Group, User
from django.db.models import Q

from console.access import rules
from console.access.models import Grant
from console.roles import ADMIN, RANK, ROLES, role_of


@dataclass(frozen=True)
class Reason:
    """One source of a role: a grant (to the person or to one of their groups), or a role group."""

    role: str
    grant: Grant | None = None  # None: the role group `group`, or a superuser's admin
    group: str = ""  # the group it comes through; "" for a person's own grant or a superuser


@dataclass
class Standing:
    """A person or a group at the place: their role there (None: only below), why, and what they hold below."""

    holder: User | Group
    role: str | None
    reasons: list[Reason] = field(default_factory=list)
    below: list[Grant] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.holder.name if isinstance(self.holder, Group) else self.holder.get_username()


def _grants(connection: str, place: str) -> tuple[list[Grant], list[Grant]]:
    """The connection's grants that cover `place`, and those only on folders below it."""
    grants = list(Grant.objects.filter(connection__name=connection).select_related("user", "group"))
    covering = [g for g in grants if rules.covers(g.prefix, place)]
    below = [g for g in grants if g.prefix != place and rules.covers(place, g.prefix)]
    return covering, below


def _by_rank(standings: list[Standing], *, first: str = "") -> list[Standing]:
    """Strongest first, then by name (`first` before the others of its rank)."""
    return sorted(standings, key=lambda s: (-RANK.get(s.role, 0), s.name != first, s.name.lower()))


def _role_group_reason(user: User) -> list[Reason]:
    held = role_of(user)
    if held is None:
        return []
    return [Reason(held, group="" if user.is_superuser else held)]


def people(connection: str, place: str = "") -> list[Standing]:
    """Every active person with a role at `place` or below it, strongest first."""
    covering, below = _grants(connection, place)
    related = [g.pk for g in covering + below]
    candidates = User.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(groups__name__in=ROLES) | Q(grants__in=related) | Q(groups__grants__in=related)
    ).distinct().prefetch_related("groups")
    standings = []
    for user in candidates:
        groups = {g.pk for g in user.groups.all()}
        mine = [g for g in covering if g.user_id == user.pk or g.group_id in groups]
        reasons = _role_group_reason(user) + [Reason(g.role, g, g.group.name if g.group_id else "") for g in mine]
        deeper = [g for g in below if g.user_id == user.pk or g.group_id in groups]
        standings.append(Standing(user, rules.role_on(user, connection, place), reasons, deeper))
    return _by_rank(standings)


def groups(connection: str, place: str = "") -> list[Standing]:
    """Every group whose members get a role at `place` or below it: the role groups, then those with grants."""
    covering, below = _grants(connection, place)
    standings = []
    for group in Group.objects.filter(Q(name__in=ROLES) | Q(grants__in=[g.pk for g in covering + below])).distinct():
        if group.name in ROLES:
            standings.append(Standing(group, group.name, [Reason(group.name, group=group.name)]))
            continue
        mine = [Reason(g.role, g) for g in covering if g.group_id == group.pk]
        role = max((r.role for r in mine), key=RANK.__getitem__, default=None)
        standings.append(Standing(group, role, mine, [g for g in below if g.group_id == group.pk]))
    return _by_rank(standings, first=ADMIN)
