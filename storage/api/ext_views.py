"""Extension endpoints (`/api/ossgateway/v1/ext/...`): what the console needs beyond the protocol.

The commercial manager has no listing, list-parts, abort, list-uploads, copy, bulk delete,
health or CORS. Unlike the protocol's endpoints these are *performed* by this server,
which answers with plain JSON. A genuine manager answers 404 to them, and
`OssGatewayClient` then says the operation is not supported.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _

from storage.api import params
from storage.api.auth import Caller
from storage.api.errors import bad_request
from storage.api.handler import api_view, json_answer, json_body, no_content
from storage.api.scope import BUCKET, NONE, READ, WRITE
from storage.api.targets import api_gateway
from storage.gateway import CorsRule
from storage.keys import validate_key

MAX_BULK_KEYS = 1000


def _time(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


@api_view("GET", access=READ)
def list_objects(request: HttpRequest, caller: Caller, storage_id: str):
    """A page of keys under `prefix`; a token limited to a folder lists only within it (or the way down to it)."""
    asked, delimiter = params.text(request, "prefix"), params.text(request, "delimiter", max_length=1)
    listed = caller.listing(asked, delimiter)
    if isinstance(listed, list):
        return json_answer({"prefix": asked, "folders": listed, "next_token": None, "objects": []})
    page = api_gateway().list_objects(
        storage_id, listed, token=params.text(request, "token", max_length=4096) or None, delimiter=delimiter,
        max_keys=params.integer(request, "max_keys", default=1000, minimum=1, maximum=1000),
        start_after=params.text(request, "start_after") or None,
    )
    return json_answer({
        "prefix": page.prefix, "folders": page.folders, "next_token": page.next_token,
        "objects": [{"key": o.key, "size": o.size, "etag": o.etag, "last_modified": _time(o.last_modified),
                     "storage_class": o.storage_class} for o in page.objects],
    })


@api_view("GET", access=READ)
def list_parts(request: HttpRequest, caller: Caller, storage_id: str, key: str):
    parts = api_gateway().list_parts(storage_id, key, params.text(request, "upload_id", required=True))
    return json_answer([{"part_number": p.part_number, "etag": p.etag, "size": p.size} for p in parts])


@api_view("POST", access=WRITE)
def abort(request: HttpRequest, caller: Caller, storage_id: str, key: str):
    api_gateway().abort_multipart_upload(storage_id, key, params.text(request, "upload_id", required=True))
    return no_content()


@api_view("GET", access=READ)
def list_uploads(request: HttpRequest, caller: Caller, storage_id: str):
    listed = caller.listing(params.text(request, "prefix"))  # no delimiter: always a prefix to list
    uploads = api_gateway().list_multipart_uploads(storage_id, listed)
    return json_answer([{"key": u.key, "upload_id": u.upload_id, "initiated": _time(u.initiated)}
                        for u in uploads])


@api_view("POST", access=WRITE)
def copy(request: HttpRequest, caller: Caller, storage_id: str):
    body = json_body(request)
    if not isinstance(body, dict) or not all(isinstance(body.get(k), str) for k in ("source", "dest")):
        raise bad_request(_('The body must be {"source": "<key>", "dest": "<key>"}.'))
    source, dest = (caller.reach(validate_key(body[k])) for k in ("source", "dest"))
    api_gateway().copy_object(storage_id, source, dest)
    return no_content()


@api_view("POST", access=WRITE)
def bulk_delete(request: HttpRequest, caller: Caller, storage_id: str):
    body = json_body(request)
    keys = body.get("keys") if isinstance(body, dict) else None
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise bad_request(_('The body must be {"keys": ["<key>", ...]}.'))
    if len(keys) > MAX_BULK_KEYS:
        raise bad_request(_("At most %(most)s keys per call (got %(count)s).") % {"most": MAX_BULK_KEYS, "count": len(keys)})
    for key in keys:  # all or nothing: one key out of reach and none is deleted
        caller.reach(validate_key(key))
    result = api_gateway().delete_objects(storage_id, keys)
    return json_answer({"deleted": result.deleted, "errors": result.errors})


@api_view("GET", access=NONE)
def health(request: HttpRequest, caller: Caller, storage_id: str):
    timeout = params.integer(request, "timeout", default=3, minimum=1, maximum=30)
    report = api_gateway().check_health(storage_id, timeout=float(timeout))
    return json_answer({"ok": report.ok, "latency_ms": report.latency_ms, "detail": report.detail})


@api_view("GET", "PUT", access=BUCKET)
def cors(request: HttpRequest, caller: Caller, storage_id: str):
    gateway = api_gateway()
    if request.method == "PUT":
        gateway.put_bucket_cors(storage_id, _rules_from(json_body(request)))
        return no_content()
    return json_answer([_rule_json(r) for r in gateway.get_bucket_cors(storage_id)])


def _rule_json(rule: CorsRule) -> dict:
    return {"allowed_origins": rule.allowed_origins, "allowed_methods": rule.allowed_methods,
            "allowed_headers": rule.allowed_headers, "expose_headers": rule.expose_headers,
            "max_age_seconds": rule.max_age_seconds}


CORS_METHODS = ("GET", "PUT", "POST", "DELETE", "HEAD")
MAX_CORS_VALUE = 256


def _is_header_text(value: str) -> bool:
    """What an origin or header name can be: visible ASCII, which also keeps the XML well-formed."""
    return len(value) <= MAX_CORS_VALUE and all("!" <= c <= "~" for c in value)
MAX_CORS_RULES = 100


def _rules_from(body) -> list[CorsRule]:
    if not isinstance(body, list) or not 1 <= len(body) <= MAX_CORS_RULES:
        raise bad_request(_("The body must be a JSON list of 1 to %(most)s CORS rules.") % {"most": MAX_CORS_RULES})
    rules = []
    for item in body:
        lists = {name: item.get(name, []) if isinstance(item, dict) else None
                 for name in ("allowed_origins", "allowed_methods", "allowed_headers", "expose_headers")}
        if any(not isinstance(v, list) or not all(isinstance(s, str) and s for s in v) for v in lists.values()):
            raise bad_request(_("Each CORS rule holds lists of strings: allowed_origins, allowed_methods, ..."))
        if any(not _is_header_text(s) for v in lists.values() for s in v):
            raise bad_request(_("CORS origins and headers are visible ASCII characters (no spaces or control "
                                "characters), at most %(most)s each.") % {"most": MAX_CORS_VALUE})
        if not lists["allowed_origins"] or not lists["allowed_methods"]:
            raise bad_request(_("Each CORS rule needs at least one allowed origin and one allowed method."))
        if any(m not in CORS_METHODS for m in lists["allowed_methods"]):
            raise bad_request(_("Allowed methods are %(methods)s.") % {"methods": ", ".join(CORS_METHODS)})
        max_age = item.get("max_age_seconds")
        if max_age is not None and (not isinstance(max_age, int) or isinstance(max_age, bool) or max_age < 0):
            raise bad_request(_("max_age_seconds must be a whole number of seconds."))
        rules.append(CorsRule(max_age_seconds=max_age, **lists))
    return rules
