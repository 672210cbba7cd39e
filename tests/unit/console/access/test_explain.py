"""Who can do what at a place: the role shown is always the one the access rules give, with its sources."""

from __future__ import annotations

import itertools

from django.contrib.auth.models import Group, User

from console.access import explain, rules
from console.roles import EDITOR, MANAGER, VIEWER

PLACES = ["", "team/", "team/sub/", "team2/", "other/"]


def test_the_role_shown_is_the_rules_role_and_the_strongest_source(users, grant):
    team = Group.objects.create(name="team")
    people = {name: User.objects.create_user(name, f"{name}@example.com", "pw") for name in ("pat", "sam", "kim")}
    team.user_set.add(people["sam"], people["kim"])
    grant(people["pat"], EDITOR, "A", "team/")
    grant(team, VIEWER, "A")
    grant(people["sam"], MANAGER, "A", "team/sub/")
    grant(people["kim"], EDITOR, "A", "team2/")
    grant(people["kim"], MANAGER, "B")
    for connection, place in itertools.product(("A", "B"), PLACES):
        for standing in explain.people(connection, place):
            fresh = User.objects.get(pk=standing.holder.pk)
            assert standing.role == rules.role_on(fresh, connection, place), (connection, place, fresh)
            if standing.role:
                strongest = max(standing.reasons, key=lambda r: rules.RANK[r.role]).role
                assert strongest == standing.role, (connection, place, fresh)
            else:
                assert standing.below, "listed without a role only for what they hold below"


def test_grants_below_are_told_apart_and_team_never_covers_team2(users, grant):
    pat = User.objects.create_user("pat", "p@example.com", "pw")
    grant(pat, EDITOR, "A", "team/sub/")
    at_top = {s.holder.get_username(): s for s in explain.people("A", "")}
    assert at_top["pat"].role is None and [g.prefix for g in at_top["pat"].below] == ["team/sub/"]
    assert "pat" not in {s.holder.get_username() for s in explain.people("A", "team2/")}
    assert {s.holder.get_username() for s in explain.people("A", "team/sub/x/") if s.role} >= {"pat"}


def test_deactivated_people_and_outsiders_are_not_listed(users, grant):
    gone = User.objects.create_user("gone", "g@example.com", "pw", is_active=False)
    grant(gone, MANAGER, "A")
    names = {s.holder.get_username() for s in explain.people("A")}
    assert names == {"admin", "editor", "viewer"}


def test_groups_show_the_role_groups_everywhere_and_a_team_where_its_grants_cover(users, grant):
    team = Group.objects.create(name="team")
    grant(team, EDITOR, "A", "team/")
    at_team = {s.holder.name: s.role for s in explain.groups("A", "team/x/")}
    assert at_team == {"admin": "admin", "editor": "editor", "viewer": "viewer", "team": "editor"}
    assert "team" not in {s.holder.name for s in explain.groups("B", "team/")}
