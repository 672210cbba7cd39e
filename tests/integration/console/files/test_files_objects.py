"""One file's page, download, delete (one, several, a folder), new folder, rename; all audited."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
import requests

from console.jobs.models import Job
from console.jobs.worker import run_pending_jobs
from console.models import AuditEvent
from storage.factory import get_gateway
from storage.gateway import ObjectNotFound
from tests.integration.files_support import url

pytestmark = pytest.mark.usefixtures("seaweed_connection")


def put(key: str, data: bytes = b"x", content_type: str | None = None) -> None:
    get_gateway().simple_upload("primary", key, data, content_type=content_type)


def exists(key: str) -> bool:
    try:
        get_gateway().get_object_meta("primary", key)
    except ObjectNotFound:
        return False
    return True


def test_the_object_page_shows_metadata_and_a_preview(as_viewer, key_prefix):
    put(key_prefix + "cat.png", b"\x89PNG....", "image/png")
    html = as_viewer.get(url(f"object/?key={key_prefix}cat.png")).content.decode()
    for text in ("Metadata", "image/png", "ETag", "Storage class", "STANDARD", "8\xa0bytes"):
        assert text in html
    assert '<img src="http://127.0.0.1:' in html and "X-Amz-Signature" in html




def test_a_missing_object_page_is_a_404(as_viewer, key_prefix):
    assert as_viewer.get(url(f"object/?key={key_prefix}nothing.txt")).status_code == 404


def test_download_redirects_to_a_short_lived_attachment_with_a_utf8_name(as_viewer, key_prefix):
    put(key_prefix + "rapport été 📈.pdf", b"%PDF-1.4 data")
    answer = as_viewer.get(url(f"download/?key={key_prefix}rapport été 📈.pdf"))
    assert answer.status_code == 302
    location = answer["Location"]
    assert int(location.split("X-Amz-Expires=")[1].split("&")[0]) <= 900
    got = requests.get(location, timeout=10)
    assert got.content == b"%PDF-1.4 data"
    disposition = got.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "rapport été 📈.pdf"


def test_download_of_a_missing_file_is_a_404_page(as_viewer, key_prefix):
    answer = as_viewer.get(url(f"download/?key={key_prefix}gone.txt"))
    assert answer.status_code == 404 and b"There is no object" in answer.content


def test_deleting_one_file_asks_first_then_deletes_and_audits(as_editor, key_prefix):
    put(key_prefix + "doomed.txt")
    confirm = as_editor.get(url(f"delete/?key={key_prefix}doomed.txt"))
    assert b"Delete doomed.txt?" in confirm.content and b'method="post"' in confirm.content
    assert exists(key_prefix + "doomed.txt")
    done = as_editor.post(url("delete/"), {"key": key_prefix + "doomed.txt"})
    assert done.status_code == 302 and f"prefix={key_prefix[:-1]}" in unquote(done["Location"])
    assert not exists(key_prefix + "doomed.txt")
    assert AuditEvent.objects.filter(kind="object.deleted", target=key_prefix + "doomed.txt").exists()


def test_deleting_one_file_on_a_busy_storage_says_so_and_records_nothing(as_editor, key_prefix, monkeypatch):
    """A storage that answers 503 SlowDown: the confirmation again, with the cause in words; no audit entry."""
    from botocore.exceptions import ClientError

    from storage.s3.gateway import S3Gateway

    put(key_prefix + "kept.txt")
    real_client = S3Gateway._client

    def busy_client(self, spec, *, internal=True):
        client = real_client(self, spec, internal=internal)

        def slow_down(**params):
            raise ClientError({"Error": {"Code": "SlowDown", "Message": "Please reduce your request rate."},
                               "ResponseMetadata": {"HTTPStatusCode": 503}}, "DeleteObject")

        monkeypatch.setattr(client, "delete_object", slow_down)
        return client

    monkeypatch.setattr(S3Gateway, "_client", busy_client)
    answer = as_editor.post(url("delete/"), {"key": key_prefix + "kept.txt"})
    html = answer.content.decode().replace("&#x27;", "'")
    assert answer.status_code == 503 and "Delete kept.txt?" in html
    assert f"The storage failed for '{key_prefix}kept.txt' on 'primary' (503 SlowDown)." in html
    monkeypatch.undo()
    assert exists(key_prefix + "kept.txt") and not AuditEvent.objects.filter(kind="object.deleted").exists()


def test_deleting_a_folder_says_how_many_objects_it_holds(transactional_db, as_editor, key_prefix):
    for name in ("a.txt", "sub/b.txt", "sub/deeper/c.txt"):
        put(key_prefix + "box/" + name)
    put(key_prefix + "keep.txt")
    confirm = as_editor.get(url(f"delete-folder/?prefix={key_prefix}box/")).content.decode()
    assert "It holds <strong>3 files</strong>" in confirm
    answer = as_editor.post(url("delete-folder/"), {"prefix": key_prefix + "box/", "count": "3"})
    job = Job.objects.get()
    assert unquote(answer["Location"]) == f"/files/primary/?prefix={key_prefix}" and job.objects_total == 3
    assert run_pending_jobs() == 1
    page = get_gateway().list_objects("primary", key_prefix, delimiter="")
    assert [o.key for o in page.objects] == [key_prefix + "keep.txt"]
    assert AuditEvent.objects.get(kind="job.started").target == key_prefix + "box/"
    assert AuditEvent.objects.get(kind="job.finished").detail["objects"] == 3
    status = as_editor.get(f"/jobs/{job.pk}/").content.decode()
    assert 'data-state="done"' in status and "3 of 3 objects" in status


def folder_rows(client, prefix: str) -> list[str]:
    """The folders the listing page shows in `prefix` (their names, as a person sees them)."""
    html = client.get(url(f"?prefix={prefix}")).content.decode()
    return re.findall(r'data-kind="folder" data-name="([^"]*)"', html)


def test_a_deleted_folder_is_gone_from_the_listing_with_its_empty_subfolders(transactional_db, as_editor, key_prefix):
    """Issue #11 item 11: SeaweedFS keeps a folder's directory entries after its objects are deleted."""
    for name in ("a.txt", "sub/b.txt", "sub/deeper/c.txt"):
        put(key_prefix + "box/" + name)
    as_editor.post(url("new-folder/"), {"prefix": key_prefix + "box/", "name": "empty"})
    as_editor.post(url("new-folder/"), {"prefix": key_prefix + "box/empty/", "name": "inner"})
    put(key_prefix + "keep.txt")
    assert folder_rows(as_editor, key_prefix) == ["box"]
    answer = as_editor.post(url("delete-folder/"), {"prefix": key_prefix + "box/"})
    assert answer.status_code == 302
    run_pending_jobs()
    parent = get_gateway().list_objects("primary", key_prefix)
    assert parent.folders == [] and [o.key for o in parent.objects] == [key_prefix + "keep.txt"]
    assert folder_rows(as_editor, key_prefix) == []
    inside = get_gateway().list_objects("primary", key_prefix + "box/")
    assert (inside.folders, inside.objects) == ([], [])
    assert "This folder is empty." in as_editor.get(url(f"?prefix={key_prefix}box/")).content.decode()
    assert AuditEvent.objects.get(kind="job.finished").detail["objects"] == 3


