"""The service tokens page and the create_service_token command."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from console.models import AuditEvent
from storage.models import ServiceToken
from storage.service_tokens import hash_token
from tests.unit import api_fixtures

connection = api_fixtures.connection
other_connection = api_fixtures.other_connection

pytestmark = pytest.mark.django_db


def raw_token_in(html: str) -> str:
    marker = 'id="new-token" class="mono" type="text" readonly value="'
    start = html.index(marker) + len(marker)
    return html[start:html.index('"', start)]


def test_admins_create_a_token_shown_once_and_stored_hashed(as_admin, connection, other_connection):
    response = as_admin.post(reverse("token_create"), {"name": "reporting", "scope": "some",
                                                       "connections": ["archive"], "expires_days": "30"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw = raw_token_in(response.content.decode())
    record = ServiceToken.objects.get(token_hash=hash_token(raw))
    assert record.name == "reporting" and not record.all_connections
    assert [c.name for c in record.connections.all()] == ["archive"]
    assert record.expires_at - timezone.now() > dt.timedelta(days=29)
    listing = as_admin.get(reverse("token_list")).content.decode()
    assert "reporting" in listing and raw not in listing


def test_the_audit_log_names_the_token_but_never_holds_it(as_admin, connection):
    response = as_admin.post(reverse("token_create"), {"name": "ci", "scope": "all"})
    raw = raw_token_in(response.content.decode())
    event = AuditEvent.objects.get(kind="token.created")
    assert event.target == "ci" and event.detail["scope"] == "all"
    assert raw not in repr(event.detail) and raw[:20] not in repr(event.detail)


def test_a_scoped_token_needs_at_least_one_connection(as_admin, connection):
    response = as_admin.post(reverse("token_create"), {"name": "x", "scope": "some"})
    assert response.status_code == 200
    assert "Tick at least one connection" in response.content.decode()
    assert not ServiceToken.objects.exists()


def test_revoking_is_a_post_and_is_audited(as_admin, connection):
    call_command("create_service_token", "old", stdout=io.StringIO(), stderr=io.StringIO())
    token = ServiceToken.objects.get()
    url = reverse("token_revoke", args=[token.pk])
    assert as_admin.get(url).status_code == 405
    response = as_admin.post(url, follow=True)
    assert "is revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.is_revoked
    assert AuditEvent.objects.filter(kind="token.revoked", target="old").exists()


@pytest.mark.parametrize("person", ["as_editor", "as_viewer", "as_outsider"])
def test_only_admins_reach_the_page(request, person, connection):
    client = request.getfixturevalue(person)
    assert client.get(reverse("token_list")).status_code == 403
    assert client.post(reverse("token_create"), {"name": "x", "scope": "all"}).status_code == 403
    assert not ServiceToken.objects.exists()


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(reverse("token_list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_page_carries_no_inline_script(as_admin, connection):
    html = as_admin.get(reverse("token_list")).content.decode()
    assert "<script>" not in html and " onclick=" not in html and " onsubmit=" not in html


def test_the_command_prints_the_token_once(connection, other_connection):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_service_token", "batch", "--connections", "primary,archive", "--expires-days", "7",
                 stdout=out, stderr=err)
    raw = out.getvalue().strip()
    record = ServiceToken.objects.get(token_hash=hash_token(raw))
    assert sorted(c.name for c in record.connections.all()) == ["archive", "primary"]
    assert record.expires_at is not None
    assert "not shown again" in err.getvalue() and raw not in err.getvalue()


def test_the_command_refuses_unknown_connections(connection):
    with pytest.raises(CommandError, match="nope"):
        call_command("create_service_token", "x", "--connections", "primary,nope", stdout=io.StringIO())
    assert not ServiceToken.objects.exists()


def test_a_token_limited_to_a_folder_and_to_reading_says_so_everywhere(as_admin, connection):
    response = as_admin.post(reverse("token_create"), {"name": "reports", "scope": "some", "connections": ["primary"],
                                                       "prefix": "/team/q1", "access": "read-only"})
    record = ServiceToken.objects.get(token_hash=hash_token(raw_token_in(response.content.decode())))
    assert (record.prefix, record.read_only) == ("team/q1/", True), "typed as /team/q1, kept as a folder"
    assert "folder <code>team/q1/</code> only" in response.content.decode()
    listing = as_admin.get(reverse("token_list")).content.decode()
    assert "folder <code>team/q1/</code> only" in listing and "read-only</span>" in listing
    event = AuditEvent.objects.get(kind="token.created")
    assert event.detail["prefix"] == "team/q1/" and event.detail["read_only"] is True


def test_a_folder_on_every_connection_is_refused_with_the_reason(as_admin, connection):
    """A folder names a place in one bucket; on every connection it would reach that folder in buckets added later."""
    response = as_admin.post(reverse("token_create"), {"name": "team", "scope": "all", "prefix": "team/"})
    assert "name the connections it is on" in response.content.decode()
    with pytest.raises(CommandError, match="name the connections it is on"):
        call_command("create_service_token", "team", "--prefix", "team/", stdout=io.StringIO())
    assert not ServiceToken.objects.exists()


def test_a_folder_token_made_on_every_connection_before_says_so_in_the_list(as_admin, connection):
    ServiceToken.objects.create(name="old", token_hash="0" * 64, hint="osc_old", prefix="team/")
    listing = as_admin.get(reverse("token_list")).content.decode()
    assert "folder <code>team/</code> only, on every connection, including any added later" in listing


def test_a_token_without_a_folder_or_access_chosen_reads_and_writes_everything(as_admin, connection):
    as_admin.post(reverse("token_create"), {"name": "all", "scope": "all"})
    record = ServiceToken.objects.get()
    assert (record.prefix, record.read_only) == ("", False)


def test_a_folder_that_cannot_be_one_is_refused_next_to_its_field(as_admin, connection):
    response = as_admin.post(reverse("token_create"), {"name": "x", "scope": "all", "prefix": "team/../other"})
    assert "This cannot be a folder" in response.content.decode() and "path segment" in response.content.decode()
    assert not ServiceToken.objects.exists()


def test_the_command_makes_folder_and_read_only_tokens(connection):
    out = io.StringIO()
    call_command("create_service_token", "ro", "--connections", "primary", "--prefix", "team/", "--read-only",
                 stdout=out, stderr=io.StringIO())
    record = ServiceToken.objects.get(token_hash=hash_token(out.getvalue().strip()))
    assert (record.prefix, record.read_only) == ("team/", True)
    with pytest.raises(CommandError, match="folder"):
        call_command("create_service_token", "bad", "--prefix", "team", stdout=io.StringIO())
