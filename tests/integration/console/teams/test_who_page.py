"""Who can do what here: every person and group with their role at a connection or folder, and where it comes from."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, User

from console.access import rules
from console.access.models import Grant

WHO = "/connections/primary/who/"


@pytest.fixture
def more(people, seaweed_connection, key_prefix, team) -> dict[str, User]:
    """sam: viewer of the whole bucket through finance, manager of team/sub/; kim: editor of team2/ only."""
    finance = Group.objects.create(name="finance")
    sam = User.objects.create_user("sam", "s@example.com", "pw")
    kim = User.objects.create_user("kim", "k@example.com", "pw")
    finance.user_set.add(sam)
    Grant.objects.create(connection=seaweed_connection, group=finance, role="viewer")
    Grant.objects.create(connection=seaweed_connection, user=sam, role="manager", prefix=team + "sub/")
    Grant.objects.create(connection=seaweed_connection, user=kim, role="editor", prefix=key_prefix + "team2/")
    return {**people, "sam": sam, "kim": kim}


def rows(html: str, heading: str) -> dict[str, tuple[str, str]]:
    """The table under `heading`: name -> (role, where it comes from), as a person reads them."""
    section = html.split(f'id="{heading}-heading"')[1].split("</section>")[0]
    found = {}
    for row in re.findall(r"<tr>(.*?)</tr>", section, re.S)[1:]:
        cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c.replace("</li>", " "))).strip()
                 for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        found[cells[0]] = (cells[1], cells[2])
    return found


def test_a_folder_lists_each_person_with_the_role_the_access_rules_give_and_why(as_admin, more, team):
    html = as_admin.get(f"{WHO}?folder={team}").content.decode()
    people = rows(html, "people")
    assert set(people) == {"admin", "boss", "lead", "pat", "editor", "sam", "viewer"}
    for name, (role, _) in people.items():
        assert role == rules.role_on(User.objects.get(username=name), "primary", team), name
    assert people["pat"] == ("editor", f"editor on {team}, their own grant")
    assert people["boss"] == ("manager", "manager on the whole bucket, their own grant")
    assert people["editor"][1] == "the role group editor: editor on every connection"
    assert people["sam"] == ("viewer", f"viewer on the whole bucket, through the group finance also below: "
                                       f"manager on {team}sub/")
    groups = rows(html, "groups")
    assert groups["finance"] == ("viewer", "viewer on the whole bucket, their own grant")
    assert {"admin", "editor", "viewer"} <= set(groups)


def test_deeper_down_the_stronger_grant_wins_and_people_only_below_are_listed_apart(as_admin, more, key_prefix,
                                                                                   team):
    deeper = rows(as_admin.get(f"{WHO}?folder={team}sub/").content.decode(), "people")
    assert deeper["sam"][0] == "manager"
    top = as_admin.get(WHO).content.decode()
    assert "kim" not in rows(top, "people") and "pat" not in rows(top, "people")
    below = top.split('id="below-heading"')[1]
    assert f"kim: editor on <code>{key_prefix}team2/</code>" in below and f"pat: editor on <code>{team}</code>" in below
    beside = rows(as_admin.get(f"{WHO}?folder={key_prefix}team2/").content.decode(), "people")
    assert "kim" in beside and "pat" not in beside and "lead" not in beside, "team/ never covers team2/"


def test_a_folder_manager_asks_about_their_folder_only(as_, more, key_prefix, team):
    lead = as_("lead")
    assert lead.get(f"{WHO}?folder={team}").status_code == 200
    assert lead.get(f"{WHO}?folder={team}sub/").status_code == 200
    assert lead.get(WHO).status_code == 403, "the top is on their way down: seen, not managed"
    assert lead.get(f"{WHO}?folder={key_prefix}team2/").status_code == 404
    assert lead.get(f"{WHO}?folder={team[:-1]}").status_code == 200, "team means the folder team/"


@pytest.mark.parametrize(("who", "status"), [("stranger", 404), ("outsider", 404), ("viewer", 403), ("pat", 403)])
def test_who_does_not_manage_the_place_is_refused(as_, more, team, who, status):
    assert as_(who).get(f"{WHO}?folder={team}").status_code == status


def test_the_file_managers_folder_page_links_here_for_who_manages_it(as_, as_editor, more, team):
    """The link sits in templates/files/browse.html; the file manager's views are not changed for it."""
    link = f'href="{WHO}?folder={team.replace("/", "%2F")}"'
    assert link in as_("admin").get(f"/files/primary/?prefix={team}").content.decode()
    assert link in as_("lead").get(f"/files/primary/?prefix={team}").content.decode()
    assert link not in as_("pat").get(f"/files/primary/?prefix={team}").content.decode(), "pat edits, not manages"
    assert link not in as_editor.get(f"/files/primary/?prefix={team}").content.decode(), "an editor manages nothing"


def test_the_file_managers_list_of_connections_links_to_the_access_page_of_those_one_manages(as_, more):
    access = 'href="/connections/primary/access/"'
    assert access in as_("lead").get("/files/").content.decode(), "a folder's manager manages grants in it"
    assert access not in as_("pat").get("/files/").content.decode()
    assert 'href="/connections/second/access/"' in as_("stranger").get("/files/").content.decode()