def test_a_folder_holding_only_empty_subfolders_can_be_deleted(transactional_db, as_editor, key_prefix):
    as_editor.post(url("new-folder/"), {"prefix": key_prefix, "name": "hollow"})
    for name in ("one", "two"):
        as_editor.post(url("new-folder/"), {"prefix": key_prefix + "hollow/", "name": name})
    as_editor.post(url("new-folder/"), {"prefix": key_prefix + "hollow/two/", "name": "three"})
    assert folder_rows(as_editor, key_prefix) == ["hollow"]
    as_editor.post(url("delete-folder/"), {"prefix": key_prefix + "hollow/"})
    run_pending_jobs()
    assert folder_rows(as_editor, key_prefix) == []
    inside = get_gateway().list_objects("primary", key_prefix + "hollow/")
    assert (inside.folders, inside.objects) == ([], [])


def test_a_new_folder_is_a_zero_byte_marker(as_editor, key_prefix):
    answer = as_editor.post(url("new-folder/"), {"prefix": key_prefix, "name": "Reports 2026"})
    assert answer.status_code == 302
    assert get_gateway().get_object_meta("primary", key_prefix + "Reports 2026/").size == 0
    listing = as_editor.get(url(f"?prefix={key_prefix}")).content.decode()
    assert "Reports 2026/" in listing


def test_a_bad_folder_name_is_explained_in_the_form(as_editor, key_prefix):
    answer = as_editor.post(url("new-folder/"), {"prefix": key_prefix, "name": ".."})
    assert answer.status_code == 200 and b"must not contain a &#x27;..&#x27; path segment" in answer.content


def test_viewers_cannot_change_anything(as_viewer, key_prefix):
    put(key_prefix + "safe.txt")
    assert as_viewer.get(url(f"delete/?key={key_prefix}safe.txt")).status_code == 403
    assert as_viewer.post(url("delete/"), {"key": key_prefix + "safe.txt"}).status_code == 403
    assert as_viewer.post(url("delete-folder/"), {"prefix": key_prefix}).status_code == 403
    assert as_viewer.post(url("new-folder/"), {"prefix": key_prefix, "name": "x"}).status_code == 403
    assert as_viewer.post(url("rename/"), {"key": key_prefix + "safe.txt", "new_key": "y"}).status_code == 403
    assert exists(key_prefix + "safe.txt")
