"""What the trust review found in a real browser: password links, drop boxes, and active content."""

from __future__ import annotations

import contextlib
import re

import pytest
from playwright.sync_api import Error as PlaywrightError

from console.shares import service
from console.shares.models import ShareLink
from storage.factory import get_gateway


@pytest.fixture
def stranger(chromium, live_server):
    """A visitor's own browser: no cookies, no session."""
    context = chromium.new_context(base_url=live_server.url, accept_downloads=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_a_password_protected_link_opens_in_chromium(editor_page, stranger, browser_connection, key_prefix,
                                                    live_server):
    page = editor_page
    get_gateway().simple_upload("primary", key_prefix + "budget.txt", b"the budget", content_type="text/plain")
    page.goto(f"/files/primary/?prefix={key_prefix}")
    page.get_by_role("link", name=re.compile(r"Share\s+budget\.txt")).click()
    page.get_by_label(re.compile("Managed link")).check()
    page.get_by_label("Password", exact=True).fill("open sesame")
    page.get_by_role("button", name="Create link").click()
    link = page.get_by_role("textbox", name="Link").input_value()

    stranger.goto(link)
    stranger.get_by_label("Password").fill("wrong guess")
    stranger.get_by_role("button", name="Open").click()
    assert stranger.get_by_role("alert").is_visible()  # the gate again, not a CSRF failure
    stranger.get_by_label("Password").fill("open sesame")
    stranger.get_by_role("button", name="Open").click()
    assert stranger.get_by_role("heading", name="budget.txt").is_visible()
    with stranger.expect_download() as download_info:
        stranger.get_by_role("link", name="Download").click()
    assert download_info.value.suggested_filename == "budget.txt"


def upload_to_a_drop_box(stranger, owner, folder: str, path) -> None:
    """The owner shares `folder` as a drop box; the stranger chooses `path` on its page and clicks Upload."""
    _share, token = service.create_share(user=owner, kind="dropbox", connection="primary", key=folder,
                                         max_upload_size=10_000)
    stranger.goto(f"/s/{token}/")
    stranger.get_by_label("Files").set_input_files(str(path))
    stranger.get_by_role("button", name="Upload").click()


def test_a_stranger_uploads_into_a_drop_box_from_chromium(stranger, browser_connection, key_prefix, users, tmp_path):
    upload = tmp_path / "report.html"
    upload.write_bytes(b"<script>alert(1)</script>")
    upload_to_a_drop_box(stranger, users["editor"], key_prefix + "inbox/", upload)
    stranger.get_by_text("report.html: uploaded").wait_for()
    # SeaweedFS stores the type its file name implies (it ignores the policy's Content-Type), so what
    # keeps this file from running is the signed GET's forced type (test_html_and_svg_never_run_...).
    assert get_gateway().download_file("primary", key_prefix + "inbox/report.html") == upload.read_bytes()


def opened(page, url: str):
    """Navigate to `url`; the download it turns into, or None when the browser showed it as a page."""
    try:
        with page.expect_download(timeout=5_000) as download_info, contextlib.suppress(PlaywrightError):
            page.goto(url)  # a navigation that becomes a download is reported as aborted
        return download_info.value
    except PlaywrightError:
        return None


SCRIPT = b"<html><body><script>document.cookie='pwned=1; path=/'; document.title='pwned'</script></body></html>"


def test_html_and_svg_never_run_on_the_storage_origin(editor_page, stranger, browser_connection, key_prefix, users):
    gateway = get_gateway()
    gateway.simple_upload("primary", key_prefix + "page.html", SCRIPT, content_type="text/html")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>document.cookie="pwned=1; path=/"</script></svg>'
    gateway.simple_upload("primary", key_prefix + "logo.svg", svg, content_type="image/svg+xml")

    assert opened(editor_page, f"/files/primary/preview/?key={key_prefix}page.html") is not None
    _share, token = service.create_share(user=users["editor"], kind="folder", connection="primary", key=key_prefix)
    assert opened(stranger, f"/s/{token}/preview/?key=logo.svg") is not None
    for page in (editor_page, stranger):
        assert "pwned" not in [c["name"] for c in page.context.cookies()]
        assert page.title() != "pwned"


def test_a_name_that_reverses_text_cannot_turn_the_drop_box_message_around(stranger, browser_connection, key_prefix,
                                                                          users, tmp_path):
    tricky = tmp_path / "invoice\u202efdp.exe"
    tricky.write_bytes(b"x")
    upload_to_a_drop_box(stranger, users["editor"], key_prefix + "inbox/", tricky)
    status = stranger.locator("#dropbox-status li").first
    status.get_by_text("text-direction control character").wait_for()
    assert status.locator("bdi").inner_text() == tricky.name  # the name is isolated; the sentence reads as written


def test_a_file_gone_from_a_live_link_is_not_found_and_a_revoked_link_is_gone(stranger, browser_connection,
                                                                              key_prefix, users):
    gateway = get_gateway()
    gateway.simple_upload("primary", key_prefix + "notes.txt", b"notes", content_type="text/plain")
    share, token = service.create_share(user=users["editor"], kind="file", connection="primary",
                                        key=key_prefix + "notes.txt")
    stranger.goto(f"/s/{token}/")
    assert stranger.get_by_role("heading", name="notes.txt").is_visible()
    gateway.delete_file("primary", key_prefix + "notes.txt")  # deleted while the visitor reads the page
    with stranger.expect_navigation() as clicked:  # a `download` link would fail silently: the visitor sees why
        stranger.get_by_role("link", name="Download").click()
    assert clicked.value.status == 404  # the link is fine; the file is not there
    assert stranger.get_by_text("The shared file is no longer there.").is_visible()
    service.revoke(ShareLink.objects.filter(pk=share.pk))
    assert stranger.goto(f"/s/{token}/").status == 410
    assert stranger.get_by_text("This link was revoked").is_visible()
