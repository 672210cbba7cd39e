"""Recover a deleted file through "Show deleted files", and edit tags, by real clicks in Chromium (#17)."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from storage.factory import get_gateway
from tests.browser.axe import no_serious_violations_in_both_themes
from tests.browser.conftest import signed_in
from tests.browser.screens import shoot
from tests.conftest import add_connection
from tests.integration.versions_support import versioned_bucket


@pytest.fixture(scope="module")
def versioned_spec(seaweedfs):
    return versioned_bucket(seaweedfs, name="primary")


@pytest.fixture
def versioned(transactional_db, versioned_spec):
    add_connection(versioned_spec)
    return get_gateway()


@pytest.fixture
def editor(page, users, live_server):
    return signed_in(page, users["editor"], live_server)


def test_a_deleted_file_is_recovered_through_show_deleted_files(editor, versioned, key_prefix):
    versioned.simple_upload("primary", key_prefix + "report.txt", b"the report")
    versioned.simple_upload("primary", key_prefix + "kept.txt", b"kept")
    versioned.delete_file("primary", key_prefix + "report.txt")
    editor.goto(f"/files/primary/?prefix={quote(key_prefix, safe='')}")
    expect(editor.get_by_role("link", name="report.txt")).to_have_count(0)

    editor.get_by_role("link", name="Show deleted files").click()
    expect(editor.get_by_role("heading", name=re.compile("Deleted files in"))).to_be_visible()
    expect(editor.get_by_role("cell", name="report.txt", exact=True)).to_be_visible()
    no_serious_violations_in_both_themes(editor)
    shoot(editor, "deleted-files")
    editor.get_by_role("button", name="Recover report.txt").click()

    expect(editor.get_by_text("Recovered report.txt.")).to_be_visible()
    expect(editor.get_by_role("cell", name="report.txt", exact=True)).to_have_count(0)
    editor.get_by_role("link", name="Hide deleted files").click()
    expect(editor.get_by_role("link", name="report.txt").first).to_be_visible()
    with versioned.open_object("primary", key_prefix + "report.txt") as stream:
        assert stream.read() == b"the report"
    assert editor.js_errors == []


def test_tags_are_edited_from_the_object_page(editor, versioned, key_prefix):
    key = key_prefix + "photo-notes.txt"
    versioned.simple_upload("primary", key, b"first")
    versioned.simple_upload("primary", key, b"second")
    editor.goto(f"/files/primary/object/?key={quote(key, safe='')}")
    versions = editor.get_by_role("table", name=re.compile("Versions of"))
    expect(versions.get_by_role("row")).to_have_count(3)  # the header and two versions, loaded by htmx
    no_serious_violations_in_both_themes(editor)
    shoot(editor, "object-versions")

    editor.get_by_role("link", name="Edit metadata and tags").click()
    editor.get_by_label("Tags").fill("\n".join(f"k{i} = v" for i in range(11)))
    editor.get_by_role("button", name="Save").click()
    expect(editor.get_by_text(re.compile("at most 10 on an object"))).to_be_visible()
    no_serious_violations_in_both_themes(editor)
    shoot(editor, "metadata-refused")
    editor.get_by_label("Tags").fill("team = ops\nstage = final")
    editor.get_by_role("button", name="Save").click()

    expect(editor.get_by_text("Saved the tags of photo-notes.txt.")).to_be_visible()
    assert versioned.get_object_tags("primary", key) == {"team": "ops", "stage": "final"}
    assert editor.js_errors == []
