"""The arithmetic of AWS Signature Version 4 for S3: canonical request, string to sign, signing key.

https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html. Pure functions over strings and
the WSGI environ; the decisions (which key, which errors) are console.s3api.auth's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote_plus, unquote_to_bytes, urlsplit

from django.views.decorators.debug import sensitive_variables

ALGORITHM = "AWS4-HMAC-SHA256"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
AMZ_DATE_FORMAT = "%Y%m%dT%H%M%SZ"

# x-amz-content-sha256: a hex SHA-256 of the body, or one of these.
UNSIGNED = "UNSIGNED-PAYLOAD"
STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
PAYLOADS = frozenset({UNSIGNED, STREAMING_SIGNED, STREAMING_SIGNED_TRAILER, STREAMING_UNSIGNED_TRAILER})
_HEX_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


def is_sha256(payload: str) -> bool:
    return bool(_HEX_SHA256.fullmatch(payload))


@dataclass(frozen=True)
class Credential:
    """`AKID/20260101/us-east-1/s3/aws4_request` taken apart."""

    access_key_id: str
    date: str
    region: str
    service: str
    terminal: str

    @property
    def scope(self) -> str:
        return f"{self.date}/{self.region}/{self.service}/{self.terminal}"


def parse_credential(text: str) -> Credential | None:
    parts = text.split("/")
    if len(parts) != 5 or not all(parts):
        return None
    return Credential(*parts)


def parse_authorization(header: str) -> tuple[Credential, list[str], str] | None:
    """(credential, signed header names, signature) of an AWS4-HMAC-SHA256 Authorization header."""
    algorithm, _space, rest = header.strip().partition(" ")
    if algorithm != ALGORITHM:
        return None
    fields = {}
    for item in rest.split(","):
        name, eq, value = item.strip().partition("=")
        if not eq or name in fields:
            return None
        fields[name] = value.strip()
    if set(fields) != {"Credential", "SignedHeaders", "Signature"}:
        return None
    credential = parse_credential(fields["Credential"])
    if credential is None:
        return None
    return credential, fields["SignedHeaders"].split(";"), fields["Signature"]


def parse_amz_date(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text, AMZ_DATE_FORMAT).replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def amz_date(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime(AMZ_DATE_FORMAT)


def canonical_uris(path: str, raw_uri: str = "") -> list[str]:
    """The canonical URIs a client may have signed for the request `path` (as Django decoded it): the path as
    sent, when the server tells it (gunicorn's RAW_URI), then the decoded path encoded as S3 does (each byte
    but the unreserved ones and '/', uppercase hex, nothing normalised)."""
    decoded = path.encode("utf-8")
    uris = []
    if raw_uri:
        sent = urlsplit(raw_uri).path if "://" in raw_uri[:10] else raw_uri.partition("?")[0]
        if unquote_to_bytes(sent) == decoded:  # the path the server routed, as the client spelled it
            uris.append(sent)
    encoded = quote(decoded, safe="/~") or "/"
    if encoded not in uris:
        uris.append(encoded)
    return uris


def _pairs(query_string: str) -> list[tuple[str, str]]:
    pairs = []
    for item in query_string.split("&"):
        if item:
            name, _eq, value = item.partition("=")
            pairs.append((name, value))
    return pairs


def canonical_queries(query_string: str, *, without: str = "") -> list[str]:
    """The canonical query strings a client may have signed: its own encoding of each pair sorted (as botocore
    signs a URL), then each pair decoded and encoded as the spec says. `without` drops one parameter (the
    presigned X-Amz-Signature)."""
    pairs = [(name, value) for name, value in _pairs(query_string) if unquote_plus(name) != without]
    as_sent = "&".join(f"{name}={value}" for name, value in sorted(pairs))
    encoded = sorted((_encode(unquote_plus(name)), _encode(unquote_plus(value))) for name, value in pairs)
    normal = "&".join(f"{name}={value}" for name, value in encoded)
    return [as_sent] if normal == as_sent else [as_sent, normal]


def _encode(text: str) -> str:
    return quote(text, safe="-_.~")


def query_parameters(query_string: str) -> dict[str, str]:
    """The decoded query (first value of each name), for the presigned X-Amz-* parameters."""
    params: dict[str, str] = {}
    for name, value in _pairs(query_string):
        params.setdefault(unquote_plus(name), unquote_plus(value))
    return params


def header_value(environ, name: str) -> str | None:
    """A request header's value as WSGI holds it (None when absent)."""
    if name == "content-type":
        key = "CONTENT_TYPE"
    elif name == "content-length":
        key = "CONTENT_LENGTH"
    else:
        key = "HTTP_" + name.upper().replace("-", "_")
    value = environ.get(key)
    return None if value is None else value.encode("iso-8859-1").decode("utf-8", "replace")


def sent_amz_headers(environ) -> set[str]:
    return {key[5:].lower().replace("_", "-") for key in environ if key.startswith("HTTP_X_AMZ_")}


def canonical_headers(environ, names: list[str]) -> str:
    lines = []
    for name in names:
        value = header_value(environ, name) or ""
        lines.append(f"{name}:{' '.join(value.split())}\n")
    return "".join(lines)


def canonical_request(method: str, uri: str, query: str, headers: str, signed_headers: list[str],
                      payload: str) -> str:
    return "\n".join([method, uri, query, headers, ";".join(signed_headers), payload])


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def string_to_sign(timestamp: str, scope: str, request: str) -> str:
    return "\n".join([ALGORITHM, timestamp, scope, sha256_hex(request.encode("utf-8"))])


def chunk_string_to_sign(timestamp: str, scope: str, previous: str, chunk_sha256: str) -> str:
    return "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", timestamp, scope, previous, EMPTY_SHA256, chunk_sha256])


def trailer_string_to_sign(timestamp: str, scope: str, previous: str, trailer: bytes) -> str:
    return "\n".join(["AWS4-HMAC-SHA256-TRAILER", timestamp, scope, previous, sha256_hex(trailer)])


@sensitive_variables("key")  # kept out of error reports, as every secret and key below
def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


@sensitive_variables("secret", "key")
def signing_key(secret: str, credential: Credential) -> bytes:
    key = _hmac(("AWS4" + secret).encode("utf-8"), credential.date)
    for part in (credential.region, credential.service, credential.terminal):
        key = _hmac(key, part)
    return key


@sensitive_variables("key")
def signature(key: bytes, text: str) -> str:
    return _hmac(key, text).hex()


def same(expected: str, given: str) -> bool:
    """Constant-time comparison of two signatures (hex; case as sent must match, as S3's does)."""
    return hmac.compare_digest(expected.encode("ascii"), given.encode("ascii", "replace"))
