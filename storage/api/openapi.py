"""The OpenAPI 3.0 description of `/api/ossgateway/v1/`, served as `openapi.json`."""

from __future__ import annotations

from functools import lru_cache

from django.http import HttpRequest
from django.utils.translation import gettext as _

from storage.api.errors import NO_SUCH_ENDPOINT, ApiError
from storage.api.handler import api_view, json_answer
from storage.api.scope import NONE
from storage.gateway import DEFAULT_URL_EXPIRES, MAX_URL_EXPIRES
from storage.s3.gateway import MAX_PARTS

PREFIX = "/api/ossgateway/v1"

KEY_RULE = (
    "The object key: the rest of the path, percent-decoded exactly once and read as UTF-8. "  # i18n: not shown (the OpenAPI description stays English)
    "'/' separates segments (so does '%2F'); send a literal '%', '?' or '#' as '%25', '%3F', '%23'; "
    "'+' is a plus; escaped bytes that are not UTF-8 stay as '%XX'. The key must not be empty, start with '/', hold '//', a '.' or '..' segment, '\\\\' "
    "or control characters, and must fit in 1,024 UTF-8 bytes; otherwise the answer is 400."
)


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict:
    words = {400: "Bad input", 401: "No or bad token",  # i18n: not shown (the OpenAPI description stays English)
             403: "Token not allowed (storage scope, expired, revoked; code 403031002: a write with a read-only "  # i18n: not shown (the OpenAPI description stays English)
                  "token)",
             404: "Unknown storage or object, or a key outside the token's folder", 409: "Inconsistent data", 501: "Not supported by the storage",  # i18n: not shown (the OpenAPI description stays English)
             502: "The storage refused", 503: "The storage is unreachable"}  # i18n: not shown (the OpenAPI description stays English)
    return {str(s): _json(_ref("Error"), words[s]) for s in statuses}


def _query(name: str, schema: dict, description: str, *, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "schema": schema, "description": description}


STORAGE = {"name": "storage_id", "in": "path", "required": True, "description": "A connection name.",
           "schema": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$"}, "example": "primary"}
KEY = {"name": "key", "in": "path", "required": True, "description": KEY_RULE,
       "schema": {"type": "string", "minLength": 1, "maxLength": 1024}, "example": "reports/2026/a.txt"}
INTERNAL = _query("internal_request", {"type": "string", "enum": ["true", "false", "True", "False", "1", "0"]},
                  "Sign for the connection's internal endpoint (true) or its public one (false, the default).")  # i18n: not shown (the OpenAPI description stays English)
EXPIRES = _query("Expires", {"type": "integer", "minimum": 1, "maximum": MAX_URL_EXPIRES},
                 f"Lifetime of the signature in seconds, 1 to 7 days; {DEFAULT_URL_EXPIRES} when absent.")  # i18n: not shown (the OpenAPI description stays English)
UPLOAD_ID = _query("upload_id", {"type": "string", "minLength": 1, "maxLength": 1024}, "The multipart upload id.",  # i18n: not shown (the OpenAPI description stays English)
                   required=True)
PREFIX_PARAM = _query("prefix", {"type": "string", "maxLength": 1024}, "A key prefix; empty is the bucket's root.")  # i18n: not shown (the OpenAPI description stays English)
ALL_ERRORS = (400, 401, 403, 404, 409, 501, 502, 503)


def _op(summary: str, params: list[dict], ok: dict, *, method: str = "get", body: dict | None = None,
        status: str = "200", tag: str = "protocol") -> dict:
    operation = {"summary": summary, "tags": [tag], "parameters": params,
                 "responses": {status: ok, **_errors(*ALL_ERRORS)}}
    if body is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return {method: operation}


def _signed(summary: str, extra: list[dict] | None = None) -> dict:
    return _op(summary, [STORAGE, KEY, INTERNAL, EXPIRES, *(extra or [])], _json(_ref("SignedRequest"), "Signed"))


SCHEMAS = {
    "Error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "integer", "description": "e.g. 404031002: no default storage"},  # i18n: not shown (the OpenAPI description stays English)
        "message": {"type": "string"}, "cause": {"type": "string"}}},
    "SignedRequest": {"type": "object", "required": ["method", "url", "headers"], "properties": {
        "method": {"type": "string", "enum": ["GET", "PUT", "HEAD", "DELETE", "POST"]},
        "url": {"type": "string"},
        "headers": {"type": "object", "additionalProperties": {"type": "string"}},
        "request_body": {"type": "string", "description": "The body to send (CompleteMultipartUpload XML)."}}},  # i18n: not shown (the OpenAPI description stays English)
    "Storage": {"type": "object", "required": ["id", "name", "default", "enabled"], "properties": {
        "id": {"type": "string"}, "name": {"type": "string"}, "default": {"type": "boolean"},
        "enabled": {"type": "boolean"}}},
    "ListPage": {"type": "object", "required": ["prefix", "folders", "objects", "next_token"], "properties": {
        "prefix": {"type": "string"}, "folders": {"type": "array", "items": {"type": "string"}},
        "next_token": {"type": "string", "nullable": True},
        "objects": {"type": "array", "items": {"type": "object", "required": ["key", "size", "etag"], "properties": {
            "key": {"type": "string"}, "size": {"type": "integer"}, "etag": {"type": "string"},
            "last_modified": {"type": "string", "nullable": True}, "storage_class": {"type": "string"}}}}}},
    "CorsRule": {"type": "object", "required": ["allowed_origins", "allowed_methods"], "properties": {
        "allowed_origins": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
        "allowed_methods": {"type": "array", "minItems": 1,
                            "items": {"type": "string", "enum": ["GET", "PUT", "POST", "DELETE", "HEAD"]}},
        **{n: {"type": "array", "items": {"type": "string", "minLength": 1}}
           for n in ("allowed_headers", "expose_headers")},
        "max_age_seconds": {"type": "integer", "minimum": 0, "nullable": True}}},
}

