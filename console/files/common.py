"""What the file manager's views share: rows, breadcrumbs, URLs, limits and error answers."""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat, slugify
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django_htmx.middleware import HtmxDetails

from console.access import rules
from console.errors import http_status
from console.roles import EDITOR, MANAGER
from storage.gateway import BucketNotFound, InvalidKey, ObjectSummary, StorageError
from storage.keys import validate_key

SIGNED_URL_SECONDS = 900  # uploads: parts of a large file may wait in the queue a while
DOWNLOAD_URL_SECONDS = 300  # downloads and previews: followed at once


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


# (type prefix, short label on the icon, word for screen readers: English here, the CSS class; translated when shown)
_ICONS = [
    ("image/", "IMG", gettext_noop("image")),
    ("video/", "VID", gettext_noop("video")),
    ("audio/", "AUD", gettext_noop("audio")),
    ("application/pdf", "PDF", "PDF"),
    ("text/", "TXT", gettext_noop("text")),
    ("application/json", "TXT", gettext_noop("text")),
    ("application/zip", "ZIP", gettext_noop("archive")),
    ("application/x-tar", "ZIP", gettext_noop("archive")),
    ("application/gzip", "ZIP", gettext_noop("archive")),
]
TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript", "application/x-yaml")


def guess_type(name: str) -> str:
    return mimetypes.guess_type(name, strict=False)[0] or "application/octet-stream"


def icon_for(name: str) -> tuple[str, str]:
    """A short label and a word for a file's kind, guessed from its name."""
    kind = guess_type(name)
    for start, glyph, word in _ICONS:
        if kind.startswith(start):
            return glyph, word
    return "BIN", gettext_noop("file")


# Files shown as numbered code lines: by name, since browsers and tools label them all text/plain (or worse).
CODE_EXTENSIONS = frozenset(
    ["c", "cc", "cfg", "conf", "cpp", "cs", "css", "go", "h", "hpp", "html", "ini", "java", "js", "jsx", "kt", "lua", "php", "pl", "py", "rb", "rs", "scala", "sh", "sql", "swift", "toml", "ts", "tsx", "xml", "yaml", "yml", "zsh"])
GENERIC_TYPES = ("", "application/octet-stream", "binary/octet-stream")


def preview_kind(content_type: str, name: str) -> str | None:
    """How the object page previews a file: image, video, audio, pdf, markdown, csv, json, code, text, or None."""
    kind = content_type.split(";")[0].strip().lower()
    kind = guess_type(name) if kind in GENERIC_TYPES else kind
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    for start in ("image/", "video/", "audio/"):
        if kind.startswith(start):
            return start[:-1]
    if kind == "application/pdf":
        return "pdf"
    if kind == "text/markdown" or extension in ("md", "markdown"):
        return "markdown"
    if kind in ("text/csv", "text/tab-separated-values") or extension in ("csv", "tsv"):
        return "csv"
    if kind == "application/json" or kind.endswith("+json") or extension == "json":
        return "json"
    if kind.startswith(TEXT_TYPES) or extension in CODE_EXTENSIONS:
        return "code" if extension in CODE_EXTENSIONS else "text"
    return None


@dataclass(frozen=True)
class Crumb:
    label: str
    prefix: str


def breadcrumbs(connection: str, prefix: str) -> list[Crumb]:
    crumbs = [Crumb(connection, "")]
    walked = ""
    for part in prefix.split("/")[:-1] if prefix else []:
        walked += part + "/"
        crumbs.append(Crumb(part, walked))
    return crumbs


def parent_prefix(key: str) -> str:
    """The folder holding `key` ("a/b/c.txt" -> "a/b/", "a/b/" -> "a/")."""
    trimmed = key[:-1] if key.endswith("/") else key
    return trimmed.rsplit("/", 1)[0] + "/" if "/" in trimmed else ""


def folder_name(prefix: str) -> str:
    return prefix[:-1].rsplit("/", 1)[-1] if prefix else ""


def with_query(url: str, **params) -> str:
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


def browse_url(connection: str, prefix: str = "", **params) -> str:
    return with_query(reverse("files_browse", args=[connection]), prefix=prefix, **params)


def object_url(name: str, connection: str, key: str) -> str:
    return with_query(reverse(name, args=[connection]), key=key)


