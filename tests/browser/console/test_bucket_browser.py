"""Chromium: a manager creates a missing bucket from the "no such bucket" message, then uses the bucket page."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest

from console.access.models import Grant
from storage.factory import get_gateway
from tests.browser.axe import serious_violations, serve_axe
from tests.browser.conftest import make_connection, signed_in

SCREENS = Path(__file__).resolve().parents[3] / ".data" / "screens"


def shoot(page, name: str) -> None:
    """Screenshots at 1280 and 390 px, light and dark, each free of serious axe violations."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for width, height in ((1280, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=str(SCREENS / f"bucket-{name}-{scheme}-{width}.png"), full_page=True)
        assert serious_violations(page) == [], f"{name}, {scheme}"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(color_scheme="light")


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
    shoot(page, "missing")

    banner.get_by_role("link", name="Create the bucket").click()
    page.get_by_label("Keep every version of every file (versioning)").check()
    shoot(page, "create")
    page.get_by_role("button", name=re.compile("Create the bucket made-")).click()

    page.wait_for_url(re.compile(r"/files/primary/$"))
    assert "was created" in page.get_by_role("status").first.inner_text()
    assert page.get_by_role("alert").count() == 0
    assert get_gateway().get_bucket_versioning("primary") == "Enabled"

    page.goto("/connections/primary/bucket/")
    assert page.get_by_role("heading", name="Lifecycle rules").is_visible()
    shoot(page, "settings")
    page.get_by_label("Folder", exact=True).fill("public/")
    page.get_by_role("button", name="Make this folder publicly readable…").click()
    assert "let anyone on the internet" in page.get_by_role("alert").first.inner_text()
    shoot(page, "confirm")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"/connections/primary/bucket/$"))
    assert page.locator(".public-prefixes code").inner_text() == "public/"
    assert page.js_errors == []