_NO_CONTENT = {"description": "Done"}


def _ext(summary: str, params: list[dict], ok: dict, **kwargs) -> dict:
    return _op("Extension: " + summary, params, ok, tag="extensions", **kwargs)


def _paths() -> dict:
    part_id = _query("part_id", {"type": "integer", "minimum": 1, "maximum": MAX_PARTS}, "First part number.",  # i18n: not shown (the OpenAPI description stays English)
                     required=True)
    part_num = _query("part_num", {"type": "integer", "minimum": 1, "maximum": 1000},
                      "How many consecutive parts to sign (1 when absent).")  # i18n: not shown (the OpenAPI description stays English)
    size = _query("size", {"type": "integer", "minimum": 0}, "The object's size in bytes.")  # i18n: not shown (the OpenAPI description stays English)
    content_type = _query("content_type", {"type": "string", "maxLength": 255}, "Extension: a Content-Type to sign in.")  # i18n: not shown (the OpenAPI description stays English)
    metadata = {"name": "metadata", "in": "query", "style": "form", "explode": True, "required": False,
                "schema": {"type": "object", "additionalProperties": {"type": "string"}},
                "example": {"x-amz-meta-owner": "ann"},
                "description": "Extension: user metadata, one query parameter per entry named x-amz-meta-<name> "  # i18n: not shown (the OpenAPI description stays English)
                               "(S3's rules: token names, no duplicates ignoring case, printable ASCII values, 2 KB "  # i18n: not shown (the OpenAPI description stays English)
                               "in all). upload signs them in (they come back among the headers to send); "  # i18n: not shown (the OpenAPI description stays English)
                               "initmultiupload sets them on the upload and echoes them as `metadata`."}  # i18n: not shown (the OpenAPI description stays English)
    parts_body = {"type": "object", "minProperties": 1, "additionalProperties": {"type": "string", "minLength": 1},
                  "description": 'Part number -> ETag, quotes optional: {"1": "etag"}'}  # i18n: not shown (the OpenAPI description stays English)
    return {
        f"{PREFIX}/default-storage": _op("The default storage", [], _json(  # i18n: not shown (the OpenAPI description stays English)
            {"type": "object", "required": ["storage_id"], "properties": {"storage_id": {"type": "string"}}},
            "The default storage's id; 404 with code 404031002 when there is none")),  # i18n: not shown (the OpenAPI description stays English)
        f"{PREFIX}/objectstorageinfo": _op("The storages", [_query("app", {"type": "string"}, "Ignored (clients send 'as').")],  # i18n: not shown (the OpenAPI description stays English)
                                           _json({"type": "array", "items": _ref("Storage")}, "Storages")),
        f"{PREFIX}/upload/{{storage_id}}/{{key}}": _signed("Sign a single PUT", [  # i18n: not shown (the OpenAPI description stays English)
            _query("request_method", {"type": "string", "enum": ["PUT", "put"]}, "Only PUT."), size, content_type,  # i18n: not shown (the OpenAPI description stays English)
            metadata]),
        f"{PREFIX}/initmultiupload/{{storage_id}}/{{key}}": _op("Start a multipart upload", [  # i18n: not shown (the OpenAPI description stays English)
            STORAGE, KEY, INTERNAL, size, content_type, metadata], _json(
                {"type": "object", "required": ["upload_id", "part_size"],
                 "properties": {"upload_id": {"type": "string"}, "part_size": {"type": "integer"},
                                "metadata": {"type": "object", "additionalProperties": {"type": "string"}}}},
                                                               "The upload id and the part size to use")),  # i18n: not shown (the OpenAPI description stays English)
        f"{PREFIX}/uploadpart/{{storage_id}}/{{key}}": _op("Sign parts", [  # i18n: not shown (the OpenAPI description stays English)
            STORAGE, KEY, INTERNAL, EXPIRES, part_id, part_num, UPLOAD_ID],
            _json({"type": "object", "additionalProperties": _ref("SignedRequest")}, "Part number -> signed PUT")),  # i18n: not shown (the OpenAPI description stays English)
        f"{PREFIX}/completeupload/{{storage_id}}/{{key}}": _op(
            "Sign the completion", [STORAGE, KEY, INTERNAL, EXPIRES, UPLOAD_ID],  # i18n: not shown (the OpenAPI description stays English)
            _json(_ref("SignedRequest"), "A signed POST whose request_body is the CompleteMultipartUpload XML"),  # i18n: not shown (the OpenAPI description stays English)
            method="post", body=parts_body),
        f"{PREFIX}/head/{{storage_id}}/{{key}}": _signed("Sign a HEAD"),
        f"{PREFIX}/download/{{storage_id}}/{{key}}": _signed("Sign a GET (url alone is a shareable link)", [  # i18n: not shown (the OpenAPI description stays English)
            _query("type", {"type": "string", "enum": ["query_string", "header"]}, "Always query_string signing."),
            _query("save_name", {"type": "string", "maxLength": 255}, "A file name for Content-Disposition."),  # i18n: not shown (the OpenAPI description stays English)
            _query("inline", {"type": "string", "enum": ["true", "false"]}, "Extension: inline, not attachment.")]),  # i18n: not shown (the OpenAPI description stays English)
        f"{PREFIX}/delete/{{storage_id}}/{{key}}": _signed("Sign a DELETE"),
        **_ext_paths(),
    }


