"""A real Chromium uploads, resumes, downloads and deletes through the file manager, with SeaweedFS behind."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from console.models import AuditEvent
from storage.factory import get_gateway
from storage.gateway import CorsRule, ObjectNotFound
from tests.browser.conftest import make_connection, sign_in, signed_in
from tests.conftest import PASSWORD

MiB = 1024 * 1024
PART = re.compile(r"[?&]partNumber=(\d+)")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def open_folder(page, prefix: str, connection: str = "primary") -> None:
    page.goto(f"/files/{connection}/?prefix={prefix}")
    page.wait_for_selector("#upload[data-ready=true]", state="attached")  # the tray shows once there is something


def choose_files(page, paths, button: str = "Upload files") -> None:
    """What the toolbar's "Upload files" (or the tray's "Pick the files again") does: a real file chooser."""
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=button).first.click()
    chooser.value.set_files([str(p) for p in paths])


def drop_file(page, name: str, text: str, on: str = "#listing") -> None:
    """A real drop event carrying a file, on the file list (anywhere on it)."""
    page.evaluate(
        """([name, text, on]) => {
            const data = new DataTransfer();
            data.items.add(new File([text], name, { type: "text/plain" }));
            const zone = document.querySelector(on);
            for (const type of ["dragenter", "dragover", "drop"]) {
                zone.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
            }
        }""",
        [name, text, on],
    )


def wait_for_two_parts_in_s3(page, key_prefix: str) -> None:
    """Until the storage holds parts 1 and 2 of the one multipart upload under `key_prefix` (part 3 is held)."""
    gateway = get_gateway()
    for _ in range(150):
        uploads = gateway.list_multipart_uploads("primary", key_prefix)
        if uploads and len(gateway.list_parts("primary", uploads[0].key, uploads[0].upload_id)) == 2:
            return
        page.wait_for_timeout(100)
    raise AssertionError("parts 1 and 2 should reach S3 while 3 hangs")


def test_it_signs_in_uploads_a_dropped_file_and_a_multipart_file_and_lists_them(
        page, users, browser_connection, key_prefix, tmp_path):
    sign_in(page, users["editor"], PASSWORD)
    big = tmp_path / "video 30 MiB.bin"
    big.write_bytes(os.urandom(30 * MiB))
    part_puts: list[str] = []
    page.on("request", lambda r: part_puts.append(r.url) if r.method == "PUT" and PART.search(r.url) else None)

    open_folder(page, key_prefix)
    choose_files(page, [big])  # uploads start when chosen: no second step
    drop_file(page, "notes été 🎉.txt", "dropped in a real browser")

    page.wait_for_selector("#upload-total:has-text('Total:')")
    page.wait_for_selector("#upload[data-state=done]", timeout=60_000)
    assert page.locator("#upload-live").inner_text() == "2 files uploaded."
    listing = page.locator("#listing")
    listing.get_by_role("link", name="notes été 🎉.txt", exact=True).wait_for()
    listing.get_by_role("link", name="video 30 MiB.bin", exact=True).wait_for()
    assert "30.0\xa0MB" in listing.inner_text()

    gateway = get_gateway()
    assert gateway.download_file("primary", key_prefix + "notes été 🎉.txt") == b"dropped in a real browser"
    meta = gateway.get_object_meta("primary", key_prefix + "video 30 MiB.bin")
    assert meta.etag.endswith("-2"), "30 MiB goes in two parts (16 MiB and 14 MiB)"
    assert sha256(gateway.download_file("primary", key_prefix + "video 30 MiB.bin")) == sha256(big.read_bytes())
    assert sorted(int(PART.search(u).group(1)) for u in part_puts) == [1, 2]
    assert AuditEvent.objects.filter(kind="upload.completed").count() == 2
    assert page.js_errors == []


def test_a_multipart_upload_finishes_after_a_reload_sending_only_the_missing_parts(
        editor_page, browser_connection, key_prefix, tmp_path):
    page = editor_page
    big = tmp_path / "resume me.bin"
    big.write_bytes(os.urandom(40 * MiB))  # three parts: 16, 16 and 8 MiB
    held = re.compile(r".*[?&]partNumber=3(&.*)?$")
    page.route(held, lambda route: None)  # part 3 never gets an answer: the "connection is lost"

    open_folder(page, key_prefix)
    choose_files(page, [big])
    wait_for_two_parts_in_s3(page, key_prefix)
    gateway = get_gateway()

    sent_after_reload: list[int] = []
    page.on("request", lambda r: sent_after_reload.append(int(PART.search(r.url).group(1)))
            if r.method == "PUT" and PART.search(r.url) else None)
    page.reload()
    page.unroute(held)
    page.wait_for_selector("#upload[data-ready=true]")
    page.get_by_text("1 unfinished upload from before").wait_for()
    choose_files(page, [big], "Pick the files again")  # one step: the same file, its upload id was kept
    page.wait_for_selector("#upload[data-state=done]", timeout=60_000)

    assert sent_after_reload == [3]
    assert sha256(gateway.download_file("primary", key_prefix + "resume me.bin")) == sha256(big.read_bytes())
    assert gateway.list_multipart_uploads("primary", key_prefix) == []


def test_download_compares_bytes_then_delete_removes_a_unicode_key(editor_page, browser_connection, key_prefix):
    page = editor_page
    key = key_prefix + "dir with space/résumé 日本 🎉.txt"
    get_gateway().simple_upload("primary", key, b"unicode bytes \xe2\x9c\x93", content_type="text/plain")

    page.goto(f"/files/primary/?prefix={key_prefix}")
    page.get_by_role("link", name="dir with space/").click()
    page.get_by_role("link", name="résumé 日本 🎉.txt", exact=True).click()
    page.get_by_role("heading", name="Metadata").wait_for()
    page.wait_for_selector("pre.text-preview:has-text('unicode bytes')")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download", exact=True).click()
    download = info.value
    assert download.suggested_filename == "résumé 日本 🎉.txt"
    assert Path(download.path()).read_bytes() == b"unicode bytes \xe2\x9c\x93"

    page.get_by_role("link", name="Delete", exact=True).click()
    page.get_by_role("heading", name="Delete résumé 日本 🎉.txt?").wait_for()
    page.get_by_role("button", name="Delete").click()
    page.get_by_text("Deleted résumé 日本 🎉.txt.").wait_for()
    with pytest.raises(ObjectNotFound):
        get_gateway().get_object_meta("primary", key)


@pytest.mark.parametrize("who", ["admin", "editor"])
def test_a_bucket_without_cors_for_the_console_gets_a_clear_message(
        page, users, live_server, who, transactional_db, seaweedfs, key_prefix, tmp_path):
    from storage.dev.bootstrap import ensure_bucket
    from tests.conftest import seaweed_spec

    ensure_bucket(seaweed_spec(seaweedfs, bucket="console-browser-nocors"))
    make_connection(seaweedfs, "console-browser-nocors")
    get_gateway().put_bucket_cors("primary", [CorsRule(["https://elsewhere.example"], ["PUT", "GET"], ["*"],
                                                       ["ETag"])])
    small = tmp_path / "blocked.txt"
    small.write_text("no CORS, no upload")
    page = signed_in(page, users[who], live_server)
    open_folder(page, key_prefix)
    choose_files(page, [small])
    problem = page.locator("#upload-problem")
    problem.wait_for()
    assert "CORS" in problem.inner_text()
    link = page.get_by_role("link", name="Set up CORS for this connection")
    if who == "admin":  # a manager of the whole connection is taken to the settings
        assert link.get_attribute("href") == "/connections/primary/cors/"
    else:  # an editor may not open them (issue #15), and is told who can
        assert not link.is_visible()
        assert "A manager of this connection can allow it in the connection's CORS settings" in problem.inner_text()


def test_the_listing_sorts_and_filters_in_place(editor_page, browser_connection, key_prefix):
    gateway = get_gateway()
    for name, size in (("b.txt", 300), ("a.txt", 10), ("c.txt", 2000)):
        gateway.simple_upload("primary", key_prefix + name, b"x" * size)
    page = editor_page
    page.goto(f"/files/primary/?prefix={key_prefix}")
    names = page.locator("#rows tr[data-kind=file] td.name a")
    assert names.all_inner_texts() == ["a.txt", "b.txt", "c.txt"]
    page.get_by_role("link", name="Size", exact=True).click()  # the whole folder, largest first
    expect(names).to_have_text(["c.txt", "b.txt", "a.txt"])
    page.get_by_label("Filter by name (starts with)").fill("b")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"q=b"))
    assert names.all_inner_texts() == ["b.txt"]


def test_it_warns_before_replacing_a_file_and_waits_for_consent(editor_page, browser_connection, key_prefix,
                                                                 tmp_path):
    gateway = get_gateway()
    gateway.simple_upload("primary", key_prefix + "report.txt", b"the old one")
    new = tmp_path / "report.txt"
    new.write_bytes(b"the new one")
    page = editor_page
    open_folder(page, key_prefix)
    choose_files(page, [new])
    warning = page.locator("#upload-warning")
    warning.wait_for()
    assert "report.txt" in warning.inner_text()
    page.wait_for_timeout(500)
    assert gateway.download_file("primary", key_prefix + "report.txt") == b"the old one"
    warning.get_by_role("button", name="Upload").click()  # not without consent
    page.wait_for_timeout(500)
    assert gateway.download_file("primary", key_prefix + "report.txt") == b"the old one"
    page.get_by_label("Replace the existing files").check()
    warning.get_by_role("button", name="Upload").click()
    page.wait_for_selector("#upload[data-state=done]")
    assert gateway.download_file("primary", key_prefix + "report.txt") == b"the new one"


def test_files_bigger_than_the_connection_accepts_are_turned_away_when_added(editor_page, browser_connection,
                                                                              key_prefix, tmp_path):
    browser_connection.max_upload_size = 1000
    browser_connection.save()
    small, big = tmp_path / "fits.txt", tmp_path / "too big.bin"
    small.write_bytes(b"x" * 1000)
    big.write_bytes(b"x" * 1001)
    page = editor_page
    open_folder(page, key_prefix)
    choose_files(page, [small, big])
    page.get_by_text("too big.bin: larger than").first.wait_for()
    page.wait_for_selector("#upload[data-state=done]")
    names = [o.name for o in get_gateway().list_objects("primary", key_prefix).objects]
    assert names == ["fits.txt"]
