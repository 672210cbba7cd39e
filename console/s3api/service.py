"""S3 operations: service (see console.s3api.dispatch.OPERATIONS). PLACEHOLDER: helper s30-reads replaces it."""

from django.http import HttpResponse


def list_buckets(call):
    names = "".join(f"<Bucket><Name>{n}</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket>"
                    for n in call.principal.buckets())
    return HttpResponse(f'<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult><Buckets>{names}</Buckets>'
                        f"</ListAllMyBucketsResult>", content_type="application/xml")
