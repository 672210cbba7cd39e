"""`/api/ossgateway/v1/`: the OSS Gateway Manager protocol, its extensions and its OpenAPI.

`<storage_id>` is one path segment; `<key>` is the rest of the path (see storage.api.params
for how it is decoded). Anything else under the prefix is a JSON 404, never an HTML page.
"""

from __future__ import annotations

from django.urls import path, re_path, register_converter
from django.urls.converters import PathConverter

from storage.api import ext_views, openapi, views


class KeyConverter(PathConverter):
    """Like `path`, but a key with a line break still reaches the view (and its key rules: a 400)."""

    regex = r"[\s\S]+"


register_converter(KeyConverter, "key")

urlpatterns = [
    path("openapi.json", openapi.schema_view, name="ossgateway-openapi"),
    path("default-storage", views.default_storage, name="ossgateway-default-storage"),
    path("objectstorageinfo", views.object_storage_info, name="ossgateway-storages"),
    path("upload/<str:storage_id>/<key:key>", views.upload, name="ossgateway-upload"),
    path("initmultiupload/<str:storage_id>/<key:key>", views.init_multipart, name="ossgateway-initmultiupload"),
    path("uploadpart/<str:storage_id>/<key:key>", views.upload_part, name="ossgateway-uploadpart"),
    path("completeupload/<str:storage_id>/<key:key>", views.complete_upload, name="ossgateway-completeupload"),
    path("head/<str:storage_id>/<key:key>", views.head, name="ossgateway-head"),
    path("download/<str:storage_id>/<key:key>", views.download, name="ossgateway-download"),
    path("delete/<str:storage_id>/<key:key>", views.delete, name="ossgateway-delete"),
    # Extensions: performed by this server, absent from a genuine commercial manager.
    path("ext/list/<str:storage_id>", ext_views.list_objects, name="ossgateway-ext-list"),
    path("ext/parts/<str:storage_id>/<key:key>", ext_views.list_parts, name="ossgateway-ext-parts"),
    path("ext/abort/<str:storage_id>/<key:key>", ext_views.abort, name="ossgateway-ext-abort"),
    path("ext/uploads/<str:storage_id>", ext_views.list_uploads, name="ossgateway-ext-uploads"),
    path("ext/copy/<str:storage_id>", ext_views.copy, name="ossgateway-ext-copy"),
    path("ext/delete/<str:storage_id>", ext_views.bulk_delete, name="ossgateway-ext-delete"),
    path("ext/health/<str:storage_id>", ext_views.health, name="ossgateway-ext-health"),
    path("ext/cors/<str:storage_id>", ext_views.cors, name="ossgateway-ext-cors"),
    re_path(r"^[\s\S]*$", openapi.no_such_endpoint, name="ossgateway-not-found"),
]
