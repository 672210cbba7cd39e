"""Signing endpoints for browser uploads (Uppy's AWS S3 callbacks, at Companion-like paths).

The browser sends the bytes straight to S3; these views only check permission, key and
size, sign, and complete multipart uploads after checking the parts against S3's list.
All answers are JSON; errors are `{"error": "..."}` with a status that fits.
"""

from __future__ import annotations

from dataclasses import replace

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from console import audit
from console.access import rules
from console.access.decorators import connection_settings_view, connection_view
from console.errors import http_status
from console.files import instant, upload_headers
from console.files.common import (
    SIGNED_URL_SECONDS,
    HtmxHttpRequest,
    cors_url,
    json_body,
    json_error,
    max_upload_size,
    object_url,
)
from console.i18n.sentences import joined
from console.roles import EDITOR
from storage import cors
from storage.factory import get_gateway
from storage.gateway import NotSupported, StorageError
from storage.keys import join_key, validate_key, validate_prefix

MAX_EXISTS_CHECK = 100
MAX_BATCH = 100  # parts signed in one request
MAX_PARTS = 10_000  # the S3 protocol's limit


def _sign_ahead(body: dict) -> int:
    try:
        return max(0, min(int(body.get("signParts") or 0), MAX_BATCH))
    except (TypeError, ValueError, OverflowError):
        raise Refused(_("signParts is a whole number."))


def _signed_answer(signed: dict) -> dict:
    return {str(n): {"url": r.url, "headers": r.headers, "expires": r.expires} for n, r in signed.items()}


