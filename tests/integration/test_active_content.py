"""A link the console signs never shows active content (HTML, SVG, XML, scripts) as a page on the storage's origin."""

from __future__ import annotations

import pytest
import requests

from console.shares import service
from storage.factory import get_gateway
from tests.integration.files_support import url

pytestmark = pytest.mark.usefixtures("seaweed_connection")

SCRIPT = b"<html><script>document.cookie='csrftoken=stolen'</script></html>"


def put(key: str, data: bytes, content_type: str) -> None:
    get_gateway().simple_upload("primary", key, data, content_type=content_type)


def served(answer) -> requests.Response:
    assert answer.status_code == 302, answer.status_code
    return requests.get(answer["Location"], timeout=10)


@pytest.mark.parametrize("name,stored_as", [
    ("page.html", "text/html"), ("logo.svg", "image/svg+xml"), ("feed.xml", "application/xml"),
    ("app.js", "text/javascript"), ("no-extension", "text/html"), ("page.xhtml", "application/xhtml+xml"),
])
def test_previews_of_active_content_are_attachments(as_viewer, key_prefix, name, stored_as):
    put(key_prefix + name, SCRIPT, stored_as)
    got = served(as_viewer.get(url(f"preview/?key={key_prefix}{name}")))
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert got.headers["Content-Type"] in ("application/octet-stream", "image/svg+xml")
    assert got.content == SCRIPT  # the bytes are intact, just never run


def test_a_harmless_name_is_served_with_its_harmless_type_whatever_was_stored(as_viewer, key_prefix):
    put(key_prefix + "photo.png", SCRIPT, "text/html")  # an editor lied about the type
    got = served(as_viewer.get(url(f"preview/?key={key_prefix}photo.png")))
    assert got.headers["Content-Type"] == "image/png"
    assert got.headers["Content-Disposition"].startswith("inline;")


def test_text_previews_stay_inline_as_plain_text(as_viewer, key_prefix):
    put(key_prefix + "notes.txt", b"hello", "text/html")
    got = served(as_viewer.get(url(f"preview/?key={key_prefix}notes.txt")))
    assert got.headers["Content-Type"].startswith("text/plain") and got.content == b"hello"


def test_share_previews_and_inline_links_never_serve_html_inline(client, users, key_prefix):
    put(key_prefix + "page.html", SCRIPT, "text/html")
    _share, token = service.create_share(user=users["editor"], kind="folder", connection="primary",
                                         key=key_prefix)
    got = served(client.get(f"/s/{token}/preview/?key=page.html"))
    assert got.headers["Content-Disposition"].startswith("attachment;")
    _share, token = service.create_share(user=users["editor"], kind="file", connection="primary",
                                         key=key_prefix + "page.html", inline=True)
    got = served(client.get(f"/s/{token}/download/"))
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert got.headers["Content-Type"] == "application/octet-stream"


def test_service_links_without_a_file_name_are_attachments_too(key_prefix):
    put(key_prefix + "page.html", SCRIPT, "text/html")
    link = get_gateway().get_download_url("primary", key_prefix + "page.html", 60)
    assert requests.get(link, timeout=10).headers["Content-Disposition"].startswith("attachment;")
