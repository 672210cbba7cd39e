"""The OSS Gateway Manager protocol, served from this console's own connections.

Every answer that moves bytes is a *signed request* `{"method", "url", "headers",
"request_body"?}` the caller sends to storage itself; storage ids are connection names.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from storage.api import params
from storage.api.auth import Caller
from storage.api.errors import NO_DEFAULT_STORAGE, ApiError, bad_request
from storage.api.handler import api_view, json_answer, json_body
from storage.api.scope import NONE, READ, WRITE
from storage.api.targets import for_read, for_upload, for_write, handed_out
from storage.connections import storage_infos
from storage.gateway import UploadRequest
from storage.models import CappedMultipartUpload
from storage.s3.gateway import MAX_PARTS, part_size_for
from storage.s3.signing import server_gateway

MAX_PARTS_PER_CALL = 1000
CAPPED_UPLOAD_KEPT = dt.timedelta(days=8)  # part URLs live at most 7 days
UNCAPPED = 5 * 1024**4  # S3's largest object: a connection capped there asks callers for no size


def signed(request: UploadRequest) -> dict:
    body = {"method": request.method, "url": request.url, "headers": dict(request.headers)}
    if request.body is not None:
        body["request_body"] = request.body
    return body


@api_view("GET", access=NONE)
def default_storage(request: HttpRequest, caller: Caller):
    for info in storage_infos(server_gateway().registry):
        if info.default and info.enabled and caller.may_use(info.id):
            return json_answer({"storage_id": info.id})
    raise ApiError(404, NO_DEFAULT_STORAGE, _("No default storage is configured (or available to this caller)."))


@api_view("GET", access=NONE)
def object_storage_info(request: HttpRequest, caller: Caller):
    infos = storage_infos(server_gateway().registry)
    return json_answer([
        {"id": i.id, "name": i.name, "default": i.default, "enabled": i.enabled}
        for i in infos if caller.may_use(i.id)
    ])


def _capped(spec) -> bool:
    return spec.max_upload_size < UNCAPPED


def _write_spec(gateway, storage_id: str, target: str):
    """The spec of the member (or connection) a write goes to, with the cap of what the caller named: a group
    takes no more than any member of it takes, nor more than its own cap."""
    spec = gateway.spec(target)
    if target == storage_id:
        return spec
    return dataclasses.replace(spec, max_upload_size=min(spec.max_upload_size, gateway.spec(storage_id).max_upload_size))


def _size_within_cap(request: HttpRequest, spec) -> int | None:
    """`size`, which a connection with an upload cap requires (and signs in, so S3 holds the caller to it)."""
    capped = _capped(spec)
    if capped and not request.GET.get("size", "").strip():
        raise bad_request(_("This storage accepts uploads of at most %(size)s bytes, so 'size' is required.") % {
            "size": spec.max_upload_size})
    return params.integer(request, "size", minimum=0, maximum=spec.max_upload_size)


@api_view("GET", access=WRITE)
def upload(request: HttpRequest, caller: Caller, storage_id: str, key: str):
    method = request.GET.get("request_method", "PUT").upper()
    if method != "PUT":
        raise bad_request(_("Only request_method=PUT is supported (got '%(method)s').") % {"method": method})
    gateway, target = server_gateway(), for_write(storage_id, key)
    signed_put = gateway.get_upload_request(
        target, key, params.expires(request), internal=params.flag(request, "internal_request"),
        content_type=params.text(request, "content_type", max_length=255) or None,
        size=_size_within_cap(request, _write_spec(gateway, storage_id, target)), metadata=params.metadata(request),
    )
    return json_answer(signed(signed_put))


@api_view("GET", access=WRITE)
def init_multipart(request: HttpRequest, caller: Caller, storage_id: str, key: str):
    gateway, target = server_gateway(), for_write(storage_id, key)
    spec = _write_spec(gateway, storage_id, target)
    size = _size_within_cap(request, spec)
    params.flag(request, "internal_request")  # validated; creating the upload is server-side either way
    content_type = params.text(request, "content_type", max_length=255) or None
    metadata = params.metadata(request)
    upload_id = gateway.create_multipart_upload(target, key, content_type=content_type, metadata=metadata)
    if _capped(spec):  # the declared size fixes each part's length
        CappedMultipartUpload.objects.filter(created_at__lt=timezone.now() - CAPPED_UPLOAD_KEPT).delete()
        CappedMultipartUpload.objects.create(connection=target, key=key, upload_id=upload_id, size=size,
                                             part_size=part_size_for(size))
    # The metadata is echoed: a client can tell this server from a manager that ignored the parameters.
    return json_answer({"upload_id": handed_out(storage_id, target, key, upload_id), "part_size": part_size_for(size),
                        **({"metadata": metadata} if metadata else {})})


@api_view("GET", access=WRITE)
def upload_part(request: HttpRequest, caller: Caller, storage_id: str, key: str):
    first = params.integer(request, "part_id", required=True, minimum=1, maximum=MAX_PARTS)
    count = params.integer(request, "part_num", default=1, minimum=1, maximum=MAX_PARTS_PER_CALL)
    if first + count - 1 > MAX_PARTS:
        raise bad_request(_("Parts %(first)s to %(last)s go beyond part %(most)s.") % {
            "first": first, "last": first + count - 1, "most": MAX_PARTS})
    target, upload_id = for_upload(storage_id, key, params.text(request, "upload_id", required=True))
    expires, internal = params.expires(request), params.flag(request, "internal_request")
    gateway = server_gateway()
    lengths = _part_lengths(_write_spec(gateway, storage_id, target), key, upload_id, range(first, first + count))
    return json_answer({
        str(number): signed(gateway.sign_upload_part(target, key, upload_id, number, expires,
                                                     internal=internal, length=lengths[number]))
        for number in range(first, first + count)
    })


def _part_lengths(spec, key: str, upload_id: str, numbers) -> dict[int, int | None]:
    """Under a cap, each part's exact length from the size declared at initmultiupload; else no length."""
    if not _capped(spec):
        return dict.fromkeys(numbers)
    upload = CappedMultipartUpload.objects.filter(connection=spec.name, key=key, upload_id=upload_id).first()
    if upload is None:
        raise bad_request(_("This storage caps uploads: sign parts only of an upload started with initmultiupload "
                            "and its size."))
    lengths = {number: upload.part_length(number) for number in numbers}
    beyond = [number for number, length in lengths.items() if length is None]
    if beyond:
        raise bad_request(_("Part %(number)s is beyond the %(size)s bytes declared for this upload.") % {
            "number": beyond[0], "size": upload.size})
    return lengths


