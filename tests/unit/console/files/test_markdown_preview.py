"""Markdown from a stored file renders to HTML that cannot run, load or link anything unsafe (issue #16 item 12)."""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from console.files.markdown_preview import MAX_IMAGES, render_markdown, resolve
from tests.fuzz import fuzz

PREVIEW = "/files/main/preview/?key="


def render(text: str, folder: str = "docs/") -> str:
    return render_markdown(text, folder=folder, link_for=lambda key: f"/files/main/object/?key={key}",
                           image_for=lambda key: PREVIEW + key)


def test_it_renders_headings_lists_tables_and_code():
    html = render("# Title\n\n- one\n- **two**\n\n| a | b |\n|--:|---|\n| 1 | 2 |\n\n```\nx < y\n```\n")
    for part in ("<h1>Title</h1>", "<li><strong>two</strong></li>", "<th>b</th>", "<td>2</td>", "x &lt; y"):
        assert part in html
    assert "style=" not in html, "column alignment would be an inline style, which the page's CSP refuses"
    assert '<th class="align-right">a</th>' in html and '<td class="align-right">1</td>' in html


@pytest.mark.parametrize("attack", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle/></svg>",
    "<iframe src=https://evil.example></iframe>",
    '<a href="javascript:alert(1)">x</a>',
    "<style>body{display:none}</style>",
])
def test_raw_html_is_shown_as_text(attack):
    html = render(f"before {attack} after")
    assert "<script" not in html and "<svg" not in html and "<iframe" not in html and "<style" not in html
    assert not re.search(r"<[a-z]+[^>]*\son\w+=", html), html
    assert "&lt;" in html, "the markup is visible as text"


@pytest.mark.parametrize("link", [
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", "java&#x09;script:alert(1)", " javascript:alert(1)",
    "vbscript:msgbox(1)", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "file:///etc/passwd",
    "&#106;avascript:alert(1)",
])
def test_links_to_other_schemes_are_not_links(link):
    html = render(f"[click]({link}) and <{link}>")
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert all(href.startswith("/files/main/object/?key=") for href in hrefs), hrefs  # at most a file's name


def test_http_https_and_mailto_links_stay_and_open_nothing_else():
    html = render("[a](https://example.org/x) [b](http://example.org) [c](mailto:me@example.org)")
    assert 'href="https://example.org/x"' in html and 'href="http://example.org"' in html
    assert 'href="mailto:me@example.org"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_relative_links_open_files_and_folders_of_the_same_connection():
    html = render("[next](next%20page.md) [up](../README.md) [folder](img/) [top](/top.md) [out](../../x)")
    assert 'href="/files/main/object/?key=docs/next page.md"' in html
    assert 'href="/files/main/object/?key=README.md"' in html
    assert 'href="/files/main/object/?key=docs/img/"' in html  # link_for gets the folder's key
    assert 'href="/files/main/object/?key=top.md"' in html
    assert 'href="#"' in html, "a link above the bucket's top leads nowhere"


def test_a_link_with_no_destination_leads_nowhere():
    # href="" is the page itself; the fuzz test below found "[x]()" when it happened to draw it
    for text in ("[x]()", "[x](<>)", "[x]\n\n[x]: <>"):
        assert '<a href="#"' in render(text), text


def test_images_load_only_through_the_console_never_from_other_hosts():
    html = render("![chart](img/chart.png) ![pixel](https://tracker.example/p.gif) ![x](data:image/png;base64,AAAA)"
                  " ![svg](javascript:alert(1))")
    assert f'<img src="{PREVIEW}docs/img/chart.png" alt="chart"' in html
    assert "<img" in html and html.count("<img") == 1
    assert '<a href="https://tracker.example/p.gif" rel="noopener noreferrer nofollow">[image: pixel]</a>' in html
    assert not re.search(r'(src|href)="(data|javascript):', html), "shown as the words typed"


def test_a_document_loads_at_most_a_hundred_images_the_rest_are_their_words():
    # Each image is a request to the console (a HEAD on storage, a signature, an audit row): a 128 KiB file of
    # "![](iN)" made one page view send 12,925 of them
    html = render("".join(f"![n{i}](i{i}.png)" for i in range(MAX_IMAGES + 50)))
    assert html.count("<img") == MAX_IMAGES == 100
    assert f'alt="n{MAX_IMAGES - 1}"' in html and f"[image: n{MAX_IMAGES}]" in html


def test_entities_are_decoded_as_text_never_as_markup():
    html = render("&lt;script&gt;alert(1)&lt;/script&gt; &#60;b&#62;bold&#60;/b&#62; &amp;")
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;bold" in html


def test_deep_nesting_is_cut_short_not_a_crash():
    started = time.monotonic()
    html = render("> " * 5000 + "deep\n\n" + "- " * 3000 + "list\n\n" + "[" * 20000 + "x" + "]" * 20000)
    assert html.count("<blockquote>") <= 20 and html.count("<ul>") <= 20, "nesting stops at 20 levels"
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(("folder", "url", "key"), [
    ("a/b/", "c.md", "a/b/c.md"), ("a/b/", "./c.md", "a/b/c.md"), ("a/b/", "../c.md", "a/c.md"),
    ("a/", "../../c.md", None), ("", "..", None), ("a/", "/x/y.md", "x/y.md"), ("a/", "sub/", "a/sub/"),
    ("a/", "..", ""), ("a/", "r%C3%A9sum%C3%A9.md?x=1#top", "a/résumé.md"),
])
def test_relative_names_resolve_from_the_documents_folder(folder, url, key):
    assert resolve(folder, url) == key


class Tags(HTMLParser):
    """The elements a browser would make of the HTML, with their real attributes (not text that looks like one,
    such as an image's alt text "style=")."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    @classmethod
    def of(cls, html: str) -> list[tuple[str, list]]:
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser.found


def test_the_fuzz_check_reads_attributes_not_text():
    assert Tags.of('<img alt=" style=" src="x">') == [("img", [("alt", " style="), ("src", "x")])]
    assert Tags.of('<p style="x" onclick="y">') == [("p", [("style", "x"), ("onclick", "y")])]


_PIECES = [*"<>\"'&=:;/()[]!#*`\\ \nabcx", "javascript:", "<script>", "onerror=", "data:", "](", "![", "&#", "\t",
           "http://", "<svg", "style=", "%0a", "//evil.example/"]


@fuzz
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_no_text_ever_produces_a_script_a_handler_or_an_unsafe_url(text):
    html = render(text)
    for tag, attributes in Tags.of(html):
        assert tag not in ("script", "iframe", "svg", "style", "object", "embed", "form", "input"), html
        assert not [a for a, _v in attributes if a.startswith("on") or a == "style"], (tag, attributes)
    for url in re.findall(r'(?:href|src)="([^"]*)"', html):
        assert url.startswith(("/files/", "http://", "https://", "mailto:", "#", "//")), url
    for src in re.findall(r'<img [^>]*src="([^"]*)"', html):
        assert src.startswith(PREVIEW), src
