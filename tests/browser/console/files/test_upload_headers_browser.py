"""A batch of uploads carries the content type and Cache-Control set before it starts (#17 item 3), in Chromium."""

from __future__ import annotations

from urllib.parse import quote

from playwright.sync_api import expect

from storage.factory import get_gateway
from tests.browser.axe import no_serious_violations_in_both_themes
from tests.browser.screens import shoot


def test_a_batch_goes_with_the_type_and_cache_control_set_first(editor_page, browser_connection, key_prefix,
                                                                tmp_path):
    for name in ("a.dat", "b.dat", "c.dat"):
        (tmp_path / name).write_text(f"{name},1\n")
    page = editor_page
    page.goto(f"/files/primary/?prefix={quote(key_prefix, safe='')}")
    page.get_by_text("Upload settings: content type and Cache-Control").click()
    page.get_by_label("Content type").fill("text/csv")
    page.get_by_label("Cache-Control").fill("max-age=600")
    no_serious_violations_in_both_themes(page)
    shoot(page, "upload-settings")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Upload files").click()
    chooser.value.set_files([str(tmp_path / "a.dat"), str(tmp_path / "b.dat")])
    page.wait_for_selector("#upload[data-state=done]")

    gateway = get_gateway()
    for name in ("a.dat", "b.dat"):
        headers = gateway.get_object_headers("primary", key_prefix + name)
        assert (headers.content_type, headers.cache_control) == ("text/csv", "max-age=600"), name
    page.get_by_label("Content type").fill("text/html")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Upload files").click()
    chooser.value.set_files(str(tmp_path / "c.dat"))
    expect(page.locator("#upload-files")).to_contain_text("a browser would run such a file as a page")
    assert page.js_errors == []
