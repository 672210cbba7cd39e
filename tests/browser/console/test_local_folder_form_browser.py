"""The connection form's kind selector in Chromium: choosing "Local folder" shows the folder and hides S3's fields,
Test checks the folder, and Create saves a local folder connection."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import signed_in


@pytest.fixture
def admin_page(page, users, live_server):
    return signed_in(page, users["admin"], live_server)


def test_choosing_local_folder_shows_its_field_tests_it_and_creates_it(admin_page, transactional_db, settings,
                                                                       tmp_path):
    from storage.models import Connection

    settings.ALLOW_LOCAL_FOLDERS = True
    page = admin_page
    page.goto("/connections/new/")
    folder, endpoint = page.get_by_label("Folder", exact=True), page.get_by_label("Endpoint", exact=True)
    expect(endpoint).to_be_visible()
    expect(folder).to_be_hidden()
    page.get_by_label("Local folder").check()
    expect(folder).to_be_visible()
    for hidden in (endpoint, page.get_by_label("Bucket"), page.get_by_label("Access key ID"), page.get_by_label("Use TLS")):
        expect(hidden).to_be_hidden()
    page.get_by_label("Name", exact=True).fill("disk")
    folder.fill(str(tmp_path))
    page.get_by_role("button", name="Test these values").click()
    expect(page.locator("#test-result")).to_contain_text(f"Test passed: The folder {tmp_path} exists and is writable.")
    page.get_by_role("button", name="Create").click()
    page.wait_for_url("**/connections/")
    record = Connection.objects.get(name="disk")
    assert (record.kind, record.local_root, record.bucket) == ("local", str(tmp_path), "")
    assert page.js_errors == []
