"""A local folder connection in the file manager, in a real Chromium: the upload widget sends a small file and a
multipart file to the console's signed URLs, and the Download link brings the bytes back."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest

from storage.factory import get_gateway, reset_gateways
from tests.browser.console.files.test_files_browser import choose_files, drop_file, open_folder

MiB = 1024 * 1024
PART = re.compile(r"^/local/primary/[^?]+\?.*\bpart=(\d+)")


@pytest.fixture
def local_connection(transactional_db, settings, tmp_path):
    from storage.models import Connection

    settings.ALLOW_LOCAL_FOLDERS = True
    folder = tmp_path / "served folder"
    folder.mkdir()
    reset_gateways()
    yield Connection.objects.create(name="primary", kind="local", local_root=str(folder), is_default=True)
    reset_gateways()


def test_uploads_and_a_download_by_clicks_go_through_the_consoles_signed_urls(editor_page, local_connection,
                                                                              live_server, tmp_path):
    page = editor_page
    big = tmp_path / "video 30 MiB.bin"
    big.write_bytes(os.urandom(30 * MiB))
    puts: list[str] = []
    page.on("request", lambda r: puts.append(r.url[len(live_server.url):]) if r.method == "PUT" else None)

    open_folder(page, "")
    choose_files(page, [big])
    drop_file(page, "notes été 🎉.txt", "dropped in a real browser")
    page.wait_for_selector("#upload[data-state=done]", timeout=60_000)
    assert page.locator("#upload-live").inner_text() == "2 files uploaded."
    page.locator("#listing").get_by_role("link", name="video 30 MiB.bin", exact=True).wait_for()

    gateway = get_gateway()
    assert gateway.download_file("primary", "notes été 🎉.txt") == b"dropped in a real browser"
    meta = gateway.get_object_meta("primary", "video 30 MiB.bin")
    assert meta.etag.endswith("-2") and meta.size == 30 * MiB
    assert sorted(int(m.group(1)) for u in puts if (m := PART.search(u))) == [1, 2]
    assert all(u.startswith("/local/primary/") for u in puts), puts
    assert gateway.list_multipart_uploads("primary") == []

    page.locator("#listing").get_by_role("link", name="notes été 🎉.txt", exact=True).click()
    page.get_by_role("heading", name="Metadata").wait_for()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download", exact=True).click()
    assert info.value.suggested_filename == "notes été 🎉.txt"
    assert Path(info.value.path()).read_bytes() == b"dropped in a real browser"
    assert page.js_errors == []


def test_the_big_file_comes_back_whole_by_its_download_link(editor_page, local_connection, tmp_path):
    page = editor_page
    data = os.urandom(20 * MiB)
    get_gateway().simple_upload("primary", "box/data.bin", data)
    page.goto("/files/primary/?prefix=box/")
    page.locator("#listing").get_by_role("link", name="data.bin", exact=True).click()
    page.get_by_role("heading", name="Metadata").wait_for()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download", exact=True).click()
    assert hashlib.sha256(Path(info.value.path()).read_bytes()).digest() == hashlib.sha256(data).digest()
