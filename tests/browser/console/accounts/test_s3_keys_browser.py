"""S3 access keys on Your settings, in Chromium on a phone-wide screen: issue by clicks, the secret once, revoke."""

from __future__ import annotations

from playwright.sync_api import expect

from console.s3api.models import AccessKey
from tests.browser.axe import no_serious_violations_in_both_themes

PHONE = {"width": 390, "height": 844}


def fits(page) -> bool:
    """Nothing on the page is wider than the screen (no sideways scrolling on a phone)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_person_issues_a_key_reads_the_secret_once_and_revokes_it(editor_page, browser_connection, users,
                                                                    live_server):
    page = editor_page
    page.set_viewport_size(PHONE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto("/settings/")
    expect(page.get_by_role("heading", name="S3 access keys")).to_be_visible()
    page.get_by_role("link", name="Issue a key").click()
    page.get_by_label("Name").fill("laptop")
    page.get_by_label("Read only: list and download; writes are refused (AccessDenied)").check()
    page.get_by_label("Expires after (days)").fill("30")
    page.get_by_role("button", name="Issue key").click()

    secret = page.get_by_role("textbox", name="Secret access key").input_value()
    key_id = page.get_by_role("textbox", name="Access key ID").input_value()
    record = AccessKey.objects.get(access_key_id=key_id)
    assert record.owner == users["editor"] and record.read_only and record.secret == secret
    page.get_by_role("button", name="Copy secret").click()
    expect(page.get_by_text("Copied the secret.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == secret
    assert f"aws_secret_access_key = {secret}" in page.get_by_role("textbox", name="aws CLI configuration").input_value()
    assert fits(page)
    no_serious_violations_in_both_themes(page)

    page.get_by_role("link", name="Done").click()
    page.reload()
    row = page.locator(f"tr[data-key-id='{key_id}']")
    expect(row).to_contain_text("laptop")
    expect(row).to_contain_text("read-only")
    assert secret not in page.content()
    assert fits(page)
    no_serious_violations_in_both_themes(page)

    row.get_by_role("link", name="Revoke laptop").click()
    expect(page.get_by_role("heading", name="Revoke the access key 'laptop'?")).to_be_visible()
    page.get_by_role("button", name="Revoke key").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("The access key 'laptop' is revoked")).to_be_visible()
    expect(page.locator(f"tr[data-key-id='{key_id}']")).to_contain_text("revoked")
    assert AccessKey.objects.get(access_key_id=key_id).is_revoked
