"""Signed-in downloads, previews and looks at a file's page each leave one audit row (issue #15 item 6)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
import requests
from django.db import OperationalError

from console import audit
from console.models import AuditEvent
from storage.factory import get_gateway

pytestmark = pytest.mark.usefixtures("seaweed_connection")


@pytest.fixture
def stored(key_prefix) -> str:
    key = key_prefix + "reports/q1 résumé.txt"
    get_gateway().simple_upload("primary", key, b"0123456789" * 100)
    return key


def url(view: str, key: str) -> str:
    return f"/files/primary/{view}/?key={quote(key, safe='')}"


def reads() -> list[tuple[str, str, str, str]]:
    return list(AuditEvent.objects.filter(kind__startswith="object.").order_by("id").values_list(
        "kind", "actor_name", "connection", "target"))


def test_a_download_is_one_row_and_its_link_still_works(as_viewer, stored):
    response = as_viewer.get(url("download", stored))
    assert response.status_code == 302
    assert requests.get(response["Location"], timeout=15).content == b"0123456789" * 100
    assert reads() == [("object.downloaded", "viewer", "primary", stored)]


def test_byte_ranges_after_the_first_byte_continue_the_read_already_recorded(as_viewer, stored):
    for asked in ("bytes=0-", "bytes=500-", "bytes=100-199", "bytes=0-99"):
        assert as_viewer.get(url("preview", stored), HTTP_RANGE=asked).status_code == 302
    assert reads() == [("object.previewed", "viewer", "primary", stored)] * 2, "bytes=0- and bytes=0-99 only"
    assert list(AuditEvent.objects.order_by("id").values_list("repeats", flat=True)) == [2, 0]


def test_a_range_past_the_first_byte_with_no_read_before_it_is_a_read_of_its_own(as_viewer, stored):
    answer = as_viewer.get(url("download", stored), HTTP_RANGE="bytes=1-")  # the link it gets reads it all
    assert requests.get(answer["Location"], timeout=15).content == b"0123456789" * 100
    assert reads() == [("object.downloaded", "viewer", "primary", stored)]


def test_opening_a_files_page_is_recorded_with_its_preview(as_viewer, stored):
    assert as_viewer.get(url("object", stored)).status_code == 200
    assert reads() == [("object.viewed", "viewer", "primary", stored)]


def test_what_was_not_read_leaves_no_row(as_viewer, client, stored, key_prefix):
    assert as_viewer.get(url("download", key_prefix + "missing.txt")).status_code == 404
    assert client.get(url("download", stored)).status_code == 302, "anonymous: to the sign-in page"
    assert reads() == []


def test_a_download_that_cannot_be_recorded_is_not_handed_out(as_viewer, stored, monkeypatch):
    class SqliteBusy(Exception):
        sqlite_errorcode = 5

    def busy(*args, **kwargs):
        try:
            raise SqliteBusy("database is locked")
        except SqliteBusy as cause:
            raise OperationalError("database is locked") from cause

    monkeypatch.setattr(audit, "record", busy)
    response = as_viewer.get(url("download", stored))
    assert response.status_code == 503 and "Location" not in response and response["Retry-After"]


def test_the_audit_log_finds_who_read_a_folder(as_admin, as_viewer, stored, key_prefix):
    as_viewer.get(url("download", stored))
    get_gateway().simple_upload("primary", key_prefix + "other/x.txt", b"x")
    as_viewer.get(url("download", key_prefix + "other/x.txt"))
    page = as_admin.get(f"/audit/?connection=primary&folder={quote(key_prefix + 'reports')}").content.decode()
    assert "1 event match the filter" in page and "object.downloaded" in page and "other/x.txt" not in page
