"""The page's frame (header, menus, theme, tables) seen by an admin, over a folder and connections with long names."""

from __future__ import annotations

import pytest

from storage.factory import get_gateway
from tests.browser.axe import serve_axe
from tests.browser.conftest import signed_in

LONG_NAME = "quarterly-report-for-the-board-of-directors-with-every-appendix-final-v2-approved.pdf"
LONG_ENDPOINT = "https://object-storage.eu-central-backup.infrastructure.example.com:9000"
NAMES = [LONG_NAME, "notes été 🎉.txt", "a.txt", "photo 2026-05-01 at the lake.jpg"]


@pytest.fixture
def admin_page(page, users, live_server):
    serve_axe(page)
    return signed_in(page, users["admin"], live_server)


@pytest.fixture
def long_folder(browser_connection, key_prefix) -> str:
    """A folder with a subfolder and files of short, long and non-ASCII names; its browse URL."""
    gateway = get_gateway()
    gateway.simple_upload("primary", key_prefix + "photos of the summer 2026/x.jpg", b"x")
    for size, name in enumerate(NAMES):
        gateway.simple_upload("primary", key_prefix + name, b"x" * (size * 1500 + 10))
    return f"/files/primary/?prefix={key_prefix}"


@pytest.fixture
def long_connection(browser_connection):
    from storage.models import Connection

    return Connection.objects.create(name="backup-in-frankfurt-second-site", endpoint=LONG_ENDPOINT, bucket="backups-2026",
                                     access_key_id="k", secret_access_key="s", use_ssl=True)
