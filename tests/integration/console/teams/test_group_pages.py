"""Groups (admins): create, rename, delete, members in and out, grants from the group's page; role groups stay."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from console.access import rules
from console.access.models import Grant
from console.models import AuditEvent


def audit_row(kind: str) -> AuditEvent:
    return AuditEvent.objects.filter(kind=kind).latest("id")


@pytest.fixture
def finance(db) -> Group:
    return Group.objects.create(name="finance")


def test_an_admin_creates_a_group_and_lands_on_its_page(as_admin, people):
    response = as_admin.post("/groups/", {"name": " data-science "}, follow=True)
    group = Group.objects.get(name="data-science")
    assert response.redirect_chain[-1][0] == f"/groups/{group.pk}/"
    assert "Group data-science" in response.content.decode()
    row = audit_row("group.created")
    assert (row.actor_name, row.target) == ("admin", "data-science")


@pytest.mark.parametrize(("name", "why"), [("Editor", "is a role group"), ("FINANCE", "already is a group")])
def test_role_names_and_taken_names_are_refused_whatever_their_case(as_admin, people, finance, name, why):
    page = as_admin.post("/groups/", {"name": name}).content.decode()
    assert why in page and Group.objects.count() == 4  # admin, editor, viewer, finance


def test_the_list_shows_groups_with_counts_and_the_role_groups_as_every_connection_roles(as_admin, people, finance,
                                                                                        seaweed_connection):
    finance.user_set.add(people["pat"])
    Grant.objects.create(connection=seaweed_connection, group=finance, role="viewer")
    page = as_admin.get("/groups/").content.decode()
    assert ">finance</a></th><td data-label=\"Members\">1</td><td data-label=\"Grants\">1</td>" in page
    assert "Roles on every connection" in page and "editor on every connection" in page


def test_renaming_is_audited_with_the_old_name(as_admin, finance):
    as_admin.post(f"/groups/{finance.pk}/rename/", {"name": "finance-eu"})
    assert Group.objects.get(pk=finance.pk).name == "finance-eu"
    row = audit_row("group.renamed")
    assert (row.target, row.detail) == ("finance-eu", {"previous": "finance"})
    refused = as_admin.post(f"/groups/{finance.pk}/rename/", {"name": "viewer"}, follow=True)
    assert "is a role group" in refused.content.decode() and Group.objects.get(pk=finance.pk).name == "finance-eu"


def test_members_join_and_leave_and_their_access_follows(as_admin, people, finance, seaweed_connection, team):
    Grant.objects.create(connection=seaweed_connection, group=finance, role="editor", prefix=team)
    outsider = people["outsider"]
    page = as_admin.get(f"/groups/{finance.pk}/").content.decode()
    assert f'<option value="{outsider.pk}">outsider</option>' in page
    as_admin.post(f"/groups/{finance.pk}/members/", {"user": outsider.pk})
    assert rules.role_on(type(outsider).objects.get(pk=outsider.pk), "primary", team + "a") == "editor"
    assert (audit_row("group.member_added").target, audit_row("group.member_added").detail) == (
        "finance", {"user": "outsider"})
    as_admin.post(f"/groups/{finance.pk}/members/remove/", {"user": outsider.pk})
    assert rules.role_on(type(outsider).objects.get(pk=outsider.pk), "primary", team + "a") is None
    assert audit_row("group.member_removed").detail == {"user": "outsider"}


def test_a_group_page_gives_the_group_a_role_and_it_is_audited(as_admin, people, finance, key_prefix):
    response = as_admin.post(f"/groups/{finance.pk}/", {"holder": f"group:{finance.pk}", "connection": "second",
                                                        "role": "viewer", "folder": key_prefix}, follow=True)
    assert response.redirect_chain[-1][0] == f"/groups/{finance.pk}/"
    assert Grant.objects.get(group=finance).connection.name == "second"
    row = audit_row("grant.added")
    assert (row.connection, row.target, row.detail) == ("second", key_prefix, {"group": "finance", "role": "viewer"})


def test_deleting_a_group_asks_first_then_takes_its_grants_with_it_each_audited(as_admin, people, finance,
                                                                                 seaweed_connection, team):
    Grant.objects.create(connection=seaweed_connection, group=finance, role="editor", prefix=team)
    finance.user_set.add(people["outsider"])
    confirm = as_admin.get(f"/groups/{finance.pk}/delete/").content.decode()
    assert f"editor on {team} on primary" in confirm and "1 member" in confirm
    as_admin.post(f"/groups/{finance.pk}/delete/")
    assert not Group.objects.filter(name="finance").exists() and not Grant.objects.filter(prefix=team).exclude(
        user__isnull=False).exists()
    removed = audit_row("grant.removed")
    assert (removed.connection, removed.target, removed.detail["reason"]) == (
        "primary", team, "the group finance was deleted")
    assert audit_row("group.deleted").detail == {"grants": 1, "members": 1}


@pytest.mark.parametrize("action", ["rename/", "delete/", "members/", "members/remove/"])
def test_the_role_groups_cannot_be_renamed_deleted_or_have_members_set_here(as_admin, people, action):
    editors = Group.objects.get(name="editor")
    assert as_admin.post(f"/groups/{editors.pk}/{action}", {"name": "x", "user": people["outsider"].pk}
                         ).status_code == 404
    assert Group.objects.get(pk=editors.pk).name == "editor" and not people["outsider"].groups.exists()


def test_a_role_groups_page_lists_members_and_sends_to_the_users_page(as_admin, people):
    viewers = Group.objects.get(name="viewer")
    page = as_admin.get(f"/groups/{viewers.pk}/").content.decode()
    assert "viewer on every connection" in page and ">viewer</a>" in page and 'href="/users/"' in page
    assert as_admin.post(f"/groups/{viewers.pk}/", {"holder": f"group:{viewers.pk}", "connection": "primary",
                                                    "role": "manager"}).status_code == 200
    assert not Grant.objects.filter(group=viewers).exists()


@pytest.mark.parametrize("who", ["boss", "editor", "viewer", "outsider"])
def test_only_admins_reach_the_groups_pages(as_, people, finance, who):
    client = as_(who)
    assert client.get("/groups/").status_code == 403
    assert client.get(f"/groups/{finance.pk}/").status_code == 403
    assert client.post("/groups/", {"name": "mine"}).status_code == 403
    assert client.post(f"/groups/{finance.pk}/members/", {"user": people[who].pk}).status_code == 403
    assert client.get(f"/users/{people[who].pk}/").status_code == 403
    assert not Group.objects.filter(name="mine").exists() and not finance.user_set.exists()
