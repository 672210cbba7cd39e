"""The pages that issue S3 access keys: Your settings (a person's own) and beside service tokens (services')."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from console.models import AuditEvent
from console.s3api.models import AccessKey
from tests.unit import api_fixtures

connection = api_fixtures.connection
other_connection = api_fixtures.other_connection

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def secret_in(html: str) -> str:
    return re.search(r'id="new-key-secret" class="mono" type="text" readonly value="([^"]+)"', html).group(1)


def test_a_person_issues_a_key_sees_the_secret_once_and_the_list_never_shows_it(users, connection):
    editor = signed_in(users["editor"])
    response = editor.post(reverse("s3key_create"), {"name": "laptop", "scope": "all", "access": "read-write"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    html = response.content.decode()
    secret = secret_in(html)
    record = AccessKey.objects.get(owner=users["editor"])
    assert record.secret == secret and record.access_key_id in html
    assert "endpoint_url = http://testserver/s3" in html and "addressing_style = path" in html
    settings_page = editor.get(reverse("your_settings")).content.decode()
    assert "laptop" in settings_page and record.access_key_id in settings_page and secret not in settings_page


def test_issuing_and_revoking_are_audited_without_the_secret(users, connection):
    editor = signed_in(users["editor"])
    secret = secret_in(editor.post(reverse("s3key_create"), {"name": "ci", "scope": "some",
                                                           "connections": ["primary"], "prefix": "team/",
                                                           "access": "read-only"}).content.decode())
    record = AccessKey.objects.get(owner=users["editor"])
    assert record.prefix == "team/" and record.read_only and not record.all_connections
    confirm = editor.get(reverse("s3key_revoke", args=[record.pk]))
    assert "Revoke the access key" in confirm.content.decode()
    assert AccessKey.objects.get(pk=record.pk).revoked_at is None  # asking is not revoking
    editor.post(reverse("s3key_revoke", args=[record.pk]))
    assert AccessKey.objects.get(pk=record.pk).is_revoked
    issued, revoked = AuditEvent.objects.get(kind="s3key.issued"), AuditEvent.objects.get(kind="s3key.revoked")
    assert issued.detail["key_id"] == record.access_key_id and issued.detail["scope"] == "primary"
    assert revoked.actor == users["editor"]
    assert secret not in repr(issued.detail) + repr(revoked.detail)


def test_a_person_cannot_revoke_someone_elses_key(users, connection):
    from console.s3api.keys import issue_key

    record = issue_key("theirs", owner=users["viewer"]).record
    response = signed_in(users["editor"]).post(reverse("s3key_revoke", args=[record.pk]))
    assert response.status_code == 404 and not AccessKey.objects.get(pk=record.pk).is_revoked


def test_a_person_is_offered_only_the_connections_they_hold_a_role_on(users, connection, other_connection):
    from tests.unit.access_world import grant

    grant(users["outsider"], "viewer", "team/", connection="archive")
    page = signed_in(users["outsider"]).get(reverse("s3key_create")).content.decode()
    assert 'value="archive"' in page and 'value="primary"' not in page
    response = signed_in(users["outsider"]).post(reverse("s3key_create"), {
        "name": "x", "scope": "some", "connections": ["primary"], "access": "read-write"})
    assert response.status_code == 200 and not AccessKey.objects.exists()


def test_a_person_without_a_role_has_no_keys_section(users, connection):
    outsider = signed_in(users["outsider"])
    assert "s3-keys" not in outsider.get(reverse("your_settings")).content.decode()
    assert outsider.get(reverse("s3key_create")).status_code == 403


def test_a_folder_without_connections_is_refused_with_a_reason(users, connection):
    response = signed_in(users["editor"]).post(reverse("s3key_create"), {
        "name": "x", "scope": "all", "prefix": "team/", "access": "read-write"})
    assert "name the connections" in response.content.decode() and not AccessKey.objects.exists()


def test_admins_issue_and_revoke_service_keys(as_admin, users, connection):
    assert "S3 access keys for services" in as_admin.get(reverse("token_list")).content.decode()
    response = as_admin.post(reverse("s3key_service_create"), {"name": "backup", "scope": "all",
                                                               "access": "read-write"})
    secret = secret_in(response.content.decode())
    record = AccessKey.objects.get(name="backup")
    assert record.owner is None and record.created_by == users["admin"]
    listing = as_admin.get(reverse("s3key_service_list")).content.decode()
    assert record.access_key_id in listing and secret not in listing
    as_admin.post(reverse("s3key_service_revoke", args=[record.pk]))
    assert AccessKey.objects.get(pk=record.pk).is_revoked


def test_service_keys_are_for_admins_only(users, connection):
    editor = signed_in(users["editor"])
    assert editor.get(reverse("s3key_service_list")).status_code == 403
    assert editor.post(reverse("s3key_service_create"), {"name": "x", "scope": "all"}).status_code == 403
