"""An object's versions (download, preview, restore, delete one for good) and a folder's deleted files (#17).

Who may do what: viewers see versions and deleted files where they may see the file; editors restore a
version or recover a deleted file (both add to the history, nothing is lost); deleting a version for good
is a manager's (of the file's folder or more). Each change is audited with the version it concerned.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from console import audit
from console.access import rules
from console.access.decorators import connection_view
from console.errors import http_status
from console.files.common import (
    DOWNLOAD_URL_SECONDS,
    HtmxHttpRequest,
    breadcrumbs,
    browse_url,
    checked_key,
    object_url,
    parent_prefix,
    signed_redirect,
    with_query,
)
from console.files.selection import folder_param
from console.files.versioning import bucket_settings_url, versioning_of
from console.files.views.read_audit import audited_read
from console.roles import EDITOR, MANAGER, VIEWER
from storage.factory import get_gateway
from storage.gateway import InvalidRequest, ObjectVersion, StorageError, VersionMark
from storage.version_ids import check_version_id

MAX_VERSIONS_SHOWN = 1000
# A file deleted while versioning was suspended hides behind a marker whose id is "null", the id an upload made
# since would take too: removing "null" could delete that upload for good. Its older versions can be restored.
NULL_VERSION = "null"
DELETED_CALLS = 5  # listing calls a page of deleted files may take


def _version_param(data) -> str:
    try:
        return check_version_id(data.get("version", ""))
    except InvalidRequest as e:
        raise Http404(str(e))


def _context(request, connection: str, key: str, **extra) -> dict:
    folder = parent_prefix(key)
    return {"connection": connection, "key": key, "name": key.rsplit("/", 1)[-1], "folder": folder,
            "crumbs": breadcrumbs(connection, folder), **extra}


@require_GET
@connection_view(VIEWER)
def versions(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """The file's versions, newest first: the object page loads this section; without JavaScript, a page."""
    key = checked_key(request, connection, request.GET.get("key", ""), VIEWER)
    state, listed, problem = versioning_of(connection), [], None
    if state.on:
        try:
            listed = get_gateway().list_object_versions(connection, key, limit=MAX_VERSIONS_SHOWN)
        except StorageError as e:
            problem = str(e)
    context = _context(request, connection, key, versioning=state, versions=listed, problem=problem,
                       capped=len(listed) >= MAX_VERSIONS_SHOWN,
                       settings_url=bucket_settings_url(request.user, connection),
                       can_edit=rules.allows(request.user, EDITOR, connection, key),
                       can_manage=rules.allows(request.user, MANAGER, connection, key))
    template = "files/partials/_versions.html" if request.htmx else "files/versions.html"
    return render(request, template, context)


def _signed_version(request: HtmxHttpRequest, connection: str, *, inline: bool) -> HttpResponse:
    key = checked_key(request, connection, request.GET.get("key", ""), VIEWER)
    version_id = _version_param(request.GET)
    name = key.rsplit("/", 1)[-1]
    return signed_redirect(request, connection, name, lambda: get_gateway().get_version_url(
        connection, key, version_id, DOWNLOAD_URL_SECONDS, filename=name, inline=inline, internal=False))


def _signed_version_view(kind: str, *, inline: bool):
    """A redirect to a presigned GET of one version: saved under the file's name, or shown when harmless."""
    @require_GET
    @connection_view(VIEWER)
    @audited_read(kind, 302, params=("version",))
    def view(request: HtmxHttpRequest, connection: str) -> HttpResponse:
        return _signed_version(request, connection, inline=inline)

    return view


version_download = _signed_version_view("object.version_downloaded", inline=False)
version_preview = _signed_version_view("object.version_previewed", inline=True)


