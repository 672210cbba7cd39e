"""The group page: an admin makes a group of existing connections, and the connections page shows it."""

from __future__ import annotations

import pytest

from console.models import AuditEvent
from storage.models import Connection
from tests.unit.admin_support import make_connection


@pytest.fixture
def buckets(db):
    make_connection("east", is_default=True)
    make_connection("west", bucket="west-bucket")
    make_connection("off", bucket="off-bucket", enabled=False)
    Connection.objects.create(name="inner", kind="group", members=["east"])


def test_an_admin_makes_a_group_of_existing_connections(as_admin, buckets):
    form = as_admin.get("/connections/groups/new/").content.decode()
    assert 'value="east"' in form and 'value="west"' in form
    assert 'value="off"' not in form and 'value="inner"' not in form  # disabled ones and groups are not offered
    response = as_admin.post("/connections/groups/new/", {"name": "both", "members": ["east", "west"],
                                                          "placement": "free_space"})
    assert response.status_code == 302
    group = Connection.objects.get(name="both")
    assert (group.kind, group.members, group.placement, group.bucket) == ("group", ["east", "west"], "free_space", "")
    assert AuditEvent.objects.filter(kind="connection.created", target="both").exists()
    page = as_admin.get("/connections/").content.decode()
    assert "a group of east, west" in page and "/connections/groups/both/edit/" in page


def test_a_group_needs_members_it_can_be_made_of(as_admin, buckets):
    refused = as_admin.post("/connections/groups/new/", {"name": "g", "members": ["inner"], "placement": "hash"})
    assert refused.status_code == 200 and "Select a valid choice. inner is not one of the available choices." in \
        refused.content.decode()
    empty = as_admin.post("/connections/groups/new/", {"name": "g", "placement": "hash"})
    assert "This field is required." in empty.content.decode()
    assert not Connection.objects.filter(name="g").exists()


def test_an_admin_changes_a_groups_members_but_not_its_name(as_admin, buckets):
    Connection.objects.create(name="pair", kind="group", members=["east"])
    form = as_admin.get("/connections/groups/pair/edit/").content.decode()
    assert 'value="east" id="id_members_0" checked' in form and 'value="west" id="id_members_1">' in form
    as_admin.post("/connections/groups/pair/edit/", {"name": "renamed", "members": ["west", "east"],
                                                     "placement": "hash"})
    assert Connection.objects.get(name="pair").members == ["east", "west"]
    assert not Connection.objects.filter(name="renamed").exists()
    assert as_admin.get("/connections/groups/east/edit/").status_code == 404  # not a group


def test_only_admins_make_groups(as_editor, buckets):
    assert as_editor.get("/connections/groups/new/").status_code in (302, 403)
    as_editor.post("/connections/groups/new/", {"name": "g", "members": ["east"], "placement": "hash"})
    assert not Connection.objects.filter(name="g").exists()


def test_the_members_are_a_labelled_group_of_checkboxes_each_named_by_its_connection(as_admin, buckets):
    """A screen reader hears "Members, group" and then each connection's name with its checkbox."""
    import re

    form = as_admin.get("/connections/groups/new/").content.decode()
    fieldset = re.search(r"<fieldset[^>]*>\s*<legend>Members</legend>(.*?)</fieldset>", form, re.S)
    assert fieldset, "the members are a fieldset whose legend names them"
    for name in ("east", "west"):
        assert re.search(rf'<label class="choice" for="(id_members_\d)"><input type="checkbox" name="members" '
                         rf'value="{name}"[^>]*id="\1"[^>]*> {name}</label>', fieldset.group(1)), name
