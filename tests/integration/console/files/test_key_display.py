"""A key with invisible characters is shown with them written out; links and forms keep the key itself."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest

from storage.factory import get_gateway
from tests.integration.files_support import url

pytestmark = pytest.mark.usefixtures("seaweed_connection")

SPOOF = "invoice\u202efdp.exe"  # reads as "invoiceexe.pdf" where the override is obeyed


def _text_outside_key_attributes(html: str) -> str:
    """The page without the attributes that carry a key to the server, the clipboard, the uploader or the row sorter."""
    return re.sub(r'(value|data-copy|data-name|data-prefix)="[^"]*"', "", html)


def test_the_listing_and_the_object_page_write_out_a_right_to_left_override(as_editor, key_prefix):
    get_gateway().simple_upload("primary", key_prefix + SPOOF, b"MZ")
    get_gateway().simple_upload("primary", key_prefix + "pay\u200bpal/inside.txt", b"x")

    listing = as_editor.get(url(f"?prefix={key_prefix}")).content.decode()
    assert "invoice[U+202E]fdp.exe" in listing and "pay[U+200B]pal/" in listing
    assert "\u202e" not in _text_outside_key_attributes(listing)
    assert "\u200b" not in _text_outside_key_attributes(listing)
    assert f'value="{key_prefix}{SPOOF}"' in listing  # the selection still names the real key
    assert quote(key_prefix + SPOOF, safe="") in listing  # and so do the links

    page = as_editor.get(url("object/?key=" + quote(key_prefix + SPOOF, safe=""))).content.decode()
    assert "<h1 class=\"object-name\">invoice[U+202E]fdp.exe</h1>" in page
    assert "\u202e" not in _text_outside_key_attributes(page)
    assert f'data-copy="{key_prefix}{SPOOF}"' in page  # Copy key copies the key itself

    folder = as_editor.get(url("?prefix=" + quote(key_prefix + "pay\u200bpal/", safe=""))).content.decode()
    assert "\u200b" not in _text_outside_key_attributes(folder)
    assert "pay[U+200B]pal" in folder  # the title, the heading and the breadcrumb


def test_a_storage_problem_naming_a_key_writes_out_its_invisible_characters(as_editor, key_prefix):
    page = as_editor.get(url("object/?key=" + quote(key_prefix + "gone\u202etxt.exe", safe=""))).content.decode()
    assert "gone[U+202E]txt.exe" in page
    assert "\u202e" not in _text_outside_key_attributes(page)


def test_unfinished_uploads_are_kept_per_person(as_editor, users, key_prefix):
    """The uploader's resume store is named by person and connection: the next person on a shared browser is
    not offered the last one's files (sign-out also clears the browser's storage)."""
    page = as_editor.get(url(f"?prefix={key_prefix}")).content.decode()
    config = json.loads(re.search(r'<script id="upload-config" type="application/json">(.*?)</script>', page).group(1))
    assert config["user"] == users["editor"].pk
