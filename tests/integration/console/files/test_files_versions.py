"""Versions, deleted files, metadata and tags through the file pages, against a real SeaweedFS (#17)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.contrib.auth.models import User

from console.access.models import Grant
from console.models import AuditEvent
from storage.factory import get_gateway
from tests.conftest import _client_for, add_connection
from tests.integration.versions_support import versioned_bucket

CONN = "versioned"


@pytest.fixture(scope="module")
def spec(seaweedfs):
    return versioned_bucket(seaweedfs, name=CONN)


@pytest.fixture
def gateway(db, spec):
    add_connection(spec)
    return get_gateway()


def gateway_record():
    from storage.models import Connection

    return Connection.objects.get(name=CONN)


def page(client, path: str, key: str, **params) -> str:
    extra = "".join(f"&{k}={quote(v, safe='')}" for k, v in params.items())
    response = client.get(f"/files/{CONN}/{path}?key={quote(key, safe='')}{extra}")
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _read(gateway, key: str) -> bytes:
    with gateway.open_object(CONN, key) as stream:
        return stream.read()


def test_the_object_page_lists_versions_and_an_editor_restores_one(as_editor, gateway, key_prefix):
    key = key_prefix + "notes.txt"
    gateway.simple_upload(CONN, key, b"draft one")
    gateway.simple_upload(CONN, key, b"draft two")
    older = gateway.list_object_versions(CONN, key)[1]

    shown = page(as_editor, "versions/", key)
    assert shown.count("<tr") == 3 and "latest" in shown and older.version_id in shown
    assert "Restore as latest" in shown and "Delete for good" not in shown  # an editor's page

    answer = as_editor.post(f"/files/{CONN}/versions/restore/", {"key": key, "version": older.version_id})
    assert answer.status_code == 302
    assert _read(gateway, key) == b"draft one"
    event = AuditEvent.objects.get(kind="object.version_restored")
    assert (event.target, event.detail["version"]) == (key, older.version_id)


def test_a_version_downloads_from_a_signed_link_of_its_own(as_viewer, gateway, key_prefix):
    import requests

    key = key_prefix + "old.txt"
    gateway.simple_upload(CONN, key, b"the old words")
    gateway.simple_upload(CONN, key, b"new")
    older = gateway.list_object_versions(CONN, key)[1]

    answer = as_viewer.get(f"/files/{CONN}/versions/download/?key={quote(key, safe='')}&version={older.version_id}")

    assert answer.status_code == 302
    assert requests.get(answer["Location"], timeout=10).content == b"the old words"


def test_only_a_manager_deletes_a_version_for_good(as_editor, as_admin, gateway, key_prefix):
    key = key_prefix + "secret-draft.txt"
    gateway.simple_upload(CONN, key, b"keep")
    gateway.simple_upload(CONN, key, b"oops")
    latest = gateway.list_object_versions(CONN, key)[0]
    form = {"key": key, "version": latest.version_id}

    assert as_editor.post(f"/files/{CONN}/versions/delete/", form).status_code == 403
    assert "Delete this version" in page(as_admin, "versions/delete/", key, version=latest.version_id)
    assert as_admin.post(f"/files/{CONN}/versions/delete/", form).status_code == 302

    assert _read(gateway, key) == b"keep"
    assert AuditEvent.objects.get(kind="object.version_deleted").detail == {"version": latest.version_id}


def test_a_deleted_file_is_shown_and_recovered_and_only_its_marker_goes(as_editor, gateway, key_prefix):
    key = key_prefix + "gone.txt"
    gateway.simple_upload(CONN, key, b"come back")
    gateway.delete_file(CONN, key)
    marker = gateway.list_object_versions(CONN, key)[0]
    listing = as_editor.get(f"/files/{CONN}/?prefix={quote(key_prefix, safe='')}").content.decode()
    assert "Show deleted files" in listing

    shown = as_editor.get(f"/files/{CONN}/deleted/?prefix={quote(key_prefix, safe='')}").content.decode()
    assert "gone.txt" in shown and "Recover" in shown

    # A version with bytes is not a marker: "recover" never deletes it.
    kept = gateway.list_object_versions(CONN, key)[1]
    as_editor.post(f"/files/{CONN}/deleted/recover/", {"key": key, "version": kept.version_id})
    assert len(gateway.list_object_versions(CONN, key)) == 2
    as_editor.post(f"/files/{CONN}/deleted/recover/", {"key": key, "version": marker.version_id})
    assert _read(gateway, key) == b"come back"
    assert AuditEvent.objects.get(kind="object.recovered").target == key


def test_metadata_and_tags_are_edited_with_the_version_before_kept(as_editor, gateway, key_prefix):
    key = key_prefix + "data.csv"
    gateway.put_object(CONN, key, b"a,b\n", content_type="text/csv", metadata={"owner": "ann"})
    form = page(as_editor, "metadata/", key)
    assert "owner: ann" in form
    etag = gateway.get_object_meta(CONN, key).etag

    answer = as_editor.post(f"/files/{CONN}/metadata/", {
        "key": key, "etag": etag, "content_type": "text/plain", "cache_control": "max-age=600",
        "content_disposition": "", "metadata": "owner: bob\nreviewed: yes", "tags": "team = ops\nstage = final"})

    assert answer.status_code == 302
    headers = gateway.get_object_headers(CONN, key)
    assert (headers.content_type, headers.cache_control, headers.metadata) == (
        "text/plain", "max-age=600", {"owner": "bob", "reviewed": "yes"})
    assert gateway.get_object_tags(CONN, key) == {"team": "ops", "stage": "final"}
    assert len(gateway.list_object_versions(CONN, key)) == 2
    changed = AuditEvent.objects.get(kind="object.metadata_changed").detail["changes"]
    assert changed["cache_control"] == ["", "max-age=600"] and changed["metadata"][1]["owner"] == "bob"
    assert AuditEvent.objects.get(kind="object.tags_changed").detail["after"] == {"team": "ops", "stage": "final"}


def test_a_refused_form_keeps_what_was_typed_and_saves_nothing(as_editor, gateway, key_prefix):
    key = key_prefix + "typed.txt"
    gateway.simple_upload(CONN, key, b"x")
    tags = "\n".join(f"k{i} = v" for i in range(11))

    answer = as_editor.post(f"/files/{CONN}/metadata/", {
        "key": key, "content_type": "text/plain", "cache_control": "max-age=5", "metadata": "owner: typed here",
        "tags": tags})

    text = answer.content.decode()
    assert answer.status_code == 200 and "at most 10" in text
    assert "owner: typed here" in text and "k10 = v" in text and 'value="max-age=5"' in text
    assert gateway.get_object_headers(CONN, key).cache_control == ""
    assert not AuditEvent.objects.filter(kind__startswith="object.").exclude(kind="object.viewed").exists()


def test_a_viewer_of_team_sees_no_version_or_deleted_file_outside_team(db, gateway, key_prefix):
    viewer = User.objects.create_user("team-viewer")
    Grant.objects.create(connection=gateway_record(), user=viewer, role="viewer", prefix=key_prefix + "team/")
    client = _client_for(viewer)
    outside, inside = key_prefix + "other/x.txt", key_prefix + "team/y.txt"
    for key in (outside, inside, key_prefix + "above.txt"):
        gateway.simple_upload(CONN, key, b"1")
        gateway.delete_file(CONN, key)
    marker = gateway.list_object_versions(CONN, outside)[0].version_id

    assert client.get(f"/files/{CONN}/versions/?key={quote(outside, safe='')}").status_code == 404
    assert client.get(f"/files/{CONN}/deleted/?prefix={quote(key_prefix + 'other/', safe='')}").status_code == 404
    above = client.get(f"/files/{CONN}/deleted/?prefix={quote(key_prefix, safe='')}").content.decode()
    assert "above.txt" not in above and "x.txt" not in above and "y.txt" not in above
    download = f"/files/{CONN}/versions/download/?key={quote(outside, safe='')}&version={marker}"
    assert client.get(download).status_code == 404
    assert "y.txt" in client.get(f"/files/{CONN}/deleted/?prefix={quote(key_prefix + 'team/', safe='')}").content.decode()


def test_a_folder_whose_files_were_all_deleted_can_be_reached_from_its_parents_deleted_files(as_editor, gateway,
                                                                                              key_prefix):
    # Once its last file is deleted, the folder is gone from the folder listing (it holds no live object), and
    # the parent's deleted files list only the parent's own files: nothing leads to reports/'s deleted files.
    for name in ("q1.csv", "q2.csv"):
        gateway.simple_upload(CONN, key_prefix + "reports/" + name, b"1")
        gateway.delete_file(CONN, key_prefix + "reports/" + name)

    shown = as_editor.get(f"/files/{CONN}/deleted/?prefix={quote(key_prefix, safe='')}").content.decode()

    assert f"prefix={quote(key_prefix + 'reports/', safe='')}" in shown


def test_a_version_download_is_audited_with_its_version_whatever_range_the_request_claims(as_viewer, gateway,
                                                                                          key_prefix):
    # The console answers with a link to the whole version; a Range header on the request for that link
    # (which the console never serves) must not let the read go unrecorded, and the row names the version.
    import requests

    key = key_prefix + "quiet.txt"
    gateway.simple_upload(CONN, key, b"read without a trace")
    gateway.simple_upload(CONN, key, b"new")
    older = gateway.list_object_versions(CONN, key)[1]

    answer = as_viewer.get(f"/files/{CONN}/versions/download/?key={quote(key, safe='')}&version={older.version_id}",
                           HTTP_RANGE="bytes=1-")

    assert requests.get(answer["Location"], timeout=10).content == b"read without a trace"
    event = AuditEvent.objects.get(kind="object.version_downloaded", target=key)
    assert event.detail.get("version") == older.version_id


def test_a_file_deleted_while_versioning_was_suspended_is_not_recovered_by_removing_null(as_editor, db, seaweedfs,
                                                                                       key_prefix):
    # Its marker's id is "null", which an upload made since takes too: removing "null" would delete that upload.
    add_connection(versioned_bucket(seaweedfs, name="suspended"))
    gateway, key = get_gateway(), key_prefix + "kept.txt"
    gateway.simple_upload("suspended", key, b"before")
    gateway.put_bucket_versioning("suspended", "Suspended")
    gateway.delete_file("suspended", key)
    marker = gateway.list_object_versions("suspended", key)[0]
    assert (marker.deleted, marker.version_id) == (True, "null")
    folder = f"/files/suspended/deleted/?prefix={quote(key_prefix, safe='')}"
    assert "kept.txt" in as_editor.get(folder).content.decode()
    listed = as_editor.get(folder).content.decode()
    assert "Recover kept.txt" not in listed and "restore one of its versions instead" in listed

    gateway.simple_upload("suspended", key, b"uploaded since")  # meanwhile, someone uploads the file again
    refused = as_editor.post("/files/suspended/deleted/recover/", {"key": key, "version": "null"}, follow=True)

    assert "deleted while versioning was suspended" in refused.content.decode()
    assert gateway.download_file("suspended", key) == b"uploaded since"
    assert not AuditEvent.objects.filter(kind="object.recovered").exists()


def test_a_page_of_deleted_files_looks_past_listing_pages_that_hold_none(as_editor, gateway, key_prefix, monkeypatch):
    # S3's pages count every version: in a busy folder the first pages can hold no deleted file at all.
    folder = key_prefix + "busy/"
    for name in ("a.txt", "b.txt", "c.txt", "d.txt"):
        gateway.simple_upload(CONN, folder + name, b"x")
    gateway.delete_file(CONN, folder + "d.txt")
    real = type(gateway).list_deleted
    monkeypatch.setattr(type(gateway), "list_deleted",
                        lambda self, oss_id, prefix, *, after=None, max_keys=1000: real(self, oss_id, prefix,
                                                                                        after=after, max_keys=1))
    shown = as_editor.get(f"/files/{CONN}/deleted/?prefix={quote(folder, safe='')}").content.decode()
    assert "d.txt" in shown and "No deleted files" not in shown
