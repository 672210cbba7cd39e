"""The file manager's scripts in Simplified Chinese (#18): what they write into the page follows its language."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from storage.factory import get_gateway
from tests.browser.conftest import signed_in


@pytest.fixture
def chinese_page(page, users, live_server):
    """An editor's page whose browser asks for Chinese first."""
    page.set_extra_http_headers({"Accept-Language": "zh-CN,zh;q=0.9"})
    return signed_in(page, users["editor"], live_server)


def test_search_reports_its_progress_in_chinese(chinese_page, browser_connection, key_prefix):
    page = chinese_page
    for name in ("match one.txt", "match two.txt", "other.txt"):
        get_gateway().simple_upload("primary", key_prefix + name, b"x")
    page.goto(f"/files/primary/search/?prefix={key_prefix}&q=match")
    expect(page.locator("#search-status")).to_have_text("已完成：2 个结果，已扫描 3 个文件。")
    expect(page.locator("#search-rows td[data-label]").first).to_have_attribute("data-label", "文件夹")
    assert not page.js_errors


def test_the_selection_and_copy_or_move_buttons_speak_chinese(chinese_page, browser_connection, key_prefix):
    page = chinese_page
    get_gateway().simple_upload("primary", key_prefix + "a.txt", b"x")
    page.goto(f"/files/primary/?prefix={key_prefix}")
    page.get_by_role("checkbox", name="选择 a.txt").check()
    expect(page.get_by_role("button", name="删除所选项（1）")).to_be_enabled()
    page.get_by_role("button", name="复制或移动所选项（1）").click()
    page.get_by_label("移动", exact=True).check()
    expect(page.locator("[data-transfer-submit]")).to_have_text("移动")
    assert not page.js_errors
