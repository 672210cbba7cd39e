"""Grants on a connection's page, a user's page and a group's page: add, change, remove, each audited; refusals."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, User

from console.access import rules
from console.access.models import Grant
from console.models import AuditEvent
from storage.factory import get_gateway

ACCESS = "/connections/primary/access/"


def holder(kind: str, pk: int) -> str:
    return f"{kind}:{pk}"


def audit_row(kind: str) -> AuditEvent:
    return AuditEvent.objects.filter(kind=kind).latest("id")


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


@pytest.fixture
def finance(db) -> Group:
    return Group.objects.create(name="finance")


def test_an_admin_gives_a_group_a_role_on_a_typed_folder_and_it_is_audited(as_admin, people, finance, key_prefix):
    response = as_admin.post(ACCESS, {"holder": holder("group", finance.pk), "connection": "primary",
                                      "role": "editor", "folder": f"/{key_prefix}reports"}, follow=True)
    grant = Grant.objects.get(group=finance)
    assert (grant.connection.name, grant.prefix, grant.role) == ("primary", key_prefix + "reports/", "editor")
    assert f"the group finance now holds editor on {key_prefix}reports/ on primary" in messages_of(response)
    assert f">{key_prefix}reports/</code>" in response.content.decode()
    row = audit_row("grant.added")
    assert (row.actor_name, row.connection, row.target) == ("admin", "primary", key_prefix + "reports/")
    assert row.detail == {"group": "finance", "role": "editor"}
    member = User.objects.create_user("fin", "f@example.com", "pw")
    finance.user_set.add(member)
    assert rules.role_on(member, "primary", key_prefix + "reports/q1.csv") == "editor"


def test_the_folder_field_offers_the_folders_the_connection_has(as_admin, people, key_prefix):
    get_gateway().simple_upload("primary", key_prefix + "reports/2026/a.csv", b"1")
    get_gateway().simple_upload("primary", key_prefix + "photos/b.jpg", b"2")
    page = as_admin.get(f"{ACCESS}?folder={key_prefix}").content.decode()
    offered = re.findall(r'<option value="([^"]*)"></option>', page.split('id="folder-choices"')[1])
    assert key_prefix + "reports/" in offered and key_prefix + "photos/" in offered
    assert f'name="folder" value="{key_prefix}"' in page, "the form starts at the folder it was opened for"


def test_a_folder_that_cannot_be_one_is_refused_in_the_form(as_admin, people, finance):
    page = as_admin.post(ACCESS, {"holder": holder("group", finance.pk), "connection": "primary", "role": "viewer",
                                  "folder": "a/../b"}).content.decode()
    assert "This cannot be a folder" in page and not Grant.objects.filter(group=finance).exists()


def test_a_folder_that_would_show_as_another_name_is_refused(as_admin, people, finance):
    page = as_admin.post(ACCESS, {"holder": holder("group", finance.pk), "connection": "primary", "role": "viewer",
                                  "folder": "team/\u202ecod/"}).content.decode()
    assert "text-direction control character" in page and not Grant.objects.filter(group=finance).exists()


def test_the_same_holder_and_folder_twice_is_refused_with_the_way_to_change_it(as_admin, people, team):
    again = as_admin.post(ACCESS, {"holder": holder("user", people["pat"].pk), "connection": "primary",
                                   "role": "viewer", "folder": team})
    assert "already hold a role there" in again.content.decode()
    assert Grant.objects.get(user=people["pat"]).role == "editor"


def test_role_groups_are_not_offered_nor_accepted_as_holders(as_admin, people):
    viewers = Group.objects.get(name="viewer")
    page = as_admin.get(ACCESS).content.decode()
    assert f'value="group:{viewers.pk}"' not in page
    as_admin.post(ACCESS, {"holder": holder("group", viewers.pk), "connection": "primary", "role": "manager"})
    assert not Grant.objects.filter(group=viewers).exists()


def test_changing_and_removing_a_grant_are_audited_with_who_whom_where_and_roles(as_admin, people, team):
    grant = Grant.objects.get(user=people["pat"])
    back = f"{ACCESS}?folder={team}"
    changed = as_admin.post(f"/grants/{grant.pk}/role/", {"role": "viewer", "back": back})
    assert changed.status_code == 302 and changed["Location"] == back
    row = audit_row("grant.changed")
    assert (row.actor_name, row.connection, row.target) == ("admin", "primary", team)
    assert row.detail == {"user": "pat", "role": "viewer", "previous": "editor"}
    assert rules.role_on(User.objects.get(username="pat"), "primary", team + "x") == "viewer"

    as_admin.post(f"/grants/{grant.pk}/remove/", {"back": "https://elsewhere.example/"})
    assert not Grant.objects.filter(pk=grant.pk).exists()
    row = audit_row("grant.removed")
    assert (row.connection, row.target, row.detail) == ("primary", team, {"user": "pat", "role": "viewer"})
    assert rules.role_on(User.objects.get(username="pat"), "primary", team + "x") is None


def test_an_unsafe_back_address_goes_to_the_connection_page_instead(as_admin, people):
    grant = Grant.objects.get(user=people["pat"])
    response = as_admin.post(f"/grants/{grant.pk}/role/", {"role": "manager", "back": "//evil.example/"})
    assert response["Location"] == ACCESS


def test_a_folder_manager_sees_and_manages_only_grants_inside_their_folder(as_, people, team, finance,
                                                                          seaweed_connection):
    Grant.objects.create(connection=seaweed_connection, group=finance, role="viewer")
    page = as_("lead").get(ACCESS).content.decode()
    assert "pat" in page and "finance" not in page.split('id="grants"')[1].split("</section>")[0]
    added = as_("lead").post(ACCESS, {"holder": "group:finance", "connection": "primary",  # a manager types names
                                      "role": "viewer", "folder": team + "sub"})
    assert added.status_code == 302 and Grant.objects.filter(group=finance, prefix=team + "sub/").exists()
    assert audit_row("grant.added").actor_name == "lead"
    outside = as_("lead").post(ACCESS, {"holder": "group:finance", "connection": "primary",
                                        "role": "viewer", "folder": "elsewhere/"})
    assert f"You manage only {team} on primary" in outside.content.decode()
    assert not Grant.objects.filter(prefix="elsewhere/").exists()


def test_a_folder_manager_is_refused_grants_above_or_beside_their_folder(as_, people, finance, seaweed_connection):
    whole = Grant.objects.create(connection=seaweed_connection, group=finance, role="viewer")
    beside = Grant.objects.create(connection=seaweed_connection, group=finance, role="viewer", prefix="elsewhere/")
    assert as_("lead").post(f"/grants/{whole.pk}/role/", {"role": "manager"}).status_code == 403, \
        "the bucket's top is on their way down: they see it, without managing it"
    assert as_("lead").post(f"/grants/{beside.pk}/remove/").status_code == 404, "beside their folder: nothing"
    assert Grant.objects.get(pk=whole.pk).role == "viewer" and Grant.objects.filter(pk=beside.pk).exists()


def test_a_manager_of_another_connection_gets_404_for_everything_here(as_, people):
    grant = Grant.objects.get(user=people["pat"])
    stranger = as_("stranger")
    assert stranger.get(ACCESS).status_code == 404
    assert stranger.post(f"/grants/{grant.pk}/role/", {"role": "manager"}).status_code == 404
    assert stranger.post(f"/grants/{grant.pk}/remove/").status_code == 404
    assert stranger.get("/connections/second/access/").status_code == 200, "their own connection"
    assert Grant.objects.get(pk=grant.pk).role == "editor"


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("editor", 403), ("pat", 403), ("outsider", 404)])
def test_people_who_do_not_manage_are_refused_as_the_design_says(as_, people, who, status):
    grant = Grant.objects.get(user=people["pat"])
    client = as_(who)
    assert client.get(ACCESS).status_code == status
    assert client.post(ACCESS, {"holder": holder("user", people[who].pk), "connection": "primary",
                                "role": "manager"}).status_code == status
    assert client.post(f"/grants/{grant.pk}/remove/").status_code == 403, "they manage nothing anywhere"
    assert Grant.objects.filter(pk=grant.pk).exists()
    assert Grant.objects.filter(user=people[who]).count() == (1 if who == "pat" else 0), "nothing was given"


def test_anonymous_people_are_sent_to_sign_in(client, people):
    for url in (ACCESS, "/connections/primary/who/", "/groups/", "/users/1/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    assert client.post("/grants/1/remove/").status_code == 302


def test_a_persons_page_gives_and_lists_their_grants_and_those_of_their_groups(as_admin, people, finance,
                                                                              seaweed_connection):
    pat = people["pat"]
    finance.user_set.add(pat)
    Grant.objects.create(connection=seaweed_connection, group=finance, role="viewer")
    added = as_admin.post(f"/users/{pat.pk}/", {"holder": holder("user", pat.pk), "connection": "second",
                                                "role": "manager", "folder": ""}, follow=True)
    assert "pat now holds manager on the whole of second" in messages_of(added)
    page = added.content.decode()
    assert "Their own grants" in page and "through <a" in page and ">finance</a>" in page
    assert audit_row("grant.added").connection == "second"
    assert rules.role_on(User.objects.get(pk=pat.pk), "second", "any") == "manager"


def test_the_users_page_links_each_person_to_their_page(as_admin, people):
    page = as_admin.get("/users/").content.decode()
    assert f'href="/users/{people["pat"].pk}/">pat</a>' in page and "Role on every connection" in page


def test_deleting_a_connection_audits_each_grant_that_goes_with_it(as_admin, people):
    assert as_admin.post("/connections/second/delete/").status_code == 302
    removed = audit_row("grant.removed")
    assert (removed.connection, removed.target) == ("second", "")
    assert removed.detail == {"user": "stranger", "role": "manager", "reason": "the connection second was deleted"}
    assert audit_row("connection.deleted").detail["grants"] == 1
    assert not Grant.objects.filter(user=people["stranger"]).exists()
