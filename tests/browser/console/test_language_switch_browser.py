"""The header's language switcher brings a person back to the page they are on, after htmx moved them."""

from __future__ import annotations

import re
from urllib.parse import quote

from storage.factory import get_gateway


def test_switching_language_after_opening_a_folder_stays_in_that_folder(editor_page, browser_connection, key_prefix):
    page = editor_page
    get_gateway().put_object("primary", f"{key_prefix}inner/plan.txt", b"plan")
    page.goto(f"/files/primary/?prefix={quote(key_prefix)}")
    page.locator("#listing").get_by_role("link", name="inner/", exact=True).click()  # htmx: a region and a pushed URL
    page.locator("#listing").get_by_role("link", name="plan.txt", exact=True).wait_for()
    page.get_by_role("button", name="简体中文").click()
    page.wait_for_url(re.compile(re.escape(quote(f"{key_prefix}inner/", safe=""))))
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.locator("#listing").get_by_role("link", name="plan.txt", exact=True).wait_for()
