"""Every page the permission matrix visits, and the public share pages, in Chinese: no English is left on them.

Each page is asked by each of the matrix's seven kinds of people with `Accept-Language: zh-CN`, the way
the matrix asks it. Its visible text (text, and the attributes people read or hear) is compared with the
English catalog: a word of an English msgid shown on the page is English left behind. Product names
(scripts/i18n_unmarked.py PRODUCT_WORDS) and the world's own data (people's, connections', files' names)
are not words to translate.
"""

from __future__ import annotations

import polib
import pytest

from console.shares import service
from console.shares.models import ShareLink
from tests.catalogs import ROOT
from tests.unit.access_world import PEOPLE
from tests.unit.console.test_permission_matrix import ASKS, MATRIX, Ask, _fill
from tests.unit.i18n.unmarked_checker import checker

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}
PAGES = [r for r in MATRIX if not r.route.startswith(("api/", "django-admin/"))]
# The world's own names: people, the connection, groups, tokens, files (tests/unit/access_world.py).
DATA_WORDS = {*PEOPLE, "primary", "matrix", "team", "team2", "docs", "readme", "logs"}  # and help texts' examples


def english_vocabulary() -> set[str]:
    words = set()
    for catalog in ROOT.glob("locale/zh_Hans/LC_MESSAGES/*.po"):
        for entry in polib.pofile(str(catalog)):
            words.update(checker.english_words(entry.msgid + " " + (entry.msgid_plural or "")))
    return words - DATA_WORDS


class ChinesePageText(checker.VisibleText):
    """A page's text and read-aloud attributes, but not what is marked as another language (the switcher)."""

    def unread(self, attributes: dict) -> bool:
        other_language = attributes.get("lang", "zh-hans").lower() not in ("zh-hans", "zh")
        return other_language or super().unread(attributes)


def english_left(html: str, vocabulary: set[str]) -> list[str]:
    return [" ".join(text.split())[:80] for _line, text in ChinesePageText.of(html)
            if set(checker.english_words(text)) & vocabulary]


def chinese_pages(route, world):
    """(who, response) for each kind of person, asked in Chinese the way the matrix asks."""
    for person in PEOPLE:
        ask = _fill(ASKS.get(route.name) or Ask(), world, person)
        ask = Ask(ask.method, ask.query, ask.form, ask.json, {**(ask.headers or {}), **ZH})
        response = ask.send(world.client(person), route.url(**world.values))
        if response.get("Content-Type", "").startswith("text/html") and not 300 <= response.status_code < 400:
            yield person, response


@pytest.mark.parametrize("route", PAGES, ids=str)
def test_a_page_in_chinese_shows_no_english(route, matrix_world):
    vocabulary = english_vocabulary()
    pages = list(chinese_pages(route, matrix_world))
    english = [who for who, response in pages if "<html" in (html := response.content.decode())
               and '<html lang="zh-hans">' not in html]  # a whole page, not a fragment such as the Jobs panel
    assert not english, f"{route}: not a Chinese page for {english}"  # else nothing on it would be checked
    left = [f"{who} ({response.status_code}): {text}" for who, response in pages
            for text in english_left(response.content.decode(), vocabulary)]
    assert not left, f"{route}: English left on the Chinese page:\n" + "\n".join(left[:30])


@pytest.mark.parametrize("kind, key, password", [
    (ShareLink.Kind.FILE, "docs/readme.txt", ""), (ShareLink.Kind.FOLDER, "docs/", ""),
    (ShareLink.Kind.DROPBOX, "docs/", ""), (ShareLink.Kind.FILE, "docs/readme.txt", "open sesame 42"),
])
def test_the_public_share_pages_in_chinese_show_no_english(kind, key, password, matrix_world, client):
    _share, token = service.create_share(user=matrix_world.people["editor"], kind=kind, connection="primary",
                                         key=key, password=password)
    page = client.get(f"/s/{token}/", headers=ZH)
    assert page.status_code == 200
    assert not english_left(page.content.decode(), english_vocabulary())
    assert not english_left(client.get("/s/not-a-share/", headers=ZH).content.decode(), english_vocabulary())


def test_the_comparison_finds_english_left_on_a_page():
    vocabulary = {"Delete", "file", "Copy", "link"}
    html = ('<html lang="zh-hans"><p>删除文件</p><p>Delete this file?</p><button title="Copy link">⧉</button>'
            '<code>Delete</code><button lang="en">English</button><p translate="no">Delete</p>'
            '<script>var s = "Delete";</script></html>')
    assert english_left(html, vocabulary) == ["Delete this file?", "Copy link"]
