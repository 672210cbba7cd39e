"""Sharing as people do it: from the file list to a stranger's browser, then revoked."""

from __future__ import annotations

import re
from pathlib import Path

import requests

from storage.factory import get_gateway


def test_a_shared_link_works_without_a_session_until_it_is_revoked(editor_page, browser_connection, key_prefix,
                                                                   chromium, live_server):
    page = editor_page
    key = key_prefix + "plan für 2027.txt"
    get_gateway().simple_upload("primary", key, b"the plan", content_type="text/plain")
    page.goto(f"/files/primary/?prefix={key_prefix}")
    page.get_by_role("link", name=re.compile(r"Share\s+plan für 2027\.txt")).click()

    page.get_by_label(re.compile("Managed link")).check()
    page.get_by_label("Expires after").select_option("2592000")  # 30 days: beyond any presigned URL
    page.get_by_role("button", name="Create link").click()
    link = page.get_by_role("textbox", name="Link").input_value()
    assert re.match(rf"{re.escape(live_server.url)}/s/[A-Za-z0-9_-]{{22,}}/$", link)

    stranger = chromium.new_context(accept_downloads=True)  # no cookies, no session
    try:
        visitor = stranger.new_page()
        visitor.goto(link)
        assert visitor.get_by_role("heading", name="plan für 2027.txt").is_visible()
        with visitor.expect_download() as download_info:
            visitor.get_by_role("link", name="Download").click()
        download = download_info.value
        assert download.suggested_filename == "plan für 2027.txt"
        assert Path(download.path()).read_bytes() == b"the plan"
        assert "/s/" not in download.url  # the bytes came straight from S3

        page.goto("/shares/")
        downloads = page.locator("table.shares tbody tr").first.locator("td").nth(5)
        assert downloads.inner_text().strip() == "1"  # the download was counted
        page.get_by_role("checkbox", name=re.compile("Select the link to")).check()
        page.get_by_role("button", name="Revoke selected").click()
        assert page.get_by_text("Revoked 1 link.").is_visible()

        answer = visitor.goto(link)
        assert answer.status == 410
        assert visitor.get_by_text("This link was revoked").is_visible()
        assert requests.get(link, timeout=10).headers["Referrer-Policy"] == "same-origin"
    finally:
        stranger.close()
