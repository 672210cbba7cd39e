"""Edit a file's content type, cache-control, content-disposition, user metadata and tags (#17).

Headers change by a copy of the object onto itself (on a versioned bucket the version before stays), made
only if the file is still the one the form was opened on (its ETag). Tags change in place. Each change is
audited with what it changed; a storage or edition that cannot keep tags hides the field and says why.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from console import audit
from console.access.decorators import connection_view
from console.files.common import (
    HtmxHttpRequest,
    breadcrumbs,
    checked_key,
    failure_page,
    object_url,
    parent_prefix,
)
from console.files.metadata_form import MetadataForm, changes, metadata_text, tags_text
from console.roles import EDITOR
from storage.factory import get_gateway
from storage.gateway import IntegrityFailure, NotSupported, ObjectHeaders, StorageError


def _current(connection: str, key: str) -> tuple[ObjectHeaders, str, dict[str, str] | None, str]:
    """The file's headers, ETag and tags now; tags None (with the reason) when the storage keeps none."""
    gateway = get_gateway()
    headers = gateway.get_object_headers(connection, key)
    etag = gateway.get_object_meta(connection, key).etag
    try:
        return headers, etag, gateway.get_object_tags(connection, key), ""
    except NotSupported as e:
        return headers, etag, None, str(e)


@require_http_methods(["GET", "POST"])
@connection_view(EDITOR)
def edit(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    key = checked_key(request, connection, data.get("key", ""), EDITOR)
    name = key.rsplit("/", 1)[-1]
    try:
        headers, etag, tags, tags_problem = _current(connection, key)
    except StorageError as e:
        return failure_page(request, e, connection, title=_("Metadata of %(name)s") % {"name": name})
    initial = {"content_type": headers.content_type, "cache_control": headers.cache_control,
               "content_disposition": headers.content_disposition, "metadata": metadata_text(headers.metadata),
               "tags": tags_text(tags or {}), "etag": etag}
    form = MetadataForm(request.POST if request.method == "POST" else None, initial=initial, current=headers,
                        tags_supported=tags is not None)
    context = {"connection": connection, "key": key, "name": name, "form": form, "tags_problem": tags_problem,
               "crumbs": breadcrumbs(connection, parent_prefix(key)), "folder": parent_prefix(key)}
    if request.method == "POST" and form.is_valid():
        done: list[str] = []
        try:
            _save(request, connection, key, form, headers, tags, done)
        except StorageError as e:
            context["problem"] = _problem(e, done)
        else:
            messages.success(request, _saved(done, name))
            return HttpResponseRedirect(object_url("files_object", connection, key))
    return render(request, "files/metadata.html", context, status=200)


def _save(request, connection: str, key: str, form: MetadataForm, before: ObjectHeaders,
          tags: dict[str, str] | None, done: list[str]) -> None:
    """Headers first (the copy keeps the tags there were), then tags; `done` names what was saved."""
    gateway, data = get_gateway(), form.cleaned_data
    changed = changes(before, data["headers"])
    if changed:
        gateway.replace_object_headers(connection, key, data["headers"], if_match=data["etag"] or None)
        audit.record_storage_change(request, "object.metadata_changed", connection=connection, target=key,
                                    changes=changed)
        done.append("metadata")
    if tags is not None and data["tags"] != tags:
        gateway.put_object_tags(connection, key, data["tags"])
        audit.record_storage_change(request, "object.tags_changed", connection=connection, target=key,
                                    before=tags, after=data["tags"])
        done.append("tags")


def _saved(done: list[str], name: str) -> str:
    """What the page says after a save that changed `done` ("metadata", "tags", both or neither)."""
    said = {"name": name}
    if done == ["metadata", "tags"]:
        return _("Saved the metadata and tags of %(name)s.") % said
    if done == ["metadata"]:
        return _("Saved the metadata of %(name)s.") % said
    return _("Saved the tags of %(name)s.") % said if done else _("Nothing changed.")


def _problem(error: StorageError, done: list[str]) -> str:
    if isinstance(error, IntegrityFailure):
        return _("The file changed since this page was opened (someone uploaded or edited it), so nothing was "
                 "saved. What you typed is still here: open the file again to see its new metadata first.")
    said = {"problem": error}
    if done == ["metadata"]:  # the tags are saved after the metadata: only the metadata can be saved before a failure
        return _("The metadata were saved; the rest was not: %(problem)s") % said
    return _("Nothing was saved: %(problem)s") % said
