"""The main flow in 简体中文, in a Chromium that asks for Chinese: sign in, browse, upload, share, open the link
as a stranger, switch language there, revoke. Each page is screenshot at 1280 and 390 px (.data/screens/zh-*)
and holds no English word of the catalog's."""

from __future__ import annotations

import re

from storage.factory import get_gateway
from tests.browser.screens import shoot
from tests.conftest import PASSWORD
from tests.unit.i18n.test_pages_in_chinese import english_left, english_vocabulary

CHINESE = {"locale": "zh-CN", "extra_http_headers": {"Accept-Language": "zh-CN,zh;q=0.9"}}


def assert_all_chinese(page, where: str) -> None:
    assert page.locator("html").get_attribute("lang") == "zh-hans", where
    left = english_left(page.content(), english_vocabulary())
    assert not left, f"{where}: English left: {left[:10]}"


def test_the_main_flow_speaks_chinese_from_sign_in_to_revoke(chromium, live_server, users, browser_connection,
                                                               key_prefix, tmp_path):
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900},
                                   accept_downloads=True, **CHINESE)
    stranger = chromium.new_context(accept_downloads=True, **CHINESE)  # no cookies, no session
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto("/accounts/login/")
        assert_all_chinese(page, "sign-in")
        shoot(page, "zh-sign-in")
        page.get_by_label("用户名").fill("editor")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(re.compile(r"/$"))
        assert_all_chinese(page, "home")

        plan = tmp_path / "年度计划 2027.txt"
        plan.write_text("the plan")
        page.goto(f"/files/primary/?prefix={key_prefix}")
        page.wait_for_selector("#upload[data-ready=true]", state="attached")
        with page.expect_file_chooser() as chooser:
            page.get_by_role("button", name="上传文件").first.click()
        chooser.value.set_files([str(plan)])
        page.wait_for_selector("#upload[data-state=done]", timeout=60_000)
        assert re.search(r"[\u4e00-\u9fff]", page.locator("#upload-live").inner_text())
        page.locator("#listing").get_by_role("link", name=plan.name, exact=True).wait_for()
        assert get_gateway().download_file("primary", key_prefix + plan.name) == b"the plan"
        assert_all_chinese(page, "files")
        shoot(page, "zh-files")

        page.get_by_role("link", name=re.compile(rf"分享\s+{re.escape(plan.name)}")).click()
        page.get_by_label(re.compile("托管链接")).check()
        page.get_by_label("有效期", exact=True).select_option("2592000")
        page.get_by_role("button", name="创建链接").click()
        link = page.get_by_role("textbox", name="链接").input_value()
        assert_all_chinese(page, "link created")
        shoot(page, "zh-link-created")

        visitor = stranger.new_page()
        visitor_errors: list[str] = []
        visitor.on("pageerror", lambda e: visitor_errors.append(str(e)))
        visitor.goto(link)
        assert visitor.get_by_role("heading", name=plan.name).is_visible()
        assert_all_chinese(visitor, "public file")
        shoot(visitor, "zh-public-file")
        with visitor.expect_download() as download:
            visitor.get_by_role("link", name="下载").click()
        assert download.value.suggested_filename == plan.name

        visitor.get_by_role("button", name="English").click()  # the switcher, on an anonymous page
        visitor.get_by_role("link", name="Download").wait_for()
        assert visitor.locator("html").get_attribute("lang") == "en"
        visitor.get_by_role("button", name="简体中文").click()
        visitor.get_by_role("link", name="下载").wait_for()

        page.goto("/shares/")
        assert_all_chinese(page, "shares")
        shoot(page, "zh-shares")
        page.get_by_role("checkbox", name=re.compile("选择指向")).check()
        page.get_by_role("button", name="撤销所选链接").click()
        assert page.get_by_text("已撤销 1 个链接。").is_visible()

        assert visitor.goto(link).status == 410
        assert visitor.get_by_text("此链接已被分享者撤销。").is_visible()
        assert_all_chinese(visitor, "revoked")
        shoot(visitor, "zh-revoked")
        assert errors == [] and visitor_errors == []
    finally:
        stranger.close()
        context.close()