class Refused(Exception):
    """A request the console will not sign; the message is shown to the person uploading."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def _answer(fn) -> HttpResponse:
    try:
        return fn()
    except Refused as e:
        return json_error(str(e), e.status)
    except Http404 as e:
        return json_error(str(e), 404)
    except PermissionDenied as e:
        return json_error(str(e), 403)
    except StorageError as e:
        return json_error(str(e), http_status(e))


def _upload_key(body: dict) -> str:
    """prefix + relative path (folders dropped keep their structure), validated."""
    prefix = str(body.get("prefix") or "")
    relative = str(body.get("relativePath") or body.get("filename") or "").lstrip("/")
    if not relative:
        raise Refused(_("The file has no name."))
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    validate_prefix(prefix)
    return join_key(prefix, relative)


def _writable(request: HtmxHttpRequest, connection: str, key: str) -> str:
    """`key`, once the person is known to be an editor there (Http404 or PermissionDenied otherwise)."""
    rules.require(request.user, EDITOR, connection, key)
    return key


def _size(body: dict, connection: str) -> int:
    try:
        size = int(body.get("size"))
    except (TypeError, ValueError, OverflowError):
        raise Refused(_("The file's size is missing."))
    if size < 0:
        raise Refused(_("The file's size is negative."))
    _check_cap(size, connection)
    return size


def _check_cap(size: int, connection: str) -> None:
    cap = max_upload_size(connection)
    if cap is not None and size > cap:
        raise Refused(_("The file is %(size)s bytes; this connection accepts at most %(cap)s.")
                      % {"size": number_format(size, force_grouping=True), "cap": number_format(cap, force_grouping=True)},
                      413)


def _hash(body: dict) -> str | None:
    try:
        return instant.claimed_hash(body)
    except instant.BadHash as e:
        raise Refused(str(e))


def _key_param(request: HtmxHttpRequest, connection: str) -> str:
    return _writable(request, connection, validate_key(request.GET.get("key", ""), allow_folder_marker=False))


@require_POST
@connection_view(EDITOR)
def ping(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """`{}` for a signed-in editor: what every signing request costs before it signs (session, CSRF, role).

    The baseline the signing benchmark (benchmarks/bench.py, P5) divides by; it reads no connection.
    """
    return JsonResponse({})


@require_POST
@connection_view(EDITOR)
def params(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """A presigned PUT for a small file, with its type and length signed in."""
    def run():
        body = json_body(request)
        key, size = _writable(request, connection, _upload_key(body)), _size(body, connection)
        headers = upload_headers.chosen(body, str(body.get("type") or "application/octet-stream"))
        if headers.cache_control:
            raise Refused(_("Cache-Control is set on multipart uploads only (the widget sends such files that way)."))
        signed = get_gateway().get_upload_request(connection, key, SIGNED_URL_SECONDS,
                                                  content_type=headers.content_type, size=size, internal=False,
                                                  metadata=instant.metadata(_hash(body)))
        return JsonResponse({"method": signed.method, "url": signed.url, "headers": signed.headers,
                             "expires": signed.expires, "key": key})

    return _answer(run)


@require_POST
@connection_view(EDITOR)
def create_multipart(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    def run():
        body = json_body(request)
        key = _writable(request, connection, _upload_key(body))
        _size(body, connection)
        headers = upload_headers.chosen(body, str(body.get("type") or "application/octet-stream"))
        ahead, metadata = _sign_ahead(body), instant.metadata(_hash(body))
        gateway = get_gateway()
        if headers.cache_control:
            upload_id = gateway.create_multipart_upload_with_headers(connection, key,
                                                                     replace(headers, metadata=metadata or {}))
        else:
            upload_id = gateway.create_multipart_upload(connection, key, content_type=headers.content_type,
                                                        metadata=metadata)
        answer = {"uploadId": upload_id, "key": key}
        if ahead:  # the first parts signed now: one request fewer per batch of parts
            signed = gateway.sign_upload_parts(connection, key, upload_id, range(1, ahead + 1), SIGNED_URL_SECONDS,
                                               internal=False)
            answer["presignedUrls"] = _signed_answer(signed)
        return JsonResponse(answer)

    return _answer(run)


@require_http_methods(["GET", "DELETE"])
@connection_view(EDITOR)
def multipart(request: HtmxHttpRequest, connection: str, upload_id: str) -> HttpResponse:
    """GET: the parts S3 holds (to resume); DELETE: abort the upload."""
    def run():
        key = _key_param(request, connection)
        gateway = get_gateway()
        if request.method == "DELETE":
            gateway.abort_multipart_upload(connection, key, upload_id)
            audit.record_storage_change(request, "upload.aborted", connection=connection, target=key)
            return JsonResponse({})
        parts = gateway.list_parts(connection, key, upload_id)
        return JsonResponse([{"PartNumber": p.part_number, "ETag": f'"{p.etag}"', "Size": p.size}
                             for p in parts], safe=False)

    return _answer(run)


@require_POST
@connection_view(EDITOR)
def sign_part(request: HtmxHttpRequest, connection: str, upload_id: str, part_number: int) -> HttpResponse:
    def run():
        signed = get_gateway().sign_upload_part(connection, _key_param(request, connection), upload_id, part_number,
                                                SIGNED_URL_SECONDS, internal=False)
        return JsonResponse({"url": signed.url, "headers": signed.headers, "expires": signed.expires})

    return _answer(run)


@require_POST
@connection_view(EDITOR)
def sign_parts(request: HtmxHttpRequest, connection: str, upload_id: str) -> HttpResponse:
    """Sign several parts in one request (the widget asks for the next few at once)."""
    def run():
        numbers = json_body(request).get("parts")
        if not isinstance(numbers, list) or not 0 < len(numbers) <= MAX_BATCH:
            raise Refused(_("Give between 1 and %(most)s part numbers.") % {"most": MAX_BATCH})
        try:
            numbers = sorted({int(n) for n in numbers})
        except (TypeError, ValueError, OverflowError):
            raise Refused(_("Part numbers are whole numbers."))
        if numbers[0] < 1 or numbers[-1] > MAX_PARTS:
            raise Refused(_("Part numbers run from 1 to %(most)s.") % {"most": MAX_PARTS})
        signed = get_gateway().sign_upload_parts(connection, _key_param(request, connection), upload_id, numbers,
                                                 SIGNED_URL_SECONDS, internal=False)
        return JsonResponse({"presignedUrls": _signed_answer(signed)})

    return _answer(run)


def _claimed_parts(body: dict) -> dict[int, str]:
    parts = body.get("parts")
    if not isinstance(parts, list) or not parts:
        raise Refused(_("No parts were given."))
    claimed: dict[int, str] = {}
    for part in parts:
        try:
            number, etag = int(part["PartNumber"]), str(part["ETag"]).strip().strip('"')
        except (TypeError, KeyError, ValueError, OverflowError):
            raise Refused(_("Each part needs a PartNumber and an ETag."))
        if number in claimed:
            raise Refused(_("Part %(number)s is listed twice.") % {"number": number})
        claimed[number] = etag
    return claimed


@require_POST
@connection_view(EDITOR)
def complete(request: HtmxHttpRequest, connection: str, upload_id: str) -> HttpResponse:
    """Complete only when the parts given are exactly the parts S3 holds (numbers and ETags)."""
    def run():
        key = _key_param(request, connection)
        claimed = _claimed_parts(json_body(request))
        gateway = get_gateway()
        stored = {p.part_number: p for p in gateway.list_parts(connection, key, upload_id)}
        if set(claimed) != set(stored):
            missing = sorted(set(claimed) ^ set(stored))
            raise Refused(_("The parts given do not match the parts stored (parts %(parts)s).")
                          % {"parts": missing[:10]}, 409)
        wrong = sorted(n for n, etag in claimed.items() if etag != stored[n].etag)
        if wrong:
            raise Refused(_("The ETag of part %(number)s does not match what the storage holds.")
                          % {"number": wrong[0]}, 409)
        size = sum(p.size for p in stored.values())
        try:
            _check_cap(size, connection)
        except Refused:
            gateway.abort_multipart_upload(connection, key, upload_id)
            raise
        etag = gateway.complete_multipart_upload(connection, key, upload_id, sorted(claimed.items()))
        audit.record_storage_change(request, "upload.completed", connection=connection, target=key, size=size,
                                    parts=len(stored), etag=etag)
        instant.remember(connection, key, lambda: gateway.get_object_meta(connection, key))
        return JsonResponse({"key": key, "etag": etag, "location": object_url("files_object", connection, key)})

    return _answer(run)


@require_POST
@connection_view(EDITOR)
def uploaded(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """A single-PUT upload finished: check it is there and record it."""
    def run():
        key = _writable(request, connection,
                        validate_key(str(json_body(request).get("key") or ""), allow_folder_marker=False))
        meta = get_gateway().get_object_meta(connection, key)
        audit.record_storage_change(request, "upload.completed", connection=connection, target=key,
                                    size=meta.size, etag=meta.etag)
        instant.remember(connection, key, lambda: meta)
        return JsonResponse({"key": key, "size": meta.size, "location": object_url("files_object", connection, key)})

    return _answer(run)


@require_POST
@connection_view(EDITOR)
def instant_copy(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """Before an upload of a hashed file: `{"copied": true}` when the storage copied the same bytes to its key
    from an object the person may read (console.files.instant), else `{"copied": false}`: upload it.

    Nothing else is said: not whether the bytes are stored where the person may not look, nor where they were.
    """
    def run():
        body = json_body(request)
        key, size, sha256 = _writable(request, connection, _upload_key(body)), _size(body, connection), _hash(body)
        if sha256 is None:
            raise Refused(_("The file's SHA-256 is missing."))
        headers = upload_headers.chosen(body, str(body.get("type") or "application/octet-stream"))
        etag = instant.copy_if_stored(request.user, connection, key, size, sha256, headers)
        if etag is None:
            return JsonResponse({"copied": False})
        audit.record_storage_change(request, "upload.completed", connection=connection, target=key, size=size,
                                    etag=etag, instant=True)
        return JsonResponse({"copied": True, "key": key, "location": object_url("files_object", connection, key)})

    return _answer(run)


@require_POST
@connection_view(EDITOR)
def exists(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """Which of the keys a drop would create exist already (to warn before overwriting), and the size cap."""
    def run():
        body = json_body(request)
        paths = body.get("paths") if isinstance(body.get("paths"), list) else []
        gateway, existing = get_gateway(), []
        for path in paths[:MAX_EXISTS_CHECK]:
            try:
                key = _writable(request, connection, _upload_key({"prefix": body.get("prefix"), "relativePath": path}))
                gateway.get_object_meta(connection, key)
            except (StorageError, Refused, Http404, PermissionDenied):
                continue  # not found, not a valid key, or not theirs to write (the upload itself will say why)
            existing.append(path)
        return JsonResponse({"existing": existing, "checked": min(len(paths), MAX_EXISTS_CHECK),
                             "maxSize": max_upload_size(connection)})

    return _answer(run)


@require_GET
@connection_settings_view()
def cors_status(request: HtmxHttpRequest, connection: str) -> HttpResponse:
    """Whether the bucket's CORS rules let this console's origin upload (asked after a failure)."""
    origin = f"{request.scheme}://{request.get_host()}"
    answer = {"origin": origin, "corsUrl": cors_url(request, connection)}
    try:
        rules = get_gateway().get_bucket_cors(connection)
    except NotSupported:
        return JsonResponse({**answer, "ok": None, "detail": _("This edition cannot read the bucket's CORS rules.")})
    except StorageError as e:
        return JsonResponse({**answer, "ok": None, "detail": str(e)})
    result = cors.check(rules, cors.needed_rule([origin]))
    if result.ok:
        detail = _("The bucket's CORS rules allow uploads from this console.")
    elif not rules:
        detail = _("The bucket has no CORS rules (some storages then apply defaults of their own).")
    else:
        detail = joined(result.problems)
    return JsonResponse({**answer, "ok": result.ok, "detail": detail})