def cors_url(request: HttpRequest, connection: str) -> str | None:
    """The connection's CORS page, for who may open it (a manager of the whole connection)."""
    if not rules.allows(request.user, MANAGER, connection):
        return None
    try:
        return reverse("connection_cors", args=[connection])
    except NoReverseMatch:
        return None


def can_edit(request: HttpRequest, connection: str, key: str) -> bool:
    """Whether the page offers changing things at `key` (a folder, or a file)."""
    return rules.allows(request.user, EDITOR, connection, key)


def can_manage(request: HttpRequest, connection: str) -> bool:
    """Whether the page offers the connection's incomplete uploads (a manager's, of some folder at least)."""
    return rules.at_least(rules.strongest_on(request.user, connection), MANAGER)


def max_upload_size(connection: str) -> int | None:
    """The connection's upload cap (a group's: the smallest of its own and its members'); None when the edition has
    no connection record for it."""
    from storage import record_cache
    from storage.models import Connection

    def cap() -> int | None:
        record = Connection.objects.filter(name=connection).values_list("max_upload_size", "kind", "members").first()
        if record is None:
            return None
        own, kind, members = record
        if kind != "group" or not members:
            return own
        # A group takes no more than any member of it takes: the bytes land on one of them.
        return min([own, *Connection.objects.filter(name__in=members).values_list("max_upload_size", flat=True)])

    return record_cache.cached(f"upload-cap:{connection}", cap)


@dataclass(frozen=True)
class FileRow:
    """One file in a listing, with what its row shows worked out once (pages hold many rows)."""

    summary: ObjectSummary
    glyph: str
    kind: str
    quoted_key: str  # for "?key=" in the row's links
    kind_class: str = ""
    size_text: str = ""
    modified_iso: str = ""
    modified_text: str = ""

    @classmethod
    def of(cls, summary: ObjectSummary) -> FileRow:
        glyph, kind = icon_for(summary.name)
        modified = timezone.localtime(summary.last_modified) if summary.last_modified else None
        return cls(summary, glyph, gettext(kind), quote(summary.key, safe=""), kind_class=slugify(kind),
                   size_text=filesizeformat(summary.size),
                   modified_iso=modified.isoformat() if modified else "",
                   modified_text=modified.strftime("%Y-%m-%d %H:%M") if modified else "")


def row_links(connection: str) -> dict[str, str]:
    """The row actions' URLs without their "?key=", reversed once per page."""
    links = {name: reverse(f"files_{name}", args=[connection]) for name in ("object", "download", "preview", "rename", "delete")}
    links["share"] = f"{reverse('share_new')}?connection={quote(connection, safe='')}&key="
    return links


def failure_page(request: HttpRequest, error: StorageError, connection: str, *, title: str) -> HttpResponse:
    """A gateway error as a page (or, for htmx, a 200 banner partial) naming the cause."""
    context = {"connection": connection, "problem": str(error), "title": title, **_bucket_offer(request, error, connection)}
    if getattr(request, "htmx", False):
        return render(request, "files/partials/_problem.html", context)
    return render(request, "files/problem.html", context, status=http_status(error))


def _bucket_offer(request: HttpRequest, error: StorageError, connection: str) -> dict:
    """A missing bucket can be created: by whom may (a manager of the whole connection), else who can."""
    if not isinstance(error, BucketNotFound):
        return {}
    return {"missing_bucket": True, "can_create_bucket": rules.allows(request.user, MANAGER, connection)}


def checked_key(request: HttpRequest, connection: str, value: str, role: str) -> str:
    """A file's key the person holds `role` at (else 404 when they see nothing there, 403 when too weak)."""
    try:
        key = validate_key(value, allow_folder_marker=False)
    except InvalidKey as e:
        raise Http404(str(e))
    rules.require(request.user, role, connection, key)
    return key


def signed_redirect(request: HttpRequest, connection: str, name: str, sign: Callable[[], str]) -> HttpResponse:
    """A redirect to the presigned URL `sign()` makes, never cached; or the problem page naming why not."""
    try:
        url = sign()
    except StorageError as e:
        return failure_page(request, e, connection, title=name)
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "no-store"
    return response


def json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def json_body(request: HttpRequest) -> dict:
    """The request's JSON object; an empty dict when the body is not one."""
    try:
        value = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError, RecursionError):  # nesting too deep is not an object either
        return {}
    return value if isinstance(value, dict) else {}
