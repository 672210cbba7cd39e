"""Instant uploads by content hash (#19 item 5), in Chromium: a file the storage holds already is copied, and
the browser sends none of its bytes; a changed or deleted original means a normal upload."""

from __future__ import annotations

import hashlib
import os
import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from storage.factory import get_gateway
from storage.models import StoredHash

SIZE = 3 * 1024 * 1024 + 17


@pytest.fixture
def instant_connection(browser_connection):
    browser_connection.instant_uploads = True
    browser_connection.save()
    return browser_connection


def storage_requests(page, endpoint: str) -> list[str]:
    """Every request the page sends to the storage (the bytes go there, never to the console)."""
    sent: list[str] = []
    page.on("request", lambda r: sent.append(f"{r.method} {r.url}") if endpoint in r.url else None)
    return sent


def upload(page, path) -> None:
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Upload files").click()
    chooser.value.set_files(str(path))


def tray_line(page, name: str):
    return page.locator("#upload-files li").filter(has_text=name)


def first_upload(page, key_prefix, tmp_path, data: bytes) -> None:
    (tmp_path / "first.bin").write_bytes(data)
    page.goto(f"/files/primary/?prefix={quote(key_prefix, safe='')}")
    upload(page, tmp_path / "first.bin")
    expect(tray_line(page, "first.bin")).to_have_attribute("data-state", "done")


def test_the_same_bytes_again_are_copied_instantly_and_not_sent(editor_page, instant_connection, key_prefix,
                                                                tmp_path, seaweedfs):
    data = os.urandom(SIZE)
    page = editor_page
    first_upload(page, key_prefix, tmp_path, data)
    sha = hashlib.sha256(data).hexdigest()
    assert get_gateway().get_object_meta("primary", key_prefix + "first.bin").metadata == {"sha256": sha}
    assert StoredHash.objects.filter(sha256=sha, key=key_prefix + "first.bin").exists()

    (tmp_path / "again.bin").write_bytes(data)
    sent = storage_requests(page, seaweedfs.endpoint)
    upload(page, tmp_path / "again.bin")

    line = tray_line(page, "again.bin")
    expect(line).to_have_attribute("data-state", "copied")
    expect(line).to_contain_text("already stored, copied instantly")
    assert sent == [], "no bytes (and no request at all) went to the storage"
    assert get_gateway().download_file("primary", key_prefix + "again.bin") == data
    expect(page.locator("#files-page")).to_contain_text("again.bin")  # the listing shows it
    assert page.js_errors == []


@pytest.mark.parametrize("change", ["replaced", "deleted"])
def test_a_changed_or_deleted_original_means_a_normal_upload(editor_page, instant_connection, key_prefix, tmp_path,
                                                             seaweedfs, change):
    data = os.urandom(SIZE)
    page = editor_page
    first_upload(page, key_prefix, tmp_path, data)
    if change == "replaced":
        get_gateway().put_object("primary", key_prefix + "first.bin", b"other bytes")
    else:
        get_gateway().delete_file("primary", key_prefix + "first.bin")

    (tmp_path / "again.bin").write_bytes(data)
    sent = storage_requests(page, seaweedfs.endpoint)
    upload(page, tmp_path / "again.bin")

    expect(tray_line(page, "again.bin")).to_have_attribute("data-state", "done")
    assert any(request.startswith("PUT ") for request in sent), "the bytes were sent"
    assert get_gateway().download_file("primary", key_prefix + "again.bin") == data
    assert get_gateway().get_object_meta("primary", key_prefix + "again.bin").metadata == {
        "sha256": hashlib.sha256(data).hexdigest()}
    assert page.js_errors == []


def test_the_tray_shows_the_check_going_and_cancel_stops_it_with_nothing_sent(editor_page, instant_connection,
                                                                             key_prefix, tmp_path, seaweedfs):
    big = tmp_path / "big.iso"
    with big.open("wb") as f:
        f.truncate(4 * 1024**3)  # sparse: hashing it takes seconds, storing it takes no disk
    page = editor_page
    page.goto(f"/files/primary/?prefix={quote(key_prefix, safe='')}")
    sent = storage_requests(page, seaweedfs.endpoint)
    upload(page, big)

    line = tray_line(page, "big.iso")
    expect(line).to_have_attribute("data-state", "checking")
    expect(line).to_contain_text(re.compile(r"Checking… [1-9]\d?%"))  # some way in, not done
    line.get_by_role("button", name="Cancel big.iso").click()

    expect(line).to_have_count(0)
    page.wait_for_timeout(500)
    assert page.workers == [], "the hashing stopped with the file"
    assert sent == [] and get_gateway().list_objects("primary", key_prefix).objects == []
    assert page.js_errors == []
