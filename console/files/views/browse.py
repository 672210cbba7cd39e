"""Browse a connection's folders and files, look at one file, download and preview it."""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from console.access import rules
from console.access.decorators import connection_view, role_anywhere
from console.errors import http_status
from console.files import gallery, instant, preview_cache, sorted_snapshots, thumbnails
from console.files.common import (
    DOWNLOAD_URL_SECONDS,
    HtmxHttpRequest,
    breadcrumbs,
    browse_url,
    can_edit,
    can_manage,
    cors_url,
    failure_page,
    folder_name,
    object_url,
    parent_prefix,
    preview_kind,
    row_links,
    signed_redirect,
)
from console.files.selection import folder_param
from console.files.shown import Shown, page_links
from console.files.sorted_listing import Sort, read_sorted
from console.files.text_preview import PREVIEW_BYTES, TextPreview, build
from console.files.views.read_audit import audited_read
from console.jobs import services
from console.jobs.models import Job
from console.jobs.panel import panel_context
from console.roles import VIEWER
from storage.edition import effective_edition
from storage.factory import get_gateway
from storage.gateway import InvalidKey, ListPage, ObjectMeta, ObjectNotFound, StorageError
from storage.keys import validate_key

# Rows per page. S3 hands out up to 1,000 keys per call, but a page's cost is its rows:
# 100 keeps the first page of any folder as cheap as that of a folder of 100 (benchmarks/files_list.py).
PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000  # `?limit=` asks for more rows per page, up to S3's own maximum per call
TEXT_KINDS = ("markdown", "csv", "json", "code", "text")  # previews the console reads and renders itself


def _limit_from(request: HtmxHttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("limit") or PAGE_SIZE), MAX_PAGE_SIZE))
    except ValueError:
        return PAGE_SIZE


@require_GET
@role_anywhere(VIEWER)
def index(request: HtmxHttpRequest) -> HttpResponse:
    """The connections a person holds a role on, each opening at their folder."""
    storages, problem = [], None
    try:
        storages = get_gateway().list_storages()
    except StorageError as e:
        problem = str(e)
    visible = set(rules.visible_connections(request.user, among=[s.id for s in storages]))
    rows = [(s, browse_url(s.id, rules.start_prefix(request.user, s.id))) for s in storages if s.id in visible]
    return render(request, "files/index.html", {"rows": rows, "problem": problem})


