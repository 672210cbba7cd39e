"""Drive the file manager's signing endpoints like the upload widget does, with real PUTs to S3."""

from __future__ import annotations

import json
from urllib.parse import quote

import requests

CONNECTION = "primary"


def url(path: str, connection: str = CONNECTION) -> str:
    return f"/files/{connection}/{path}"


def post_json(client, path: str, body: dict | None = None):
    return client.post(url(path), json.dumps(body or {}), content_type="application/json")


def with_key(path: str, key: str) -> str:
    return f"{path}?key={quote(key, safe='')}"


def upload_small(client, prefix: str, relative: str, data: bytes, content_type: str = "text/plain") -> str:
    """The single-PUT flow: sign, PUT to S3 with the signed headers, tell the console. Returns the key."""
    answer = post_json(client, "s3/params", {"prefix": prefix, "relativePath": relative, "type": content_type,
                                             "size": len(data)})
    assert answer.status_code == 200, answer.content
    signed = answer.json()
    put = requests.request(signed["method"], signed["url"], data=data, headers=signed["headers"], timeout=30)
    assert put.status_code == 200, put.text
    done = post_json(client, "s3/uploaded", {"key": signed["key"]})
    assert done.status_code == 200, done.content
    return signed["key"]


def start_multipart(client, prefix: str, relative: str, size: int) -> tuple[str, str]:
    answer = post_json(client, "s3/multipart", {"prefix": prefix, "relativePath": relative,
                                                "type": "application/octet-stream", "size": size})
    assert answer.status_code == 200, answer.content
    return answer.json()["uploadId"], answer.json()["key"]


def put_part(client, upload_id: str, key: str, number: int, data: bytes) -> str:
    """Sign one part on the console, PUT it to S3; returns the ETag S3 gave."""
    answer = post_json(client, with_key(f"s3/multipart/{upload_id}/{number}", key))
    assert answer.status_code == 200, answer.content
    signed = answer.json()
    put = requests.put(signed["url"], data=data, headers=signed["headers"], timeout=60)
    assert put.status_code == 200, put.text
    return put.headers["ETag"]


def list_parts(client, upload_id: str, key: str) -> list[dict]:
    answer = client.get(url(with_key(f"s3/multipart/{upload_id}", key)))
    assert answer.status_code == 200, answer.content
    return answer.json()


def complete(client, upload_id: str, key: str, parts: list[tuple[int, str]]):
    body = {"parts": [{"PartNumber": n, "ETag": etag} for n, etag in parts]}
    return post_json(client, with_key(f"s3/multipart/{upload_id}/complete", key), body)
