"""Copy buttons, "Use TLS" following the endpoint, and the drop box's limit, in Chromium (issue #16 items 8, 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from console.shares import service
from storage.factory import get_gateway
from tests.browser.conftest import signed_in

REFUSE_CLIPBOARD = "navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));"


@pytest.fixture
def admin_page(page, users, live_server):
    return signed_in(page, users["admin"], live_server)


def make_token(page) -> str:
    page.goto("/tokens/")
    page.get_by_label("Name").fill("reporting-service")
    page.get_by_role("button", name="Create token").click()
    field = page.get_by_role("textbox", name="Service token")
    expect(field).to_be_visible()
    return field.input_value()


def test_the_service_token_is_copied_and_the_copy_is_announced(admin_page, browser_connection, live_server):
    page = admin_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    token = make_token(page)
    page.get_by_role("button", name="Copy token").click()
    expect(page.get_by_text("Copied the token.", exact=True)).to_have_attribute("aria-live", "polite")
    assert page.evaluate("navigator.clipboard.readText()") == token


def test_a_refused_clipboard_leaves_the_token_selected_for_the_keyboard(admin_page, browser_connection):
    page = admin_page
    page.add_init_script(REFUSE_CLIPBOARD)
    token = make_token(page)
    page.get_by_role("button", name="Copy token").click()
    expect(page.get_by_text("Your browser did not allow copying: the text is selected")).to_be_visible()
    field = page.get_by_role("textbox", name="Service token")
    assert field.evaluate("f => [document.activeElement === f, f.selectionStart, f.selectionEnd]") == [
        True, 0, len(token)]


def test_a_new_share_link_and_a_files_key_are_copied(editor_page, browser_connection, key_prefix, live_server):
    page = editor_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    key = key_prefix + "report.txt"
    get_gateway().simple_upload("primary", key, b"report", content_type="text/plain")
    page.goto(f"/files/primary/object/?key={key}")
    page.get_by_role("button", name="Copy key").click()
    expect(page.get_by_text("Copied the key.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == key

    page.get_by_role("link", name="Share", exact=True).click()
    page.get_by_role("button", name="Create link").click()
    link = page.get_by_role("textbox", name="Link").input_value()
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_text("Copied the link.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == link


def test_use_tls_follows_the_scheme_typed_into_the_endpoint(admin_page, browser_connection):
    page = admin_page
    page.goto("/connections/new/")
    endpoint, tls = page.get_by_label("Endpoint", exact=True), page.get_by_label("Use TLS")
    expect(tls).to_be_checked()
    endpoint.press_sequentially("http://s3.internal:9000")
    expect(tls).not_to_be_checked()
    endpoint.fill("")
    endpoint.press_sequentially("HTTPS://s3.example.com")
    expect(tls).to_be_checked()
    endpoint.fill("s3.example.com:9000")  # no scheme: the box is the person's to set
    tls.uncheck()
    expect(tls).not_to_be_checked()
    expect(page.get_by_text("An endpoint typed with https:// or http:// decides this.")).to_be_visible()
    expect(page.get_by_label("Largest upload")).to_have_value("5 TB")


def test_the_drop_box_refuses_a_file_in_the_words_of_its_page(page, browser_connection, users, key_prefix, tmp_path):
    _share, token = service.create_share(user=users["editor"], kind="dropbox", connection="primary",
                                         key=key_prefix + "inbox/", max_upload_size=1024 * 1024)
    big = Path(tmp_path / "big.bin")
    big.write_bytes(b"x" * (1024 * 1024 + 1))
    page.goto(f"/s/{token}/")
    expect(page.get_by_text("Files you choose go straight to the owner's storage, up to 1.0\xa0MB each.")).to_be_visible()
    page.get_by_label("Files").set_input_files(str(big))
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#dropbox-status")).to_have_text(
        "big.bin: The file is larger than this link allows (up to 1.0\xa0MB each).")


def test_a_refused_clipboard_shows_and_selects_a_key_not_shown_in_a_field(editor_page, browser_connection, key_prefix):
    page = editor_page
    page.add_init_script(REFUSE_CLIPBOARD)
    key = key_prefix + "report.txt"
    get_gateway().simple_upload("primary", key, b"report", content_type="text/plain")
    page.goto(f"/files/primary/object/?key={key}")
    page.get_by_role("button", name="Copy key").click()
    expect(page.locator("#copy-status")).to_have_text(
        f"Your browser did not allow copying: press Ctrl+C (⌘C on a Mac) to copy {key}")
    assert page.evaluate("window.getSelection().toString()") == key