def _ext_paths() -> dict:
    keys_body = {"type": "object", "required": ["keys"], "properties": {
        "keys": {"type": "array", "maxItems": 1000, "items": {"type": "string"}}}}
    copy_body = {"type": "object", "required": ["source", "dest"], "properties": {
        "source": {"type": "string"}, "dest": {"type": "string"}}}
    cors = {**_ext("Read the bucket's CORS rules", [STORAGE], _json({"type": "array", "items": _ref("CorsRule")}, "Rules")),  # i18n: not shown (the OpenAPI description stays English)
            **_ext("Replace the bucket's CORS rules", [STORAGE], _NO_CONTENT, method="put", status="204",  # i18n: not shown (the OpenAPI description stays English)
                   body={"type": "array", "minItems": 1, "maxItems": 100, "items": _ref("CorsRule")})}
    return {
        f"{PREFIX}/ext/list/{{storage_id}}": _ext("List a prefix, one page", [  # i18n: not shown (the OpenAPI description stays English)
            STORAGE, PREFIX_PARAM, _query("token", {"type": "string"}, "Continuation token."),
            _query("delimiter", {"type": "string", "enum": ["", "/"]}, "'/' (folders) or empty (flat)."),  # i18n: not shown (the OpenAPI description stays English)
            _query("max_keys", {"type": "integer", "minimum": 1, "maximum": 1000}, "Page size."),
            _query("start_after", {"type": "string"}, "Begin after this key (the storage's listing order).")],  # i18n: not shown (the OpenAPI description stays English)
            _json(_ref("ListPage"), "A page")),
        f"{PREFIX}/ext/parts/{{storage_id}}/{{key}}": _ext("List uploaded parts", [STORAGE, KEY, UPLOAD_ID], _json(  # i18n: not shown (the OpenAPI description stays English)
            {"type": "array", "items": {"type": "object", "properties": {
                "part_number": {"type": "integer"}, "etag": {"type": "string"}, "size": {"type": "integer"}}}},
            "Parts")),
        f"{PREFIX}/ext/abort/{{storage_id}}/{{key}}": _ext("Abort a multipart upload", [STORAGE, KEY, UPLOAD_ID],  # i18n: not shown (the OpenAPI description stays English)
                                                           _NO_CONTENT, method="post", status="204"),
        f"{PREFIX}/ext/uploads/{{storage_id}}": _ext("List uploads in progress", [STORAGE, PREFIX_PARAM], _json(  # i18n: not shown (the OpenAPI description stays English)
            {"type": "array", "items": {"type": "object", "properties": {
                "key": {"type": "string"}, "upload_id": {"type": "string"},
                "initiated": {"type": "string", "nullable": True}}}}, "Uploads")),
        f"{PREFIX}/ext/copy/{{storage_id}}": _ext("Copy an object", [STORAGE], _NO_CONTENT, method="post",  # i18n: not shown (the OpenAPI description stays English)
                                                   status="204", body=copy_body),
        f"{PREFIX}/ext/delete/{{storage_id}}": _ext("Delete up to 1,000 objects", [STORAGE], _json(  # i18n: not shown (the OpenAPI description stays English)
            {"type": "object", "required": ["deleted", "errors"], "properties": {
                "deleted": {"type": "array", "items": {"type": "string"}},
                "errors": {"type": "object", "additionalProperties": {"type": "string"}}}}, "What was deleted"),  # i18n: not shown (the OpenAPI description stays English)
            method="post", body=keys_body),
        f"{PREFIX}/ext/health/{{storage_id}}": _ext("Check the bucket is reachable", [  # i18n: not shown (the OpenAPI description stays English)
            STORAGE, _query("timeout", {"type": "integer", "minimum": 1, "maximum": 30}, "Seconds.")],
            _json({"type": "object", "required": ["ok", "detail"], "properties": {
                "ok": {"type": "boolean"}, "latency_ms": {"type": "number", "nullable": True},
                "detail": {"type": "string"}}}, "The report")),  # i18n: not shown (the OpenAPI description stays English)
        f"{PREFIX}/ext/cors/{{storage_id}}": cors,
    }


