"""The incomplete-uploads page: what is in progress, abort one, abort the old ones."""

from __future__ import annotations

import os

import pytest

from console.models import AuditEvent
from storage.factory import get_gateway
from tests.integration.files_support import put_part, start_multipart, url

pytestmark = pytest.mark.usefixtures("seaweed_connection")
MiB = 1024 * 1024


@pytest.fixture(autouse=True)
def no_leftovers(seaweed_connection):
    """The bucket is shared: start and end without uploads in progress."""
    gateway = get_gateway()

    def clean():
        for upload in gateway.list_multipart_uploads("primary"):
            gateway.abort_multipart_upload("primary", upload.key, upload.upload_id)

    clean()
    yield
    clean()


def test_it_lists_uploads_in_progress_with_their_parts(as_viewer, as_editor, key_prefix):
    upload_id, key = start_multipart(as_editor, key_prefix, "slow.bin", 20 * MiB)
    put_part(as_editor, upload_id, key, 1, os.urandom(5 * MiB))
    put_part(as_editor, upload_id, key, 2, os.urandom(5 * MiB))
    html = as_viewer.get(url("incomplete/")).content.decode()
    assert key in html and "2 (10.0\xa0MB)" in html
    assert "Abort" not in html  # viewers look, editors act


def test_an_editor_aborts_one_upload(as_editor, key_prefix):
    upload_id, key = start_multipart(as_editor, key_prefix, "one.bin", 20 * MiB)
    keep_id, keep = start_multipart(as_editor, key_prefix, "two.bin", 20 * MiB)
    answer = as_editor.post(url("incomplete/abort/"), {"key": key, "upload_id": upload_id})
    assert answer.status_code == 302
    assert [u.upload_id for u in get_gateway().list_multipart_uploads("primary", key_prefix)] == [keep_id]
    assert AuditEvent.objects.filter(kind="upload.aborted", target=key).exists()


def test_abort_old_keeps_recent_uploads_and_zero_days_aborts_all(as_editor, key_prefix):
    start_multipart(as_editor, key_prefix, "recent.bin", 20 * MiB)
    as_editor.post(url("incomplete/abort-old/"), {"days": "1"})
    assert len(get_gateway().list_multipart_uploads("primary", key_prefix)) == 1
    as_editor.post(url("incomplete/abort-old/"), {"days": "0"})
    assert get_gateway().list_multipart_uploads("primary", key_prefix) == []
    counts = [e.detail["count"] for e in AuditEvent.objects.filter(kind="uploads.aborted").order_by("id")]
    assert counts == [0, 1]


def test_viewers_cannot_abort(as_viewer):
    assert as_viewer.post(url("incomplete/abort-old/"), {"days": "0"}).status_code == 403