@require_GET
@connection_view(VIEWER)
def browse(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """One page (PAGE_SIZE entries) of a folder: one listing call by name, whatever the folder's size.

    `q` filters by name prefix; `token` (by name) or `at` (other orders) continues a listing ("load more" asks
    htmx for the rows only); `limit` asks for up to MAX_PAGE_SIZE rows per page; `sort`/`order` sort the whole
    folder (sorted_listing); `view` picks the list or the gallery, remembered.
    """
    prefix = folder_param(request.GET.get("prefix", ""))
    query = request.GET.get("q", "").strip()
    limit, asked, view = _limit_from(request), Sort.of(request.GET), gallery.view_mode(request)
    edition = effective_edition()  # read once: for the gateway and for the page's footer
    try:
        shown = _shown(request, edition, connection, prefix, query, limit, asked)
    except InvalidKey as e:
        raise Http404(str(e))
    except StorageError as e:
        return failure_page(request, e, connection, title=folder_name(prefix) or connection)
    sort = shown.sort  # name order while the person waits to read a folder again
    context = {
        "connection": connection, "prefix": prefix, "query": query, "token": request.GET.get("token") or shown.offset,
        "title": folder_name(prefix) or connection,
        **shown.context(view, lambda key: thumbnails.link(request.user.pk, connection, key)),
        "links": row_links(connection), "sort": sort, "view": view,
        **page_links(connection, prefix, query, sort, asked),
        "crumbs": breadcrumbs(connection, prefix), "parent": parent_prefix(prefix) if prefix else None,
        "can_edit": can_edit(request, connection, prefix), "can_manage": can_manage(request, connection),
        "edition": edition,
    }
    if context["tiles"]:  # under the folder they come from: a filter may hold a "/" and reach a subfolder
        where = {"order": sort.words, "at": shown.offset} if shown.read else {}  # name order: first/last place it
        thumbnails.record_shown(request, connection, folder_of(prefix + query), context["tiles"], **where)
    if request.htmx and context["token"]:
        return render(request, "files/partials/_gallery_tiles.html" if view == "gallery" else "files/partials/_rows.html",
                      context)
    context.update(_folder_size(request, connection, prefix))
    if request.htmx and request.htmx.target == "listing":
        return render(request, "files/partials/_listing.html", context)
    if context["can_edit"]:
        context["upload_config"] = _upload_config(request, connection, prefix)
    context.update(panel_context(request, connection, back=request.get_full_path()))
    context["size_running"] = any(c.job.kind == Job.Kind.FOLDER_SIZE and not c.job.is_finished
                                  and c.job.params.get("items") == [prefix] for c in context["panel"]["cards"])
    return render(request, "files/browse.html", context)


def _shown(request: HtmxHttpRequest, edition, connection: str, prefix: str, query: str, limit: int,
           sort: Sort) -> Shown:
    """The page's entries: one listing call in S3's order (name, A to Z), else the bounded sorted folder's slice."""
    start = prefix + query
    keep = {"q": query, "limit": limit if limit != PAGE_SIZE else None, **sort.params}
    if sort.native:
        page = _listing(request, edition, connection, start, request.GET.get("token") or None, limit)
        more = browse_url(connection, prefix, token=page.next_token, **keep) if page.next_token else None
        return Shown(page.folders, page.objects, more)
    return _sorted_shown(request, edition, connection, prefix, start, limit, sort, keep)


def _sorted_shown(request: HtmxHttpRequest, edition, connection: str, prefix: str, start: str, limit: int,
                  sort: Sort, keep: dict) -> Shown:
    """A slice of the person's reading of the folder: kept (sorted_snapshots), else read now unless they read
    another folder less than READ_GAP_SECONDS ago. `fresh=1` asks for a new reading once the gap has passed."""
    # What the person may see now is part of the owner: a snapshot outlives no grant it was read under. The
    # order is not: each order of a reading is the same entries, sorted again.
    limits = rules.listing_limits(request.user, connection, folder_of(start))
    owner = (connection, start, None if limits is None else tuple(limits))
    person, asked = request.user.pk, request.GET.get("snap") or None
    kept, within = sorted_snapshots.find(person, owner, asked), ""
    whole = sorted_snapshots.find(person, (connection, prefix, owner[2]), asked) if start != prefix else None
    if kept is None and whole is not None and whole.read.complete and "/" not in start[len(prefix):]:
        kept, within = whole, start  # a filter on the folder read whole: no reading of its own
    wait = sorted_snapshots.claim_reading(person) if kept is None or _fresh(request) else 0
    if wait and kept is None:
        return _held(request, edition, connection, prefix, start, limit, keep, wait, sort)
    reused = kept is not None and (wait or not _fresh(request))
    if not reused:
        try:
            read = read_sorted(lambda token, keys: _listing(request, edition, connection, start, token, keys), sort)
        except BaseException:
            sorted_snapshots.release(person)
            raise
        kept = sorted_snapshots.keep(person, owner, read)
    read, offset = kept.sorted(sort, within), _offset_from(request)
    folders, objects, next_at = read.page(offset, limit)
    more = browse_url(connection, prefix, at=next_at, snap=kept.id, **keep) if next_at is not None else None
    return Shown(folders, objects, more, read=read, offset=offset, sort=sort, kept=kept if reused else None,
                 wait=wait or sorted_snapshots.wait_before_reading(person))


def folder_of(start: str) -> str:
    """The folder a listing from `start` (a folder and a filter, which may hold a "/") lists."""
    return start[:start.rfind("/") + 1]


def _fresh(request: HtmxHttpRequest) -> bool:
    """A first page asking for a new reading ("Read the folder again", or the listing refreshed after a change)."""
    return request.GET.get("fresh") == "1" and not request.GET.get("snap")


def _held(request: HtmxHttpRequest, edition, connection: str, prefix: str, start: str, limit: int, keep: dict,
          wait: int, sort: Sort) -> Shown:
    """Inside the person's gap between readings, with nothing kept for this folder: the first page by name
    (one call, what the page says), or for "load more" nothing yet and the same link to ask again."""
    if request.GET.get("snap"):
        return Shown([], [], request.get_full_path(), offset=_offset_from(request), sort=sort, wait=wait, held=sort)
    page = _listing(request, edition, connection, start, None, limit)
    keep = {**keep, **dict.fromkeys(sort.params)}  # the next pages by name too
    more = browse_url(connection, prefix, token=page.next_token, **keep) if page.next_token else None
    return Shown(page.folders, page.objects, more, wait=wait, held=sort)


def _offset_from(request: HtmxHttpRequest) -> int:
    try:
        return max(0, int(request.GET.get("at") or 0))
    except ValueError:
        return 0


def _listing(request: HtmxHttpRequest, edition, connection: str, start: str, token: str | None,
             limit: int) -> ListPage:
    """One page of what the person may see under `start`: the storage's listing, or, above their folders,
    only the folders on the way down to them (no listing at all: no other name can reach the page)."""
    limits = rules.listing_limits(request.user, connection, folder_of(start))
    if limits is None:
        return get_gateway(edition).list_objects(connection, start, token=token, max_keys=limit)
    return ListPage(start, folders=[p for p in limits if p.startswith(start)], objects=[], next_token=None)


def _folder_size(request: HtmxHttpRequest, connection: str, prefix: str) -> dict:
    """The folder's size as last computed, and whether this person may compute it."""
    may = services.can_start(request.user, Job.Kind.FOLDER_SIZE, connection, [prefix])
    return {"folder_size": services.folder_size(connection, prefix) if may else None, "can_size": may}


def _upload_config(request: HtmxHttpRequest, connection: str, prefix: str) -> dict:
    """The widget's settings. The size cap comes with the first "exists" answer (no extra query here)."""
    from django.middleware.csrf import get_token
    from django.templatetags.static import static
    from django.urls import reverse

    return {
        "connection": connection, "prefix": prefix, "csrfToken": get_token(request), "user": request.user.pk,
        "endpoints": {name: reverse(f"files_s3_{name}", args=[connection])
                      for name in ("params", "multipart", "uploaded", "exists", "cors", "instant")},
        "corsUrl": cors_url(request, connection),
        # instant uploads: the browser hashes each file first, in a worker that loads hash-wasm
        "instantUploads": instant.enabled(connection), "hashWorker": static("js/upload_hash_worker.js"),
        "hashLib": static("vendor/hash-wasm.js"),
    }


def _key_from(request: HtmxHttpRequest, connection: str) -> str:
    """The file asked for, which the person may see (else 404, as if it did not exist)."""
    try:
        key = validate_key(request.GET.get("key", ""), allow_folder_marker=False)
    except InvalidKey as e:
        raise Http404(str(e))
    rules.require(request.user, VIEWER, connection, key)
    return key


@require_GET
@connection_view(VIEWER)
@audited_read("object.viewed", 200)
def detail(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """A file's metadata, a preview when the browser can show it, and its actions."""
    key = _key_from(request, connection)
    gateway = get_gateway()
    try:
        meta = gateway.get_object_meta(connection, key, internal=True)
    except ObjectNotFound as e:
        return render(request, "files/problem.html", {"connection": connection, "problem": str(e),
                                                      "title": _("Not found")}, status=404)
    except StorageError as e:
        return failure_page(request, e, connection, title=key.rsplit("/", 1)[-1])
    name = key.rsplit("/", 1)[-1]
    kind = preview_kind(meta.content_type, name)
    preview_url, text = None, None
    if kind in TEXT_KINDS:
        # the language too: the notes and image words are in the page's language
        version = (connection, key, meta.etag, meta.size, meta.last_modified, kind, get_language())
        text = preview_cache.rendered(version, lambda: _text_preview(connection, key, meta, kind),
                                      keep=lambda made: made.kind != "problem")
    elif kind:
        try:
            preview_url = gateway.get_download_url(connection, key, DOWNLOAD_URL_SECONDS, filename=name,
                                                   inline=True, internal=False)
        except StorageError:
            kind = None
    context = {
        "connection": connection, "key": key, "name": name, "meta": meta, "preview": kind,
        "preview_url": preview_url, "text": text, "folder": parent_prefix(key), "crumbs": breadcrumbs(connection, parent_prefix(key)),
        "console_link": request.build_absolute_uri(), "can_edit": can_edit(request, connection, key),
    }
    return render(request, "files/object.html", context)


def _text_preview(connection: str, key: str, meta: ObjectMeta, kind: str) -> TextPreview:
    """The file's first bytes (PREVIEW_BYTES at most, read through the gateway) as the preview card shows them.

    Relative links and images in Markdown point at the connection's own pages, which check access again."""
    data = b""
    try:
        if meta.size:
            with get_gateway().open_object(connection, key, range=(0, min(meta.size, PREVIEW_BYTES) - 1)) as stream:
                data = _first_bytes(stream, PREVIEW_BYTES)
    except StorageError as e:
        return TextPreview("problem", notes=[_("The preview could not be read: %(problem)s") % {"problem": e}])

    def link_for(target: str) -> str:
        return browse_url(connection, target) if target.endswith("/") or not target \
            else object_url("files_object", connection, target)

    return build(kind, data, meta.size, name=key.rsplit("/", 1)[-1], folder=parent_prefix(key), link_for=link_for,
                 image_for=lambda target: object_url("files_preview", connection, target))


def _first_bytes(stream, limit: int) -> bytes:
    """At most `limit` bytes: a storage that ignores the range sends the whole object, which is not all read."""
    chunks, got = [], 0
    while got < limit and (chunk := stream.read(limit - got)):
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


@require_GET
@connection_view(VIEWER)
def thumbnail(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """A gallery tile's picture: a redirect to a presigned GET, without asking the storage about the file first.

    Only for a link the gallery page made (thumbnails.link: the listing said "an image under the cap"), still
    checking access; the page's audit row covers it. The browser keeps the redirect a minute, privately."""
    key = _key_from(request, connection)
    name = key.rsplit("/", 1)[-1]
    if not gallery.is_image(name) or not thumbnails.vouched(request.GET.get("t", ""), request.user.pk, connection,
                                                            key):
        raise Http404(_("Not a thumbnail the gallery showed."))
    try:
        url = get_gateway().get_download_url(connection, key, DOWNLOAD_URL_SECONDS, filename=name, inline=True,
                                             internal=False)
    except StorageError as e:
        return HttpResponse(status=http_status(e))
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = f"private, max-age={thumbnails.CACHE_SECONDS}"
    return response


def _signed_get(request: HtmxHttpRequest, connection: str, *, inline: bool) -> HttpResponse:
    key = _key_from(request, connection)
    name = key.rsplit("/", 1)[-1]
    gateway = get_gateway()

    def sign() -> str:
        gateway.get_object_meta(connection, key)  # a missing file is a 404 page here, not S3's XML
        return gateway.get_download_url(connection, key, DOWNLOAD_URL_SECONDS, filename=name, inline=inline,
                                        internal=False)

    return signed_redirect(request, connection, name, sign)


@require_GET
@connection_view(VIEWER)
@audited_read("object.downloaded", 302)
def download(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """A redirect to a short-lived presigned GET that saves the file under its own name."""
    return _signed_get(request, connection, inline=False)


@require_GET
@connection_view(VIEWER)
@audited_read("object.previewed", 302)
def preview(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """Like download, but for showing in the browser (Content-Disposition: inline)."""
    return _signed_get(request, connection, inline=True)
