"""AWS Signature Version 4 for one S3 request with an empty body, in the header (what `direct_copy` sends).

Path-style requests only: the path is sent and signed exactly as built (S3 does not normalise it, and
neither does botocore for S3), every header sent is signed, and the payload is the empty string's hash.
A unit test signs the same request with botocore's own signer and compares the two.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from urllib.parse import quote, urlsplit

from storage.s3.routes import DEFAULT_PORTS

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
ALGORITHM = "AWS4-HMAC-SHA256"


def object_path(base_path: str, bucket: str, key: str) -> str:
    """`/<base>/<bucket>/<key>`, each byte outside S3's unreserved set percent-encoded ('/' kept), as botocore does."""
    return f"{base_path.rstrip('/')}/{quote(bucket, safe='')}/{quote(key, safe='/~')}"


def host_header(url: str) -> str:
    """The Host value for `url`: its host, with the port unless it is the scheme's default."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    return host if port in (None, DEFAULT_PORTS.get(parts.scheme)) else f"{host}:{port}"


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def _canonical_value(value: str) -> str:
    return " ".join(str(value).split())


def sign(method: str, url: str, headers: dict[str, str], *, access_key: str, secret_key: str, region: str,
         now: dt.datetime | None = None) -> dict[str, str]:
    """`headers` plus Host, X-Amz-Date, X-Amz-Content-SHA256 and Authorization, for an empty body."""
    now = now or dt.datetime.now(dt.UTC)
    stamp, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    signed = {"host": host_header(url), "x-amz-date": stamp, "x-amz-content-sha256": EMPTY_SHA256}
    signed.update((name.lower(), _canonical_value(value)) for name, value in headers.items())
    names = sorted(signed)
    canonical = "\n".join([
        method,
        urlsplit(url).path or "/",
        "",  # no query string
        "".join(f"{name}:{signed[name]}\n" for name in names),
        ";".join(names),
        EMPTY_SHA256,
    ])
    scope = f"{day}/{region}/s3/aws4_request"
    to_sign = "\n".join([ALGORITHM, stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = _hmac(_hmac(_hmac(_hmac(f"AWS4{secret_key}".encode(), day), region), "s3"), "aws4_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    authorization = f"{ALGORITHM} Credential={access_key}/{scope}, SignedHeaders={';'.join(names)}, Signature={signature}"
    return {**headers, "Host": signed["host"], "X-Amz-Date": stamp, "X-Amz-Content-SHA256": EMPTY_SHA256,
            "Authorization": authorization}
