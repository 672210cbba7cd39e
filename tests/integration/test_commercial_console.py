"""A console in the commercial edition, used entirely through the OSS Gateway Manager protocol.

The live server plays the manager (its /api/ossgateway/v1/ over its own connection to
SeaweedFS); the console under test runs with EDITION=commercial and reaches storage only
through OssGatewayClient calls to that manager.
"""

from __future__ import annotations

import hashlib
import os
import re

import pytest
import requests
from django.test import Client

from console.models import AuditEvent
from storage.factory import get_gateway
from storage.ossgateway.client import OssGatewayClient
from tests.integration import files_support as files
from tests.integration.ossgateway_support import start_api_server

pytestmark = pytest.mark.django_db(transaction=True)
MiB = 1024 * 1024


@pytest.fixture
def commercial(request, seaweedfs, settings, users):
    manager = start_api_server(request, seaweedfs)
    settings.EDITION = "commercial"
    settings.OSSGATEWAY_URL = manager.url
    settings.OSSGATEWAY_TOKEN = manager.token
    assert isinstance(get_gateway(), OssGatewayClient)
    client = Client()
    client.force_login(users["editor"])
    return client


def test_browse_upload_download_share_and_delete_through_the_protocol(commercial, key_prefix):
    client = commercial
    assert b"Gateway: <strong>OSS Gateway Manager client" in client.get("/").content

    small = files.upload_small(client, key_prefix, "docs/note é.txt", b"small note")
    data = os.urandom(12 * MiB)
    upload_id, big = files.start_multipart(client, key_prefix, "docs/big.bin", len(data))
    etags = [(n, files.put_part(client, upload_id, big, n, data[(n - 1) * 5 * MiB:n * 5 * MiB])) for n in (1, 2, 3)]
    assert [p["PartNumber"] for p in files.list_parts(client, upload_id, big)] == [1, 2, 3]
    assert files.complete(client, upload_id, big, etags).status_code == 200

    listing = client.get(f"/files/primary/?prefix={key_prefix}docs/").content.decode()
    assert "note é.txt" in listing and "big.bin" in listing

    redirect = client.get(files.url(files.with_key("download/", big)))
    assert redirect.status_code == 302
    assert hashlib.sha256(requests.get(redirect["Location"], timeout=30).content).digest() == \
        hashlib.sha256(data).digest()

    created = client.post("/shares/new/", {"connection": "primary", "key": small, "kind": "managed",
                                           "expires": "3600"})
    link = re.search(r'value="http://testserver(/s/[^"]+/)"', created.content.decode()).group(1)
    assert requests.get(Client().get(link + "download/")["Location"], timeout=10).content == b"small note"

    deleted = client.post(files.url("delete/"), {"key": small})
    assert deleted.status_code in (200, 302)
    remaining = [o.key for o in get_gateway().list_objects("primary", key_prefix + "docs/").objects]
    assert remaining == [big]
    assert AuditEvent.objects.filter(kind="upload.completed").count() == 2


def test_versions_metadata_and_tags_are_hidden_with_the_reason(commercial, key_prefix):
    """The protocol carries none of #17's object requests: each control is hidden, and the page says why."""
    client = commercial
    key = files.upload_small(client, key_prefix, "a.txt", b"a")
    page = client.get(files.url(files.with_key("object/", key))).content.decode()
    assert "Edit metadata and tags</a>" not in page and "cannot be edited with this edition" in page
    versions = client.get(files.url(files.with_key("versions/", key)), headers={"HX-Request": "true"}).content.decode()
    assert "Versions cannot be shown here: this edition cannot read a bucket" in versions
    assert "Show deleted files" not in client.get(f"/files/primary/?prefix={key_prefix}").content.decode()
    answer = files.post_json(client, "s3/multipart", {"prefix": key_prefix, "relativePath": "b.txt", "size": 1,
                                                      "cacheControl": "max-age=1"})
    assert answer.status_code == 501 and "Cache-Control" in answer.json()["error"]
