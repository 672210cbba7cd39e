"""The header's navigation: Files, Shares and Jobs as each person may use them, the admin pages in an Admin menu
for those who may open any of them, the current page marked, and the theme applied before the stylesheet."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse


class NavReader(HTMLParser):
    """The Main navigation's links, outside and inside the Admin menu, and its menu buttons."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # inside <nav aria-label="Main"> when > 0
        self.in_menu = False
        self.href_current: tuple[str, bool] | None = None
        self.top: list[str] = []
        self.menu: list[str] = []
        self.current: list[str] = []
        self.buttons: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and attrs.get("aria-label") == "Main":
            self.depth = 1
        elif self.depth and tag == "ul" and attrs.get("class") == "menu-panel":
            self.in_menu = True
        elif self.depth and tag == "a":
            self.href_current = (attrs["href"], attrs.get("aria-current") == "page")
        elif self.depth and tag == "button":
            self.buttons.append(attrs)

    def handle_endtag(self, tag):
        if tag == "nav":
            self.depth = 0
        elif tag == "ul" and self.in_menu:
            self.in_menu = False
        elif tag == "a":
            self.href_current = None

    def handle_data(self, data):
        if self.href_current and data.strip():
            (self.menu if self.in_menu else self.top).append(data.strip())
            if self.href_current[1]:
                self.current.append(data.strip())


def nav_of(client, url: str = "/") -> NavReader:
    reader = NavReader()
    reader.feed(client.get(url).content.decode())
    return reader


ADMIN_PAGES = ["Connections", "Users", "Groups", "Edition", "Import/export", "Service tokens", "S3 keys for services", "Audit log"]


@pytest.mark.parametrize(("person", "top", "menu"), [
    ("admin", ["Files", "Shares", "Jobs"], ADMIN_PAGES),
    ("manager", ["Files", "Shares", "Jobs"], ["Audit log"]),
    ("editor", ["Files", "Shares", "Jobs"], []),
    ("viewer", ["Files", "Jobs"], []),
    ("nogrant", ["Files"], []),
])
def test_each_person_sees_the_pages_they_may_open(matrix_world, person, top, menu):
    nav = nav_of(matrix_world.client(person))
    assert (nav.top, nav.menu) == (top, menu)
    assert [b.get("aria-controls") for b in nav.buttons] == (["admin-menu"] if menu else [])


def test_the_admin_menu_is_a_disclosure_button_and_marks_the_current_page(matrix_world):
    nav = nav_of(matrix_world.client("admin"), reverse("token_list"))
    [button] = nav.buttons
    assert (button["type"], button["aria-expanded"], button["aria-controls"]) == ("button", "false", "admin-menu")
    assert nav.current == ["Service tokens"]
    assert nav_of(matrix_world.client("admin"), reverse("job_list")).current == ["Jobs"]


def test_the_theme_script_runs_before_the_stylesheet_and_is_no_inline_script(matrix_world):
    page = matrix_world.client("viewer").get("/").content.decode()
    head = page[:page.index("</head>")]
    assert head.index("js/head.js") < head.index("css/console.css")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)  # every script has a src (CSP: script-src 'self')
    assert 'data-theme-toggle aria-pressed="false"' in page
