"""Chromium: a manager creates a missing bucket from the "no such bucket" message, then uses the bucket page."""

from __future__ import annotations

import re
import secrets

import pytest

from console.access.models import Grant
from storage.factory import get_gateway
from tests.browser.axe import serve_axe
from tests.browser.conftest import make_connection, signed_in
from tests.browser.screens import shoot


@pytest.fixture
def manager_page(page, users, live_server, transactional_db, seaweedfs):
    connection = make_connection(seaweedfs, f"made-{secrets.token_hex(4)}")
    Grant.objects.create(connection=connection, user=users["editor"], role="manager")
    serve_axe(page)
    return signed_in(page, users["editor"], live_server)


def test_a_manager_creates_the_missing_bucket_from_the_message_and_the_page_then_works(manager_page):
    page = manager_page
    page.goto("/files/primary/")
    banner = page.get_by_role("alert")
    assert "does not exist" in banner.inner_text()
    shoot(page, "bucket-missing", axe=True)

    banner.get_by_role("link", name="Create the bucket").click()
    page.get_by_label("Keep every version of every file (versioning)").check()
    shoot(page, "bucket-create", axe=True)
    page.get_by_role("button", name=re.compile("Create the bucket made-")).click()

    page.wait_for_url(re.compile(r"/files/primary/$"))
    assert "was created" in page.get_by_role("status").first.inner_text()
    assert page.get_by_role("alert").count() == 0
    assert get_gateway().get_bucket_versioning("primary") == "Enabled"

    page.goto("/connections/primary/bucket/")
    assert page.get_by_role("heading", name="Lifecycle rules").is_visible()
    shoot(page, "bucket-settings", axe=True)
    page.get_by_label("Folder", exact=True).fill("public/")
    page.get_by_role("button", name="Make this folder publicly readable…").click()
    assert "anyone on the internet, without a key" in page.get_by_role("alert").first.inner_text()
    shoot(page, "bucket-confirm", axe=True)
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"/connections/primary/bucket/$"))
    assert page.locator(".public-prefixes code").inner_text() == "public/"
    assert page.js_errors == []
