"""The connection form makes local folder connections too: its own fields, tested and refused like the rest."""

from __future__ import annotations

import pytest

from storage.models import Connection
from tests.unit.admin_support import htmx, moto_s3  # noqa: F401

LOCAL = {"kind": "local", "name": "disk", "local_root": "", "endpoint": "ignored.example.com", "bucket": "ignored",
         "access_key_id": "AKID", "secret_access_key": "not-kept", "region": "us-east-1",
         "addressing_style": "auto", "enabled": "on", "max_upload_size": "1000"}


@pytest.fixture
def allowed(settings):
    settings.ALLOW_LOCAL_FOLDERS = True


def test_it_offers_both_kinds_and_hides_the_other_kinds_fields(as_admin):
    page = as_admin.get("/connections/new/").content.decode()
    assert 'value="s3"' in page and 'value="local"' in page and 'value="group"' not in page
    assert '<div data-kind="local" hidden>' in page and '<div data-kind="s3">' in page
    edit = Connection.objects.create(name="disk", kind="local", local_root="/srv")
    page = as_admin.get(f"/connections/{edit.name}/edit/").content.decode()
    assert '<div data-kind="s3" hidden>' in page and '<div data-kind="local">' in page


def test_it_creates_a_local_folder_without_keeping_s3_values(as_admin, allowed, tmp_path):
    response = as_admin.post("/connections/new/", {**LOCAL, "local_root": str(tmp_path)})
    assert response.status_code == 302
    record = Connection.objects.get(name="disk")
    assert (record.kind, record.local_root, record.bucket, record.endpoint, record.secret_access_key) == (
        "local", str(tmp_path), "", "", "")


def test_it_needs_an_absolute_folder(as_admin, allowed):
    page = as_admin.post("/connections/new/", LOCAL).content.decode()
    assert "Give the folder&#x27;s path on the console&#x27;s server." in page
    page = as_admin.post("/connections/new/", {**LOCAL, "local_root": "srv/files"}).content.decode()
    assert "Give an absolute path, starting with &#x27;/&#x27;." in page
    assert not Connection.objects.filter(name="disk").exists()


def test_it_refuses_local_folders_unless_allowed(as_admin, settings, tmp_path):
    settings.ALLOW_LOCAL_FOLDERS = False
    page = as_admin.post("/connections/new/", {**LOCAL, "local_root": str(tmp_path)}).content.decode()
    assert "ALLOW_LOCAL_FOLDERS=true" in page
    assert not Connection.objects.filter(name="disk").exists()


def test_test_checks_that_the_folder_exists_and_is_writable(as_admin, allowed, tmp_path):
    ok = as_admin.post("/connections/new/", {**LOCAL, "local_root": str(tmp_path), "action": "test"}, **htmx())
    assert "exists and is writable" in ok.content.decode()
    missing = as_admin.post("/connections/new/", {**LOCAL, "local_root": str(tmp_path / "nowhere"),
                                                   "action": "test"}, **htmx())
    assert "does not exist" in missing.content.decode()
    assert not Connection.objects.filter(name="disk").exists()


def test_an_s3_connection_still_needs_its_bucket(as_admin):
    page = as_admin.post("/connections/new/", {**LOCAL, "kind": "s3", "bucket": ""}).content.decode()
    assert "This field is required." in page


def test_a_group_made_on_its_own_page_opens_here_as_a_group(as_admin):
    Connection.objects.create(name="both", kind="group", members=["a", "b"])
    page = as_admin.get("/connections/both/edit/").content.decode()
    assert 'value="group"' in page and "checked" in page[page.index('value="group"') - 200:page.index('value="group"') + 60]
    saved = as_admin.post("/connections/both/edit/", {"name": "both", "enabled": "on", "max_upload_size": "1000",
                                                      "region": "us-east-1", "addressing_style": "auto"})
    assert saved.status_code == 302 and Connection.objects.get(name="both").kind == "group"
