"""Issuing, finding and revoking S3 access keys (console.s3api.keys)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection as db_connection
from django.utils import timezone

from console.s3api import keys
from console.s3api.models import AccessKey
from tests.unit import api_fixtures

connection = api_fixtures.connection
other_connection = api_fixtures.other_connection

pytestmark = pytest.mark.django_db


def test_it_issues_an_aws_shaped_id_and_a_40_character_secret(users):
    issued = keys.issue_key("laptop", owner=users["editor"], created_by=users["editor"])
    assert re.fullmatch(r"OSC[A-Z0-9]{17}", issued.access_key_id)
    assert re.fullmatch(r"[A-Za-z0-9_-]{40}", issued.secret)
    assert keys.find_key(issued.access_key_id).secret == issued.secret
    assert issued.secret not in repr(issued) and issued.secret not in repr(issued.record)


def test_the_secret_is_stored_encrypted(users):
    issued = keys.issue_key("laptop", owner=users["editor"])
    with db_connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM s3api_accesskey WHERE id = %s", [issued.record.pk])
        stored = cursor.fetchone()[0]
    assert issued.secret not in stored


def test_a_folder_needs_connections_and_is_a_folder(connection):
    with pytest.raises(ValueError, match="name the connections"):
        keys.issue_key("k", prefix="team/")
    with pytest.raises(ValueError, match="ends with '/'"):
        keys.issue_key("k", connections=[connection], prefix="team")
    with pytest.raises(ValueError):
        keys.issue_key("k", connections=[connection], prefix="team/../x/")
    issued = keys.issue_key("k", connections=[connection], prefix="team/")
    assert issued.record.prefix == "team/" and not issued.record.all_connections


def test_a_lifetime_is_at_least_a_day_and_a_name_is_needed():
    with pytest.raises(ValueError, match="at least one day"):
        keys.issue_key("k", expires_days=0)
    with pytest.raises(ValueError, match="needs a name"):
        keys.issue_key("  ")
    issued = keys.issue_key("k", expires_days=7)
    assert dt.timedelta(days=6) < issued.record.expires_at - timezone.now() <= dt.timedelta(days=7)


def test_a_person_cannot_name_a_connection_they_hold_no_role_on(users, connection):
    with pytest.raises(ValueError, match="no role"):
        keys.issue_key("k", owner=users["outsider"], connections=[connection])
    keys.issue_key("k", owner=users["viewer"], connections=[connection])


def test_a_person_holds_at_most_twenty_working_keys(users):
    for n in range(keys.MAX_LIVE_KEYS_PER_PERSON):
        keys.issue_key(f"k{n}", owner=users["editor"])
    with pytest.raises(ValueError, match="revoke one first"):
        keys.issue_key("one more", owner=users["editor"])
    keys.revoke(AccessKey.objects.filter(owner=users["editor"]).first())
    keys.issue_key("one more", owner=users["editor"])
    keys.issue_key("service keys are not counted")


def test_revoking_twice_says_so_and_use_is_noted_once_a_minute(users):
    record = keys.issue_key("k", owner=users["editor"]).record
    keys.note_use(record)
    first = AccessKey.objects.get(pk=record.pk).last_used_at
    assert first is not None
    keys.note_use(record)
    assert AccessKey.objects.get(pk=record.pk).last_used_at == first
    assert keys.revoke(record) is True and keys.revoke(record) is False


def test_an_unknown_or_absurd_id_finds_nothing():
    assert keys.find_key("OSCNOSUCHKEY00000000") is None
    assert keys.find_key("x" * 200) is None
    assert keys.find_key("") is None
