"""Markdown from a stored file, rendered to HTML that cannot run, load or link anything unsafe.

Two layers. markdown-it parses with raw HTML off (a `<script>` is text), links are checked against
the schemes a person may follow (http, https, mailto, or relative), images are never loaded from
other hosts, and relative names point at files of the same connection (through the console, which
checks access). Then nh3 (the Ammonia sanitizer) keeps only the tags and attributes listed here,
whatever the first layer let through: no `style` (the page's CSP allows no inline styles), no
event handlers, no other schemes.
"""

from __future__ import annotations

import itertools
import posixpath
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

import nh3
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt
from markdown_it.token import Token

LINK_SCHEMES = {"http", "https", "mailto"}
MAX_IMAGES = 100  # loaded per document: each one is a request to the console, which asks storage and signs
_TAGS = {"a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img", "li",
         "ol", "p", "pre", "s", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul"}
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
_ALIGN = {"text-align:left": "", "text-align:right": "align-right", "text-align:center": "align-center"}


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False, "maxNesting": 20})
    md.enable(["table", "strikethrough"])
    md.validateLink = lambda url: _scheme(url) in LINK_SCHEMES | {""}
    return md


_MD = _parser()


def _scheme(url: str) -> str:
    return urlsplit(url.strip()).scheme.lower()


def is_relative(url: str) -> bool:
    """A name beside the document (no scheme, no host): `other.md`, `img/a.png`, `../b/`."""
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and bool(parts.path)


def resolve(folder: str, url: str) -> str | None:
    """The key a relative `url` names from a document in `folder` ("" for the bucket's top, a folder key ending
    in "/"); None when it climbs above the bucket. A leading "/" starts from the bucket's top."""
    path = unquote(urlsplit(url).path)
    joined = path.lstrip("/") if path.startswith("/") else folder + path
    normal = posixpath.normpath(joined or ".")
    if normal == ".." or normal.startswith("../"):
        return None
    if normal == ".":
        return ""
    return normal + "/" if path.endswith("/") else normal


def render_markdown(text: str, *, folder: str, link_for: Callable[[str], str],
                    image_for: Callable[[str], str]) -> str:
    """Safe HTML for `text`. `link_for(key)` and `image_for(key)` give the console's URLs for a relative name."""
    tokens = _MD.parse(text)
    first_images = _first(MAX_IMAGES, image_for)
    for token in tokens:
        if token.type in ("th_open", "td_open") and token.attrGet("style"):
            _align_by_class(token)
        if token.children:
            token.children = _rewrite_inline(token.children, folder, link_for, first_images)
    html = _MD.renderer.render(tokens, _MD.options, {})
    return sanitize(html, image_for("") if image_for else "")


def _first(limit: int, image_for: Callable[[str], str]) -> Callable[[str], str | None]:
    """`image_for` for the first `limit` images of a document, then None (the image is shown as its words)."""
    given = itertools.count(1)
    return lambda key: image_for(key) if next(given) <= limit else None


def _align_by_class(token: Token) -> None:
    """A table column's alignment as a class: the page's CSP refuses inline styles."""
    align = _ALIGN.get(str(token.attrGet("style")), "")
    token.attrs.pop("style", None)
    if align:
        token.attrSet("class", align)


def _rewrite_inline(children: list[Token], folder: str, link_for, image_for) -> list[Token]:
    kept: list[Token] = []
    for token in children:
        if token.type == "link_open":
            href = str(token.attrGet("href") or "")
            if is_relative(href):
                key = resolve(folder, href)
                token.attrSet("href", link_for(key) if key is not None else "#")
            elif not href.strip():  # "[x]()": no destination, not a link to this very page
                token.attrSet("href", "#")
        elif token.type == "image":
            kept.extend(_image(token, folder, image_for))
            continue
        kept.append(token)
    return kept


def _image(token: Token, folder: str, image_for) -> list[Token]:
    """A relative image loads through the console; any other becomes its words (and a link, for http(s))."""
    src = str(token.attrGet("src") or "")
    key = resolve(folder, src) if is_relative(src) else None
    url = image_for(key) if key else None
    if url:
        token.attrSet("src", url)
        return [token]
    alt = Token("text", "", 0, content=_("[image: %(description)s]") % {"description": token.content or _("no description")})
    if _scheme(src) not in ("http", "https"):
        return [alt]
    opened = Token("link_open", "a", 1, attrs={"href": src})
    return [opened, alt, Token("link_close", "a", -1)]


def sanitize(html: str, image_prefix: str) -> str:
    """Only the listed tags and attributes; images only from `image_prefix` (the console's own preview URL)."""

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            return value if image_prefix and value.startswith(image_prefix) else None
        return value

    return nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=LINK_SCHEMES,
                     allowed_classes={"th": {"align-right", "align-center"}, "td": {"align-right", "align-center"}},
                     link_rel="noopener noreferrer nofollow",  # i18n: not shown (link types)
                     attribute_filter=keep, strip_comments=True)
