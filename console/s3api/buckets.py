"""S3 operations on a bucket (see console.s3api.dispatch.OPERATIONS). A bucket is a connection the key may
reach: it exists already (connections are made in the console), so CreateBucket only answers as S3 does."""

from __future__ import annotations

from django.http import HttpResponse

from console.s3api import listing
from console.s3api.call import Call
from console.s3api.errors import S3Error
from console.s3api.service import owner_of
from console.s3api.xmlout import NAMESPACE, xml_response
from storage.models import Connection

US_EAST_1 = ("", "us-east-1")  # S3 names no location for it
# Error messages stay in S3's English, as S3's own: tools and their users read them (the code is what counts).
ALREADY_YOURS = "Your previous request to create the named bucket succeeded and you already own it."  # i18n: not shown
BUCKETS_ARE_CONNECTIONS = "Buckets are connections, made in the console."  # i18n: not shown


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
        raise S3Error("BucketAlreadyOwnedByYou", ALREADY_YOURS, BucketName=call.bucket)
    raise S3Error("AccessDenied", BUCKETS_ARE_CONNECTIONS)


def _contents(call: Call, page: listing.Page, encode, *, owner: bool) -> list[dict]:
    return [{"Key": encode(o.key), "LastModified": o.last_modified, "ETag": f'"{o.etag}"', "Size": o.size,
             "Owner": owner_of(call) if owner else None, "StorageClass": o.storage_class or "STANDARD"}
            for o in page.objects]


def _folders(page: listing.Page, encode) -> list[dict]:
    return [{"Prefix": encode(folder)} for folder in page.folders]


def _given(text: str) -> str | None:
    """An element S3 writes only when it has a value."""
    return text or None


def list_objects_v2(call: Call) -> HttpResponse:
    request = listing.read_request(call, after_param="start-after")
    page = listing.list_page(call, request)
    encode = listing.encoder(request)
    return xml_response("ListBucketResult", {
        "Name": call.bucket, "Prefix": encode(request.prefix), "Delimiter": _given(encode(request.delimiter)),
        "MaxKeys": request.max_keys, "EncodingType": "url" if request.url_encoded else None,
        "KeyCount": len(page.objects) + len(page.folders), "IsTruncated": page.truncated,
        "ContinuationToken": _given(request.token), "NextContinuationToken": page.next_token,
        "StartAfter": _given(encode(request.start_after)),
        "Contents": _contents(call, page, encode, owner=call.query.get("fetch-owner") == "true"),
        "CommonPrefixes": _folders(page, encode),
    })


def list_objects(call: Call) -> HttpResponse:
    request = listing.read_request(call, after_param="marker")
    request.token = ""  # v1 has no continuation tokens: it resumes after its marker
    page = listing.list_page(call, request)
    encode = listing.encoder(request)
    return xml_response("ListBucketResult", {
        "Name": call.bucket, "Prefix": encode(request.prefix), "Marker": encode(request.start_after),
        "NextMarker": encode(page.last_name()) if page.truncated else None, "MaxKeys": request.max_keys,
        "Delimiter": _given(encode(request.delimiter)), "IsTruncated": page.truncated,
        "EncodingType": "url" if request.url_encoded else None,
        "Contents": _contents(call, page, encode, owner=True), "CommonPrefixes": _folders(page, encode),
    })
