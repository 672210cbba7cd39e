"""Found by the s29 attack pass: a member's upload cap must hold through its group, in the console and the API.

The console checks the cap of the connection in the URL (the group's, unset) and signs a PUT on the member
the key is placed on, whose own "Largest upload" the admin set; nothing on the way checks the member's cap.
"""

from __future__ import annotations

import json

import pytest

from tests.unit.admin_support import make_connection, moto_s3  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(users, moto_s3):  # noqa: F811
    from django.test import Client

    from storage.models import Connection

    make_connection("east", max_upload_size=10)
    make_connection("west", max_upload_size=10)
    Connection.objects.create(name="both", kind="group", members=["east", "west"])
    client = Client()
    client.force_login(users["editor"])
    return client


def test_a_file_larger_than_every_member_accepts_is_refused_through_their_group(editor):
    for connection in ("east", "both"):
        answer = editor.post(f"/files/{connection}/s3/params", data=json.dumps(
            {"filename": "big.bin", "size": 1000, "type": "application/octet-stream"}), content_type="application/json")
        assert answer.status_code == 413, (connection, answer.status_code, answer.content[:200])


def test_the_protocol_holds_an_upload_through_a_group_to_the_groups_own_cap(client, moto_s3):  # noqa: F811
    """The console refuses what the group's cap refuses; the OSS Gateway Manager API checks only the member's."""
    from storage.models import Connection
    from storage.service_tokens import issue_token

    make_connection("east")
    make_connection("west")
    Connection.objects.create(name="both", kind="group", members=["east", "west"], max_upload_size=10)
    bearer = {"Authorization": f"Bearer {issue_token('caps').raw}"}
    answer = client.get("/api/ossgateway/v1/upload/both/big.bin?request_method=PUT&size=1000", headers=bearer)
    assert answer.status_code == 400, answer.content[:300]
