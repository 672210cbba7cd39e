"""The scripts of sharing and uploading in Simplified Chinese, in a Chromium that asks for zh-CN: the drop box's
statuses, the upload tray's, and Uppy's own refusals (from @uppy/locales, static/vendor/uppy-locale-zh-hans.js)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from console.shares import service
from tests.browser.conftest import signed_in
from tests.browser.console.files.test_files_browser import open_folder


def pick(page, path) -> None:
    """The toolbar's "Upload files" (whatever its words): a real file chooser."""
    with page.expect_file_chooser() as chooser:
        page.locator("[data-upload-pick=files]").first.click()
    chooser.value.set_files([str(path)])


@pytest.fixture
def chinese(chromium, live_server):
    """A browser whose person reads Chinese: no session yet."""
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_a_chinese_visitor_is_told_in_chinese_that_the_drop_box_took_the_file(chinese, browser_connection,
                                                                              key_prefix, users, tmp_path):
    upload = tmp_path / "报告.txt"
    upload.write_bytes(b"quarterly numbers")
    _share, token = service.create_share(user=users["editor"], kind="dropbox", connection="primary",
                                         key=key_prefix + "inbox/", max_upload_size=10_000)
    chinese.goto(f"/s/{token}/")
    chinese.get_by_label("文件").set_input_files(str(upload))
    chinese.get_by_role("button", name="上传").click()
    expect(chinese.locator("#dropbox-status li.ok")).to_have_text("报告.txt：已上传")


def test_the_upload_tray_and_uppys_refusals_are_in_chinese(chinese, browser_connection, key_prefix, users,
                                                           live_server, tmp_path):
    page = signed_in(chinese, users["editor"], live_server)
    upload = tmp_path / "notes.txt"
    upload.write_bytes(b"some notes")
    open_folder(page, key_prefix)
    pick(page, upload)
    expect(page.locator("#upload-live")).to_have_text("已上传 1 个文件。")
    expect(page.locator("#upload-total")).to_contain_text("总计：100%")
    pick(page, upload)  # the same file again: Uppy refuses it, in Chinese
    expect(page.locator("#upload-notice")).to_have_text("无法添加重复文件\"notes.txt\"，该文件已存在")