@api_view("POST", access=WRITE)
def complete_upload(request: HttpRequest, caller: Caller, storage_id: str, key: str):
    target, upload_id = for_upload(storage_id, key, params.text(request, "upload_id", required=True))
    parts = _parts_from(json_body(request))
    gateway = server_gateway()
    _check_stored_size(gateway, target, key, upload_id)
    answer = gateway.sign_complete(target, key, upload_id, parts, params.expires(request),
                                            internal=params.flag(request, "internal_request"))
    return json_answer(signed(answer))


def _check_stored_size(gateway, storage_id: str, key: str, upload_id: str) -> None:
    """A multipart upload's parts go straight to S3: their total is checked before completing."""
    cap = gateway.spec(storage_id).max_upload_size
    if cap >= UNCAPPED:
        return
    stored = sum(part.size for part in gateway.list_parts(storage_id, key, upload_id))
    if stored > cap:
        gateway.abort_multipart_upload(storage_id, key, upload_id)
        raise bad_request(_("The parts hold %(stored)s bytes; this storage accepts at most %(cap)s. The upload was "
                            "aborted.") % {"stored": stored, "cap": cap})


def _parts_from(body) -> list[tuple[int, str]]:
    """`{"1": "etag", ...}` -> [(1, "etag"), ...]; ETag quotes are optional."""
    if not isinstance(body, dict) or not body:
        raise bad_request(_('The body must be a JSON object of part numbers to ETags, e.g. {"1": "etag"}.'))
    parts = []
    for number, etag in body.items():
        if not (isinstance(number, str) and number.isascii() and number.isdigit() and 1 <= int(number) <= MAX_PARTS):
            raise bad_request(_("'%(number)s' is not a part number (1 to %(most)s).") % {"number": number, "most": MAX_PARTS})
        if not isinstance(etag, str) or not etag.strip().strip('"'):
            raise bad_request(_("Part %(number)s needs its ETag as a non-empty string.") % {"number": number})
        parts.append((int(number), etag))
    return parts


@api_view("GET", access=READ)
def head(request: HttpRequest, caller: Caller, storage_id: str, key: str):
    answer = server_gateway().sign_head(for_read(storage_id, key), key, params.expires(request),
                                        internal=params.flag(request, "internal_request"))
    return json_answer(signed(answer))


@api_view("GET", access=READ)
def download(request: HttpRequest, caller: Caller, storage_id: str, key: str):
    kind = request.GET.get("type", "")
    if kind not in ("", "query_string", "header"):
        raise bad_request(_("'type' must be query_string or header (got '%(type)s').") % {"type": kind})
    save_name = params.text(request, "save_name", max_length=255) or None
    url = server_gateway().get_download_url(for_read(storage_id, key), key, params.expires(request), filename=save_name,
                                            inline=params.flag(request, "inline"),
                                            internal=params.flag(request, "internal_request"))
    # Always signed in the query string, so `url` alone is a shareable link for both types.
    return json_answer({"method": "GET", "url": url, "headers": {}})


@api_view("GET", access=WRITE)
def delete(request: HttpRequest, caller: Caller, storage_id: str, key: str):
    answer = server_gateway().sign_delete(for_read(storage_id, key), key, params.expires(request),
                                          internal=params.flag(request, "internal_request"))
    return json_answer(signed(answer))
