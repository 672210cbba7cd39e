"""What a person uploading sees when the console, or the storage itself, refuses a file (issue #11 item 13)."""

from __future__ import annotations

from storage.factory import get_gateway
from storage.s3.gateway import S3Gateway
from tests.browser.console.files.test_files_browser import drop_file, open_folder

LONG_NAME = "n" * 300 + ".txt"  # SeaweedFS takes names of at most 255 bytes


def test_the_storages_own_refusal_is_shown_as_a_sentence(editor_page, browser_connection, key_prefix, monkeypatch):
    """A storage whose limits the console does not know (here: its `Server` header is not recognised)."""
    monkeypatch.setattr(S3Gateway, "_server", lambda self, spec: None)
    page = editor_page
    open_folder(page, key_prefix)
    drop_file(page, LONG_NAME, "refused by the storage")
    page.wait_for_selector("#upload[data-state=failed]", timeout=30_000)
    line = page.locator("#upload-files").inner_text()
    assert "The storage refused the file's name: it is too long for this storage." in line
    assert "(KeyTooLongError)" in line and "answered 400" not in line
    assert get_gateway().list_objects("primary", key_prefix).objects == []
    assert page.js_errors == []


def test_a_name_seaweedfs_cannot_hold_is_refused_before_signing(editor_page, browser_connection, key_prefix):
    signed: list[str] = []
    page = editor_page
    page.on("request", lambda r: signed.append(r.url) if r.method == "PUT" else None)
    open_folder(page, key_prefix)
    drop_file(page, LONG_NAME, "refused by the console")
    page.wait_for_selector("#upload[data-state=failed]", timeout=30_000)
    assert "accepts file and folder names of at most 255 bytes" in page.locator("#upload-files").inner_text()
    assert signed == [], "nothing was signed, so nothing was sent to the storage"
    assert page.js_errors == []
