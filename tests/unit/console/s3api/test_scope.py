"""What an access key may reach (console.s3api.scope): a person's grants narrowed by the key; a service's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from console.s3api import keys
from console.s3api.errors import S3Error
from console.s3api.models import AccessKey
from console.s3api.scope import DELETE, READ, WRITE, principal_for
from tests.unit import api_fixtures
from tests.unit.access_world import grant

connection = api_fixtures.connection
other_connection = api_fixtures.other_connection

pytestmark = pytest.mark.django_db


def code_of(call) -> str | None:
    try:
        call()
    except S3Error as e:
        return e.code
    return None


def fresh(record: AccessKey):
    """The principal as a request would build it: the key and its owner read anew."""
    return principal_for(AccessKey.objects.select_related("owner").get(pk=record.pk))


@pytest.fixture
def teammate(db, connection, other_connection):
    """An editor of primary:team/ and a viewer of primary:docs/; nothing on archive."""
    person = User.objects.create_user("teammate")
    grant(person, "editor", "team/")
    grant(person, "viewer", "docs/")
    return person


def test_a_persons_key_carries_their_grants_on_a_folder(teammate):
    p = fresh(keys.issue_key("k", owner=teammate).record)
    assert p.buckets() == ["primary"]
    p.require_bucket("primary")
    for action in (READ, WRITE, DELETE):
        assert code_of(lambda a=action: p.require("primary", "team/a.txt", a)) is None
    assert code_of(lambda: p.require("primary", "team2/a.txt", READ)) == "AccessDenied"
    assert code_of(lambda: p.require("primary", "team/../x", READ)) == "AccessDenied"
    assert code_of(lambda: p.require("primary", "top.txt", READ)) == "AccessDenied"


def test_a_viewer_reads_and_an_editor_also_writes_and_deletes(users, teammate):
    viewer = fresh(keys.issue_key("v", owner=users["viewer"]).record)
    editor = fresh(keys.issue_key("e", owner=users["editor"]).record)
    assert code_of(lambda: viewer.require("primary", "a.txt", READ)) is None
    assert code_of(lambda: viewer.require("primary", "a.txt", WRITE)) == "AccessDenied"
    assert code_of(lambda: viewer.require("primary", "a.txt", DELETE)) == "AccessDenied"
    assert code_of(lambda: editor.require("primary", "a.txt", DELETE)) is None
    mixed = fresh(keys.issue_key("m", owner=teammate).record)
    assert code_of(lambda: mixed.require("primary", "docs/a.txt", READ)) is None
    assert code_of(lambda: mixed.require("primary", "docs/a.txt", WRITE)) == "AccessDenied"


def test_a_key_narrows_its_owners_reach(users, connection, other_connection):
    record = keys.issue_key("k", owner=users["editor"], connections=[connection], prefix="team/",
                            read_only=True).record
    p = fresh(record)
    assert p.buckets() == ["primary"]
    assert code_of(lambda: p.require_bucket("archive")) == "NoSuchBucket"
    assert code_of(lambda: p.require("primary", "team/a.txt", READ)) is None
    assert code_of(lambda: p.require("primary", "team/a.txt", WRITE)) == "AccessDenied"
    assert code_of(lambda: p.require("primary", "other/a.txt", READ)) == "AccessDenied"


def test_a_key_never_widens_its_owners_reach(teammate, connection):
    """A folder on the key that the owner holds nothing in leaves the bucket out of sight altogether."""
    p = fresh(keys.issue_key("k", owner=teammate, connections=[connection], prefix="elsewhere/").record)
    assert p.buckets() == []
    assert code_of(lambda: p.require_bucket("primary")) == "NoSuchBucket"
    wide = fresh(keys.issue_key("w", owner=teammate, connections=[connection], prefix="team/sub/").record)
    assert code_of(lambda: wide.require("primary", "team/sub/x", WRITE)) is None
    assert code_of(lambda: wide.require("primary", "team/x", READ)) == "AccessDenied"


def test_losing_a_grant_takes_effect_on_the_next_request(teammate):
    from console.access.models import Grant

    record = keys.issue_key("k", owner=teammate).record
    Grant.objects.filter(user=teammate).delete()
    assert code_of(lambda: fresh(record).require_bucket("primary")) == "NoSuchBucket"


def test_revoked_and_expired_keys_reach_nothing(users):
    revoked = keys.issue_key("r", owner=users["editor"]).record
    keys.revoke(revoked)
    expired = keys.issue_key("x", owner=users["editor"], expires_days=1).record
    AccessKey.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert code_of(lambda: fresh(revoked)) == "AccessDenied"
    assert code_of(lambda: fresh(expired)) == "AccessDenied"


def test_a_deactivated_owners_keys_are_refused_and_a_removed_owners_are_gone(users, connection):
    record = keys.issue_key("k", owner=users["editor"]).record
    users["editor"].is_active = False
    users["editor"].save()
    assert code_of(lambda: fresh(record)) == "AccessDenied"
    gone = keys.issue_key("g", owner=users["viewer"]).record
    users["viewer"].delete()
    assert keys.find_key(gone.access_key_id) is None


def test_a_service_key_has_its_own_scope_only(connection, other_connection):
    p = fresh(keys.issue_key("svc", connections=[other_connection], prefix="in/", read_only=True).record)
    assert p.buckets() == ["archive"]
    assert code_of(lambda: p.require_bucket("primary")) == "NoSuchBucket"
    assert code_of(lambda: p.require("archive", "in/a", READ)) is None
    assert code_of(lambda: p.require("archive", "in/a", WRITE)) == "AccessDenied"
    assert code_of(lambda: p.require("archive", "out/a", READ)) == "AccessDenied"
    everything = fresh(keys.issue_key("all").record)
    assert everything.buckets() == ["archive", "primary"]
    assert code_of(lambda: everything.require("primary", "any/where", DELETE)) is None


def test_no_such_bucket_is_the_same_for_absent_and_not_yours(users, connection, other_connection):
    p = fresh(keys.issue_key("k", owner=users["editor"], connections=[connection]).record)
    absent, hidden = (code_of(lambda b=b: p.require_bucket(b)) for b in ("nope", "archive"))
    assert absent == hidden == "NoSuchBucket"
    outsider = fresh(keys.issue_key("o", owner=users["outsider"]).record)
    assert outsider.buckets() == []
    assert code_of(lambda: outsider.require_bucket("primary")) == "NoSuchBucket"


def test_a_disabled_connection_is_no_bucket(users, connection, other_connection):
    other_connection.enabled = False
    other_connection.save()
    p = fresh(keys.issue_key("k", owner=users["admin"]).record)
    assert p.buckets() == ["primary"]
    assert code_of(lambda: p.require_bucket("archive")) == "NoSuchBucket"


def test_listing_above_the_folder_shows_only_the_way_down(teammate, connection):
    p = fresh(keys.issue_key("k", owner=teammate).record)
    assert p.listing("primary", "", "/") == ["docs/", "team/"]
    assert p.listing("primary", "team/", "/") == "team/"
    assert p.listing("primary", "team/sub/", "") == "team/sub/"
    assert p.listing("primary", "te", "/") == ["team/"]
    assert code_of(lambda: p.listing("primary", "zzz/", "/")) == "AccessDenied"
    service = fresh(keys.issue_key("s", connections=[connection], prefix="a/b/").record)
    assert service.listing("primary", "", "/") == ["a/"]
    assert service.listing("primary", "a/", "") == "a/b/"
    assert service.listing("primary", "a/b/c", "/") == "a/b/c"
    assert code_of(lambda: service.listing("primary", "x/", "/")) == "AccessDenied"


def test_listing_meets_both_the_key_folder_and_the_owners_grants(teammate, connection):
    p = fresh(keys.issue_key("k", owner=teammate, connections=[connection], prefix="team/").record)
    assert p.listing("primary", "", "/") == ["team/"]
    assert code_of(lambda: p.listing("primary", "docs/", "/")) == "AccessDenied"


def test_the_label_names_the_key_and_its_owner(users):
    record = keys.issue_key("k", owner=users["editor"]).record
    assert fresh(record).label == f"access key {record.access_key_id} of editor"
    assert "(service)" in fresh(keys.issue_key("s").record).label


def test_a_request_notes_when_the_key_was_last_used(users):
    record = keys.issue_key("k", owner=users["editor"]).record
    assert record.last_used_at is None
    fresh(record)
    assert AccessKey.objects.get(pk=record.pk).last_used_at is not None