@require_POST
@connection_view(EDITOR)
def restore(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """Copy an older version over the file: it becomes the latest, and the history keeps the one it replaced."""
    key = checked_key(request, connection, request.POST.get("key", ""), EDITOR)
    version_id = _version_param(request.POST)
    try:
        new_id = get_gateway().restore_version(connection, key, version_id)
    except StorageError as e:
        messages.error(request, gettext("Could not restore that version: %(problem)s") % {"problem": e})
        return HttpResponseRedirect(object_url("files_object", connection, key))
    audit.record_storage_change(request, "object.version_restored", connection=connection, target=key,
                                version=version_id, new_version=new_id)
    messages.success(request, gettext("Restored the version of %(name)s as the latest.")
                     % {"name": key.rsplit("/", 1)[-1]})
    return HttpResponseRedirect(object_url("files_object", connection, key))


@require_http_methods(["GET", "POST"])
@connection_view(EDITOR)  # then a manager's role at the key: beside their folders, people are told nothing exists
def delete_version(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """Delete one version for good, after a confirmation page (a manager's: it cannot be undone)."""
    data = request.POST if request.method == "POST" else request.GET
    key = checked_key(request, connection, data.get("key", ""), MANAGER)
    version_id = _version_param(data)
    context = _context(request, connection, key, version_id=version_id)
    if request.method == "GET":
        return render(request, "files/confirm_delete_version.html", context)
    try:
        get_gateway().delete_version(connection, key, version_id)
    except StorageError as e:
        return render(request, "files/confirm_delete_version.html", {**context, "problem": str(e)},
                      status=http_status(e))
    audit.record_storage_change(request, "object.version_deleted", connection=connection, target=key,
                                version=version_id)
    messages.success(request, gettext("Deleted one version of %(name)s for good.") % {"name": context["name"]})
    return HttpResponseRedirect(object_url("files_object", connection, key))


@require_GET
@connection_view(VIEWER)
def deleted(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """The folder's deleted files (their latest version is a delete marker), one listing call a page."""
    prefix = folder_param(request.GET.get("prefix", ""))
    after = None
    if request.GET.get("after_key"):
        after = VersionMark(request.GET["after_key"], request.GET.get("after_version", ""))
    # Above a person's own folders there is nothing of theirs to show (listing_limits: only the way down);
    # beside them, nothing exists (404).
    limits = rules.listing_limits(request.user, connection, prefix)
    state = versioning_of(connection)
    context = {"connection": connection, "prefix": prefix, "crumbs": breadcrumbs(connection, prefix),
               "versioning": state, "markers": [], "folders": [], "more": None, "problem": None,
               "back": browse_url(connection, prefix), "settings_url": bucket_settings_url(request.user, connection),
               "can_edit": rules.allows(request.user, EDITOR, connection, prefix)}
    if state.on and limits is None:
        try:
            context.update(_deleted_page(request, connection, prefix, after))
        except StorageError as e:
            context["problem"] = str(e)
    return render(request, "files/deleted.html", context)


def _deleted_page(request, connection: str, prefix: str, after: VersionMark | None) -> dict:
    """Up to DELETED_CALLS listing calls, until one finds a deleted file or a subfolder: S3 pages count every
    version, so a busy folder's first pages can hold none."""
    markers, folders = [], []
    for _ in range(DELETED_CALLS):
        page = get_gateway().list_deleted(connection, prefix, after=after)
        # A key with a "." or ".." segment is not inside a folder grant (rules.covers): each is asked.
        markers += [{"marker": m, "name": m.key[len(prefix):], "recoverable": m.version_id != NULL_VERSION}
                    for m in page.markers if rules.allows(request.user, VIEWER, connection, m.key)]
        folders += [{"prefix": folder, "name": folder[len(prefix):], "url": with_query(request.path, prefix=folder)}
                    for folder in page.folders if rules.allows(request.user, VIEWER, connection, folder)]
        after = page.next
        if markers or folders or after is None:
            break
    more = None
    if page.next is not None:
        more = with_query(request.path, prefix=prefix, after_key=page.next.key, after_version=page.next.version_id)
    return {"markers": markers, "folders": folders, "more": more}


def _latest_marker(connection: str, key: str, version_id: str) -> ObjectVersion | None:
    for version in get_gateway().list_object_versions(connection, key):
        if version.version_id == version_id and version.deleted and version.is_latest:
            return version
    return None


@require_POST
@connection_view(EDITOR)
def recover(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """Bring a deleted file back by removing its delete marker: only that, never a version with bytes."""
    key = checked_key(request, connection, request.POST.get("key", ""), EDITOR)
    version_id = _version_param(request.POST)
    back = with_query(reverse("files_deleted", args=[connection]), prefix=parent_prefix(key))
    said = {"name": key.rsplit("/", 1)[-1]}
    if version_id == NULL_VERSION:
        messages.error(request, gettext(
            "%(name)s was deleted while versioning was suspended, so it cannot be recovered by removing its delete "
            "marker: a file uploaded since would be deleted with it. Open its versions and restore the one you "
            "want.") % said)
        return HttpResponseRedirect(back)
    try:
        if _latest_marker(connection, key, version_id) is None:
            messages.error(request, gettext("%(name)s is not deleted now: nothing to recover.") % said)
            return HttpResponseRedirect(back)
        get_gateway().delete_version(connection, key, version_id)
    except StorageError as e:
        messages.error(request, gettext("Could not recover %(name)s: %(problem)s") % {**said, "problem": e})
        return HttpResponseRedirect(back)
    audit.record_storage_change(request, "object.recovered", connection=connection, target=key, marker=version_id)
    messages.success(request, gettext("Recovered %(name)s.") % said)
    return HttpResponseRedirect(back)
