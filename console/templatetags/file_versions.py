"""`{% deleted_files_link connection prefix as deleted_url %}`: the folder's "Show deleted files", where it can show
any; `{% metadata_editable as editable %}`: whether the object page offers "Edit metadata and tags"."""

from __future__ import annotations

from django import template
from django.urls import reverse

from console.access import rules
from console.files.common import with_query
from console.files.versioning import edits_headers, versioning_of
from console.roles import VIEWER

register = template.Library()


@register.simple_tag(takes_context=True)
def deleted_files_link(context, connection: str, prefix: str) -> str | None:
    """The deleted files page of the folder, for who may see the folder, where the bucket keeps versions."""
    if not rules.allows(context["request"].user, VIEWER, connection, prefix):
        return None
    if not versioning_of(connection).on:
        return None
    return with_query(reverse("files_deleted", args=[connection]), prefix=prefix)


@register.simple_tag
def metadata_editable() -> bool:
    return edits_headers()
