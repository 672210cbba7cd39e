"""Whether two connections reach the same bucket, or the same storage with the same credentials.

What a copy between connections may do: within one bucket, the same keys (a move from one to the
other is a rename); on one storage with one set of credentials, a server-side CopyObject from bucket
to bucket; otherwise the bytes pass through the worker. The credentials are compared here and only
here; nothing about them leaves this module but the route.
"""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from storage.connections import ConnectionSpec
from storage.gateway import SAME_BUCKET, SERVER_SIDE, STREAMED
from storage.s3.client import addressing_style, endpoint_url

DEFAULT_PORTS = {"http": 80, "https": 443}


def normalised_endpoint(spec: ConnectionSpec) -> str:
    """`scheme://host:port/path`, lower-cased, the default port written out; "aws" for AWS's own endpoint."""
    url = endpoint_url(spec.endpoint, spec.use_ssl)
    if url is None:
        return "aws"
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or DEFAULT_PORTS.get(scheme, 0)
    return f"{scheme}://{(parts.hostname or '').lower()}:{port}{parts.path.rstrip('/')}"


def _same_bucket(a: ConnectionSpec, b: ConnectionSpec) -> bool:
    """The same bucket name at the same host, port and path (through http or https, a host serves the same buckets)."""
    return a.bucket == b.bucket and _host(a) == _host(b)


def _host(spec: ConnectionSpec) -> str:
    return normalised_endpoint(spec).split("://", 1)[-1]


def _same_access(a: ConnectionSpec, b: ConnectionSpec) -> bool:
    """One storage, reached the same way, with the same key and secret (compared in constant time)."""
    return (normalised_endpoint(a) == normalised_endpoint(b) and a.access_key_id == b.access_key_id
            and hmac.compare_digest(a.secret_access_key.encode(), b.secret_access_key.encode())
            and addressing_style(a) == addressing_style(b) and (a.region or "us-east-1") == (b.region or "us-east-1")
            and a.verify_ssl == b.verify_ssl)


def copy_route(source: ConnectionSpec, dest: ConnectionSpec) -> str:
    if source.name == dest.name or _same_bucket(source, dest):
        return SAME_BUCKET
    return SERVER_SIDE if _same_access(source, dest) else STREAMED
