"""Signing out leaves nothing of the person in the browser for whoever signs in next on it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

KEEP = """async () => {
  localStorage.setItem("uppyState:files-primary", JSON.stringify({ metadata: { files: { f1: { name: "payroll-2026.xlsx",
    meta: { prefix: "hr/" } } } }, expires: Date.now() + 86400000 }));
  await new Promise((done) => { const open = indexedDB.open("uppy-blobs"); open.onsuccess = done; });
}"""
KEPT = """async () => ({ local: localStorage.length,
  databases: (await indexedDB.databases()).map((db) => db.name) })"""


def test_the_upload_tray_s_resume_store_is_gone_after_sign_out(editor_page):
    page = editor_page
    page.goto("/")
    page.evaluate(KEEP)
    assert page.evaluate(KEPT) == {"local": 1, "databases": ["uppy-blobs"]}
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/**")
    assert page.evaluate(KEPT) == {"local": 0, "databases": []}
