"""The site icon (issue #11 item 16): pages name it, and /favicon.ico answers instead of logging a 404."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

pytestmark = pytest.mark.django_db

ICON_LINK = re.compile(r'<link rel="icon" href="(?P<href>[^"]+)" type="image/svg\+xml">')


def _linked_icon(page: str) -> Path:
    """The file behind the page's icon link, found the way static files are."""
    head = page.split("</head>")[0]
    links = ICON_LINK.findall(head)
    assert len(links) == 1, f"expected one icon link in <head>: {links}"
    static_url = "/" + settings.STATIC_URL.lstrip("/")
    assert links[0].startswith(static_url), links[0]
    found = finders.find(links[0].removeprefix(static_url))
    assert found, f"{links[0]} names no static file"
    return Path(found)


def test_favicon_ico_answers_with_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content == Path(finders.find("favicon.svg")).read_bytes()
    assert "max-age=86400" in response["Cache-Control"]
    assert client.head("/favicon.ico").status_code == 200


def test_console_pages_link_an_icon_that_exists(client):
    page = client.get("/accounts/login/").content.decode()  # base.html, the layout of every console page
    assert _linked_icon(page) == Path(finders.find("favicon.svg"))


def test_public_share_pages_link_the_icon_too():
    page = render_to_string("shares/public_base.html")
    assert _linked_icon(page) == Path(finders.find("favicon.svg"))


def test_the_icon_is_plain_svg_the_policy_allows():
    """No script, no inline style, nothing fetched from elsewhere: the CSP has nothing to refuse."""
    root = ElementTree.parse(finders.find("favicon.svg")).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    for element in root.iter():
        assert element.tag.rsplit("}", 1)[-1] not in ("script", "style", "foreignObject", "image", "use")
        assert not any(name == "style" or name.startswith("on") or name.endswith("href") for name in element.attrib)
