"""The one access check: which role a person holds on a connection at a key, and what they may see there."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.http import Http404

from console.access import rules
from console.roles import ADMIN, EDITOR, MANAGER, VIEWER


def fresh(user: User) -> User:
    """The person as a new request (or a job's next check) reads them: nothing cached."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def person(db):
    return User.objects.create_user("pat", "pat@example.com", "pw")


def test_it_gives_admins_everything_everywhere_even_on_a_connection_not_made_yet(users):
    admin = users["admin"]
    assert rules.role_on(admin, "A", "any/key") == ADMIN
    assert rules.role_on(admin, "later") == ADMIN
    assert rules.roots(admin, "A") == [""]
    root = User.objects.create_superuser("root", "root@example.com", "pw")
    assert rules.role_on(root, "A", "x") == ADMIN


def test_it_gives_the_role_groups_their_role_on_every_connection_at_every_key(users, connections, grant):
    assert rules.role_on(users["editor"], "A", "a/b.txt") == EDITOR
    assert rules.role_on(users["viewer"], "B") == VIEWER
    assert rules.role_on(users["viewer"], "made-after") == VIEWER
    assert rules.visible_connections(users["viewer"]) == ["A", "B"]
    assert rules.roots(users["editor"], "B") == [""]


def test_a_person_without_role_or_grant_sees_nothing(users, connections):
    outsider = users["outsider"]
    assert rules.role_on(outsider, "A") is None
    assert rules.visible_connections(outsider) == []
    assert rules.roots(outsider, "A") == []
    with pytest.raises(Http404):
        rules.require(outsider, VIEWER, "A")
    with pytest.raises(Http404):
        rules.require_somewhere(outsider, VIEWER, "A")
    with pytest.raises(Http404):
        rules.listing_limits(outsider, "A", "")


def test_a_grant_on_the_whole_bucket_covers_every_key_of_that_connection_only(person, grant):
    grant(person, VIEWER, "A")
    person = fresh(person)
    assert rules.role_on(person, "A") == VIEWER
    assert rules.role_on(person, "A", "deep/down/file.txt") == VIEWER
    assert rules.role_on(person, "B", "deep/down/file.txt") is None
    assert rules.visible_connections(person) == ["A"]
    assert rules.visible_connections(person, among=["B", "A", "C"]) == ["A"]
    assert rules.require(person, VIEWER, "A", "x.txt") == VIEWER
    with pytest.raises(PermissionDenied):
        rules.require(person, EDITOR, "A", "x.txt")
    with pytest.raises(Http404):
        rules.require(person, VIEWER, "B", "x.txt")


@pytest.mark.parametrize(("key", "role"), [
    ("team/", EDITOR),
    ("team/a.txt", EDITOR),
    ("team/deep/er/b.bin", EDITOR),
    ("team/%2E%2E/x", EDITOR),  # a literal name under team/ (keys reach the rules decoded and validated)
    ("team/../x", None),  # never a way out, whatever a view validated first
    ("team/a/../../x", None),
    ("team/./a", None),
    ("team", None),  # only a string prefix of the folder
    ("team2/x", None),
    ("team2/", None),
    ("teamx", None),
    ("", None),
    ("other/team/a.txt", None),
    ("TEAM/a.txt", None),  # keys are case-sensitive
])
def test_a_folder_grant_covers_exactly_the_keys_inside_the_folder(person, grant, key, role):
    grant(person, EDITOR, "A", "team/")
    assert rules.role_on(fresh(person), "A", key) == role


def test_outside_their_folder_a_prefix_limited_person_is_told_nothing_exists(person, grant):
    grant(person, EDITOR, "A", "team/")
    person = fresh(person)
    for key in ("team2/x", "team2/", "team", "other/", "x.txt"):
        with pytest.raises(Http404):
            rules.require(person, VIEWER, "A", key)
    with pytest.raises(PermissionDenied):  # the bucket's top is on the way down to team/: seen, not writable
        rules.require(person, EDITOR, "A", "")
    with pytest.raises(PermissionDenied):
        rules.require(person, MANAGER, "A", "team/x")
    assert rules.require(person, EDITOR, "A", "team/new.txt") == EDITOR


def test_above_their_folder_a_person_sees_only_the_way_down(person, grant):
    grant(person, VIEWER, "A", "a/b/c/")
    person = fresh(person)
    assert rules.listing_limits(person, "A", "") == ["a/"]
    assert rules.listing_limits(person, "A", "a/") == ["a/b/"]
    assert rules.listing_limits(person, "A", "a/b/") == ["a/b/c/"]
    assert rules.listing_limits(person, "A", "a/b/c/") is None
    assert rules.listing_limits(person, "A", "a/b/c/d/") is None
    for elsewhere in ("a/x/", "b/", "a/b/c2/", "a/b/cc/"):
        with pytest.raises(Http404):
            rules.listing_limits(person, "A", elsewhere)
    with pytest.raises(PermissionDenied):
        rules.require(person, VIEWER, "A", "a/b/")  # a folder on the way: seen, yet no role there
    with pytest.raises(Http404):
        rules.require(person, VIEWER, "A", "a/b")  # a file beside the way: not seen


def test_several_folders_show_each_way_down_and_start_where_they_meet(person, grant):
    grant(person, VIEWER, "A", "x/reports/")
    grant(person, EDITOR, "A", "x/team/")
    grant(person, VIEWER, "A", "y/")
    person = fresh(person)
    assert rules.roots(person, "A") == ["x/reports/", "x/team/", "y/"]
    assert rules.listing_limits(person, "A", "") == ["x/", "y/"]
    assert rules.listing_limits(person, "A", "x/") == ["x/reports/", "x/team/"]
    assert rules.start_prefix(person, "A") == ""
    assert rules.start_prefix(fresh_with(grant, "solo", [("x/reports/",), ("x/team/",)]), "A") == "x/"
    assert rules.start_prefix(fresh_with(grant, "one", [("x/team/",)]), "A") == "x/team/"
    assert rules.start_prefix(fresh_with(grant, "near", [("x/team/",), ("x/team2/",)]), "A") == "x/"


def fresh_with(grant, name: str, prefixes: list[tuple[str]]) -> User:
    user = User.objects.create_user(name, f"{name}@example.com", "pw")
    for (prefix,) in prefixes:
        grant(user, VIEWER, "A", prefix)
    return fresh(user)


def test_a_folder_inside_another_granted_folder_adds_no_root(person, grant):
    grant(person, VIEWER, "A", "team/")
    grant(person, EDITOR, "A", "team/inbox/")
    person = fresh(person)
    assert rules.roots(person, "A") == ["team/"]
    assert rules.role_on(person, "A", "team/inbox/a.txt") == EDITOR
    assert rules.role_on(person, "A", "team/a.txt") == VIEWER


def test_grants_add_up_and_the_strongest_covering_one_wins(person, grant):
    grant(person, EDITOR, "A")
    grant(person, VIEWER, "A", "team/")
    grant(person, MANAGER, "A", "ops/")
    person = fresh(person)
    assert rules.role_on(person, "A", "team/a.txt") == EDITOR  # the broader editor grant covers team/ too
    assert rules.role_on(person, "A", "ops/a.txt") == MANAGER
    assert rules.role_on(person, "A", "else.txt") == EDITOR
    assert rules.strongest_on(person, "A") == MANAGER
    assert rules.strongest(person) == MANAGER


def test_a_role_group_and_a_grant_add_up(users, grant):
    viewer = users["viewer"]
    grant(viewer, MANAGER, "A", "team/")
    viewer = fresh(viewer)
    assert rules.role_on(viewer, "A", "team/x") == MANAGER
    assert rules.role_on(viewer, "A", "x") == VIEWER
    assert rules.role_on(viewer, "B", "team/x") == VIEWER
    assert rules.roots(viewer, "A") == [""]
    assert rules.listing_limits(viewer, "A", "") is None


def test_a_group_grant_reaches_its_members_and_leaves_with_them(person, grant):
    finance = Group.objects.create(name="finance")
    grant(finance, EDITOR, "A", "finance/")
    assert rules.role_on(fresh(person), "A", "finance/q1.csv") is None
    person.groups.add(finance)
    assert rules.role_on(fresh(person), "A", "finance/q1.csv") == EDITOR
    assert rules.visible_connections(fresh(person)) == ["A"]
    person.groups.remove(finance)
    assert rules.role_on(fresh(person), "A", "finance/q1.csv") is None


def test_a_person_in_two_groups_holds_what_both_give(person, grant):
    one, two = Group.objects.create(name="one"), Group.objects.create(name="two")
    grant(one, VIEWER, "A", "shared/")
    grant(two, EDITOR, "A", "shared/")
    grant(two, VIEWER, "B")
    person.groups.add(one, two)
    person = fresh(person)
    assert rules.role_on(person, "A", "shared/x") == EDITOR
    assert rules.visible_connections(person) == ["A", "B"]


def test_a_deactivated_person_holds_nothing(person, grant, users):
    grant(person, MANAGER, "A")
    for who in (person, users["editor"], users["admin"]):
        User.objects.filter(pk=who.pk).update(is_active=False)
        who = fresh(who)
        assert rules.role_on(who, "A", "x") is None
        assert rules.visible_connections(who) == []
        with pytest.raises(Http404):
            rules.require(who, VIEWER, "A", "x")


def test_grants_go_with_their_connection_and_do_not_come_back_with_its_name(person, grant, connections):
    from storage.models import Connection

    grant(person, EDITOR, "A")
    connections["A"].delete()
    assert rules.role_on(fresh(person), "A") is None
    Connection.objects.create(name="A", endpoint="http://127.0.0.1:9", bucket="a-again")
    assert rules.role_on(fresh(person), "A") is None
    assert rules.visible_connections(fresh(person)) == []


def test_require_somewhere_asks_for_the_role_anywhere_on_the_connection(person, grant):
    grant(person, EDITOR, "A", "team/")
    grant(person, VIEWER, "B", "docs/")
    person = fresh(person)
    assert rules.require_somewhere(person, EDITOR, "A") == EDITOR
    with pytest.raises(PermissionDenied):
        rules.require_somewhere(person, EDITOR, "B")
    with pytest.raises(PermissionDenied):
        rules.require_somewhere(person, MANAGER, "A")
    with pytest.raises(Http404):
        rules.require_somewhere(person, VIEWER, "C")


def test_scopes_name_where_a_person_holds_a_role(person, grant, users):
    grant(person, MANAGER, "A")
    grant(person, MANAGER, "B", "ops/")
    grant(person, EDITOR, "B", "team/")
    assert rules.scopes(fresh(person), MANAGER) == [("A", ""), ("B", "ops/")]
    assert rules.scopes(fresh(person), EDITOR) == [("A", ""), ("B", "ops/"), ("B", "team/")]
    assert rules.scopes(users["admin"], MANAGER) is None
    assert rules.scopes(users["editor"], EDITOR) is None
    assert rules.scopes(users["editor"], MANAGER) == []


def test_anonymous_people_hold_nothing(db):
    from django.contrib.auth.models import AnonymousUser

    nobody = AnonymousUser()
    assert rules.role_on(nobody, "A") is None
    assert rules.visible_connections(nobody, among=["A"]) == []
    assert not rules.holds_anywhere(nobody, VIEWER)


def test_a_request_reads_a_persons_roles_and_grants_once(person, grant, django_assert_num_queries):
    grant(person, EDITOR, "A", "team/")
    person = fresh(person)
    with django_assert_num_queries(2):  # the role groups, then the grants
        for key in ("team/a", "team/b", "x", ""):
            rules.role_on(person, "A", key)
        rules.listing_limits(person, "A", "")
        rules.visible_connections(person, among=["A", "B"])
    rules.forget(person)
    with django_assert_num_queries(2):
        rules.role_on(person, "A")
