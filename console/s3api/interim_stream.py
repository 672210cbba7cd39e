"""TEMPORARY (remove at merge with s30-stream): until the gateways take a stream of `size` bytes and `headers`,
read the body into memory and set the headers afterwards. Delete this module and call the gateway directly:
    gateway.put_object(bucket, key, body, size=size, headers=headers, ...)
    gateway.upload_part(bucket, key, upload_id, number, body, size=size, md5=md5)
"""

from __future__ import annotations

from storage import gateway as g


def _streaming_refused(error: TypeError) -> bool:
    return "size" in str(error) or "headers" in str(error)


def _read_all(body, size: int) -> bytes:
    chunks = []
    while chunk := body.read(min(1 << 20, size - sum(map(len, chunks))) or 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def put_object(gateway: g.OssGateway, bucket: str, key: str, body, *, size: int,
               headers: g.ObjectHeaders | None = None, **options) -> str:
    try:
        return gateway.put_object(bucket, key, body, size=size, headers=headers, **options)
    except TypeError as e:
        if not _streaming_refused(e):
            raise
    etag = gateway.put_object(bucket, key, _read_all(body, size), **options)
    if headers is not None:
        gateway.replace_object_headers(bucket, key, headers, if_match=etag)
        etag = gateway.get_object_meta(bucket, key).etag
    return etag


def upload_part(gateway: g.OssGateway, bucket: str, key: str, upload_id: str, number: int, body, *, size: int,
                **options) -> str:
    try:
        return gateway.upload_part(bucket, key, upload_id, number, body, size=size, **options)
    except TypeError as e:
        if not _streaming_refused(e):
            raise
    return gateway.upload_part(bucket, key, upload_id, number, _read_all(body, size), **options)