@lru_cache(maxsize=1)
def schema() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {"title": "OSS Console: OSS Gateway Manager API", "version": "1",
                 "description": "The OSS Gateway Manager protocol served from this console's connections, plus "  # i18n: not shown (the OpenAPI description stays English)
                                "extension endpoints under /ext/. Authenticate with 'Authorization: Bearer "
                                "<service token>'. A token limited to a folder reaches only the keys under it, on the "
                                "connections it names (others are 404; a listing above it shows the way down); a "
                                "folder token is issued only for named connections. A read-only token may only read. "
                                + KEY_RULE},
        "servers": [{"url": "/"}],
        "security": [{"serviceToken": []}],
        "paths": _paths(),
        "components": {"schemas": SCHEMAS, "securitySchemes": {
            "serviceToken": {"type": "http", "scheme": "bearer", "description": "A service token (osc_...)."}}},  # i18n: not shown (the OpenAPI description stays English)
    }


@api_view("GET", access=NONE, authenticated=False)
def schema_view(request: HttpRequest, caller: None):
    return json_answer(schema())


@api_view("GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS", access=NONE,
          authenticated=False)
def no_such_endpoint(request: HttpRequest, caller: None, **kwargs):
    raise ApiError(404, NO_SUCH_ENDPOINT, _("There is no endpoint %(path)s in this API.") % {"path": request.path})
