"""Browse a connection's folders and files, look at one file, download and preview it."""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_GET

from console.errors import http_status
from console.files.common import (
    DOWNLOAD_URL_SECONDS,
    FileRow,
    HtmxHttpRequest,
    breadcrumbs,
    browse_url,
    can_edit,
    cors_url,
    failure_page,
    folder_name,
    parent_prefix,
    preview_kind,
    row_links,
)
from console.files.selection import folder_param
from console.jobs import services
from console.jobs.models import Job
from console.jobs.panel import panel_context
from console.roles import VIEWER, role_required
from storage.edition import effective_edition
from storage.factory import get_gateway
from storage.gateway import InvalidKey, ObjectNotFound, StorageError
from storage.keys import validate_key

# Rows per page. S3 hands out up to 1,000 keys per call, but a page's cost is its rows:
# 100 keeps the first page of any folder as cheap as that of a folder of 100 (benchmarks/files_list.py).
PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000  # `?limit=` asks for more rows per page, up to S3's own maximum per call


def _limit_from(request: HtmxHttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("limit") or PAGE_SIZE), MAX_PAGE_SIZE))
    except ValueError:
        return PAGE_SIZE


@require_GET
@role_required(VIEWER)
def index(request: HtmxHttpRequest) -> HttpResponse:
    """The connections people can browse."""
    storages, problem = [], None
    try:
        storages = get_gateway().list_storages()
    except StorageError as e:
        problem = str(e)
    return render(request, "files/index.html", {"storages": storages, "problem": problem})


@require_GET
@role_required(VIEWER)
def browse(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """One page (PAGE_SIZE entries) of a folder: one listing call, whatever the folder's size.

    `q` filters by name prefix; `token` continues a listing ("load more" asks htmx for the rows only);
    `limit` asks for up to MAX_PAGE_SIZE rows per page (still one listing call).
    """
    prefix = folder_param(request.GET.get("prefix", ""))
    query = request.GET.get("q", "").strip()
    token = request.GET.get("token") or None
    limit = _limit_from(request)
    edition = effective_edition()  # read once: for the gateway and for the page's footer
    try:
        page = get_gateway(edition).list_objects(connection, prefix + query, token=token, max_keys=limit)
    except InvalidKey as e:
        raise Http404(str(e))
    except StorageError as e:
        return failure_page(request, e, connection, title=folder_name(prefix) or connection)
    context = {
        "connection": connection, "prefix": prefix, "query": query, "token": token,
        "title": folder_name(prefix) or connection,
        "folders": [(p, folder_name(p)) for p in page.folders],
        "rows": [FileRow.of(o) for o in page.objects], "links": row_links(connection),
        "more_url": browse_url(connection, prefix, q=query, token=page.next_token,
                               limit=limit if limit != PAGE_SIZE else None) if page.next_token else None,
        "crumbs": breadcrumbs(connection, prefix), "parent": parent_prefix(prefix) if prefix else None,
        "can_edit": can_edit(request), "edition": edition,
    }
    if request.htmx and token:
        return render(request, "files/partials/_rows.html", context)
    context.update(_folder_size(request, connection, prefix))
    if request.htmx and request.htmx.target == "listing":
        return render(request, "files/partials/_listing.html", context)
    if context["can_edit"]:
        context["upload_config"] = _upload_config(request, connection, prefix)
    context.update(panel_context(request, connection, back=request.get_full_path()))
    context["size_running"] = any(c.job.kind == Job.Kind.FOLDER_SIZE and not c.job.is_finished
                                  and c.job.params.get("items") == [prefix] for c in context["panel"]["cards"])
    return render(request, "files/browse.html", context)


def _folder_size(request: HtmxHttpRequest, connection: str, prefix: str) -> dict:
    """The folder's size as last computed, and whether this person may compute it."""
    return {"folder_size": services.folder_size(connection, prefix),
            "can_size": services.can_start(request.user, Job.Kind.FOLDER_SIZE)}


def _upload_config(request: HtmxHttpRequest, connection: str, prefix: str) -> dict:
    """The widget's settings. The size cap comes with the first "exists" answer (no extra query here)."""
    from django.middleware.csrf import get_token
    from django.urls import reverse

    return {
        "connection": connection, "prefix": prefix, "csrfToken": get_token(request),
        "endpoints": {name: reverse(f"files_s3_{name}", args=[connection])
                      for name in ("params", "multipart", "uploaded", "exists", "cors")},
        "corsUrl": cors_url(connection),
    }


def _key_from(request: HtmxHttpRequest) -> str:
    try:
        return validate_key(request.GET.get("key", ""), allow_folder_marker=False)
    except InvalidKey as e:
        raise Http404(str(e))


@require_GET
@role_required(VIEWER)
def detail(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """A file's metadata, a preview when the browser can show it, and its actions."""
    key = _key_from(request)
    gateway = get_gateway()
    try:
        meta = gateway.get_object_meta(connection, key, internal=True)
    except ObjectNotFound as e:
        return render(request, "files/problem.html", {"connection": connection, "problem": str(e),
                                                      "title": "Not found"}, status=404)
    except StorageError as e:
        return failure_page(request, e, connection, title=key.rsplit("/", 1)[-1])
    name = key.rsplit("/", 1)[-1]
    kind = preview_kind(meta.content_type, name)
    preview_url = None
    if kind:
        try:
            preview_url = gateway.get_download_url(connection, key, DOWNLOAD_URL_SECONDS, filename=name,
                                                   inline=True, internal=False)
        except StorageError:
            kind = None
    context = {
        "connection": connection, "key": key, "name": name, "meta": meta, "preview": kind,
        "preview_url": preview_url, "folder": parent_prefix(key), "crumbs": breadcrumbs(connection, parent_prefix(key)),
        "console_link": request.build_absolute_uri(), "can_edit": can_edit(request),
    }
    return render(request, "files/object.html", context)


def _signed_get(request: HtmxHttpRequest, connection: str, *, inline: bool) -> HttpResponse:
    key = _key_from(request)
    name = key.rsplit("/", 1)[-1]
    gateway = get_gateway()
    try:
        gateway.get_object_meta(connection, key)  # a missing file is a 404 page here, not S3's XML
        url = gateway.get_download_url(connection, key, DOWNLOAD_URL_SECONDS, filename=name, inline=inline,
                                       internal=False)
    except StorageError as e:
        context = {"connection": connection, "problem": str(e), "title": name}
        return render(request, "files/problem.html", context, status=http_status(e))
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@role_required(VIEWER)
def download(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """A redirect to a short-lived presigned GET that saves the file under its own name."""
    return _signed_get(request, connection, inline=False)


@require_GET
@role_required(VIEWER)
def preview(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """Like download, but for showing in the browser (Content-Disposition: inline)."""
    return _signed_get(request, connection, inline=True)
