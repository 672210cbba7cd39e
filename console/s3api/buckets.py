"""S3 operations on a bucket (see console.s3api.dispatch.OPERATIONS). A bucket is a connection the key may
reach: it exists already (connections are made in the console), so CreateBucket only answers as S3 does."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _

from console.s3api import listing
from console.s3api.call import Call
from console.s3api.errors import S3Error
from console.s3api.service import owner_of
from console.s3api.xmlout import NAMESPACE, xml_response
from storage.models import Connection

US_EAST_1 = ("", "us-east-1")  # S3 names no location for it


def _region(bucket: str) -> str:
    return Connection.objects.filter(name=bucket).values_list("region", flat=True).first() or ""


def head_bucket(call: Call) -> HttpResponse:
    response = HttpResponse(status=200)
    response["x-amz-bucket-region"] = _region(call.bucket) or "us-east-1"
    response["Content-Length"] = "0"
    return response


def get_bucket_location(call: Call) -> HttpResponse:
    region = _region(call.bucket)
    body = f'<LocationConstraint xmlns="{NAMESPACE}"/>' if region in US_EAST_1 else \
        f'<LocationConstraint xmlns="{NAMESPACE}">{region}</LocationConstraint>'
    return HttpResponse(f'<?xml version="1.0" encoding="UTF-8"?>\n{body}', content_type="application/xml")


def create_bucket(call: Call) -> HttpResponse:
    if call.bucket in call.principal.buckets():
        raise S3Error("BucketAlreadyOwnedByYou", _("Your previous request to create the named bucket succeeded "
                                                   "and you already own it."), BucketName=call.bucket)
    raise S3Error("AccessDenied", _("Buckets are connections, made in the console."))


def _contents(call: Call, page: listing.Page, encode, *, owner: bool) -> list[tuple[str, object]]:
    owner_element = [("Owner", owner_of(call))] if owner else []
    return [("Contents", [("Key", encode(o.key)), ("LastModified", o.last_modified), ("ETag", f'"{o.etag}"'),
                          ("Size", o.size), *owner_element, ("StorageClass", o.storage_class or "STANDARD")])
            for o in page.objects]


def _folders(page: listing.Page, encode) -> list[tuple[str, object]]:
    return [("CommonPrefixes", [("Prefix", encode(folder))]) for folder in page.folders]


def _optional(pairs: list[tuple[str, object]]) -> list[tuple[str, object]]:
    return [(name, value) for name, value in pairs if value not in ("", None)]


def list_objects_v2(call: Call) -> HttpResponse:
    request = listing.read_request(call, after_param="start-after")
    page = listing.list_page(call, request)
    encode = listing.encoder(request)
    return xml_response("ListBucketResult", [
        ("Name", call.bucket), ("Prefix", encode(request.prefix)),
        *_optional([("Delimiter", encode(request.delimiter))]), ("MaxKeys", request.max_keys),
        *_optional([("EncodingType", "url" if request.url_encoded else "")]),
        ("KeyCount", len(page.objects) + len(page.folders)), ("IsTruncated", page.truncated),
        *_optional([("ContinuationToken", request.token), ("NextContinuationToken", page.next_token),
                    ("StartAfter", encode(request.start_after))]),
        *_contents(call, page, encode, owner=call.query.get("fetch-owner") == "true"),
        *_folders(page, encode),
    ])


def list_objects(call: Call) -> HttpResponse:
    request = listing.read_request(call, after_param="marker")
    request.token = ""  # v1 has no continuation tokens: it resumes after its marker
    page = listing.list_page(call, request)
    encode = listing.encoder(request)
    return xml_response("ListBucketResult", [
        ("Name", call.bucket), ("Prefix", encode(request.prefix)), ("Marker", encode(request.start_after)),
        *_optional([("NextMarker", encode(page.last_name()) if page.truncated else "")]),
        ("MaxKeys", request.max_keys), *_optional([("Delimiter", encode(request.delimiter))]),
        ("IsTruncated", page.truncated), *_optional([("EncodingType", "url" if request.url_encoded else "")]),
        *_contents(call, page, encode, owner=True), *_folders(page, encode),
    ])
