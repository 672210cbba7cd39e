"""AWS Signature V4, checked exactly: the Authorization header and presigned query strings.

The contract the dispatcher and handlers rely on:

    signed = authenticate(request)       # S3Error: InvalidAccessKeyId, SignatureDoesNotMatch, AccessDenied
                                         # (anonymous, revoked, expired, unsigned x-amz-* headers, an expired
                                         # URL), RequestTimeTooSkewed, AuthorizationHeaderMalformed,
                                         # AuthorizationQueryParametersError, InvalidRequest ...
    body = request_body(request, signed) # a file-like: read(n) -> bytes, `length` (the decoded length, None
                                         # when unknown); verifies as it reads and raises S3Error
                                         # (XAmzContentSHA256Mismatch, SignatureDoesNotMatch, BadDigest,
                                         # IncompleteBody, InvalidDigest) before handing on the last bytes.

The arithmetic is in sigv4, aws-chunked decoding in chunked, the checksums in checksums.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass, field
from typing import IO

from django.http import HttpRequest
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from console.s3api import keys, sigv4
from console.s3api.body import request_body as _request_body
from console.s3api.errors import S3Error
from console.s3api.models import AccessKey

MAX_SKEW = dt.timedelta(minutes=15)
MAX_EXPIRES = 604800  # a week, S3's limit for a presigned URL

# x-amz-* headers a presigned URL's user may add unsigned: each is checked against the body itself.
_SELF_CHECKING = ("x-amz-content-sha256", "x-amz-checksum-", "x-amz-sdk-checksum-algorithm", "x-amz-trailer",
                  "x-amz-decoded-content-length")
QUERY_PARAMETERS = ("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders",
                    "X-Amz-Signature")


@dataclass(frozen=True)
class Signed:
    key: AccessKey  # the access key the request is signed with (active: not revoked, not expired)
    payload: str  # x-amz-content-sha256 as sent: a hex SHA-256, UNSIGNED-PAYLOAD, or a STREAMING-* format
    presigned: bool = False
    # What the chunk signatures of a STREAMING-AWS4-HMAC-SHA256-* body chain from.
    signature: str = ""
    timestamp: str = ""
    scope: str = ""
    signing_key: bytes = field(default=b"", repr=False)


@dataclass
class _Claim:
    """What a request says about its signature, before it is checked."""

    credential: sigv4.Credential
    signed_headers: list[str]
    signature: str
    timestamp: str
    payload: str  # the payload line of the canonical request
    presigned: bool


@sensitive_variables("signing_key")
def authenticate(request: HttpRequest) -> Signed:
    environ = request.META
    query = sigv4.query_parameters(environ.get("QUERY_STRING", ""))
    header = environ.get("HTTP_AUTHORIZATION", "")
    presigned = any(name in query for name in QUERY_PARAMETERS)
    if header and presigned:
        raise S3Error("InvalidArgument", "Only one auth mechanism allowed; only the X-Amz-Algorithm query "
                      "parameter, Signature query string parameter or the Authorization header should be specified")
    if header:
        claim = _header_claim(environ, header)
    elif presigned:
        claim = _query_claim(environ, query)
    elif "Signature" in query or "AWSAccessKeyId" in query:
        raise _unsupported()
    else:
        raise S3Error("AccessDenied", "Anonymous requests are not accepted; sign the request with an access key.")
    key = _key(claim.credential.access_key_id)
    signing_key = _verify(request, claim, key)
    _require_active(key)
    keys.note_use(key)
    payload = _presigned_payload(environ) if claim.presigned else claim.payload
    return Signed(key=key, payload=payload, presigned=claim.presigned, signature=claim.signature,
                  timestamp=claim.timestamp, scope=claim.credential.scope, signing_key=signing_key)


def request_body(request: HttpRequest, signed: Signed) -> IO[bytes]:
    return _request_body(request, signed)


def _unsupported() -> S3Error:
    return S3Error("InvalidRequest", "The authorization mechanism you have provided is not supported. "
                   "Please use AWS4-HMAC-SHA256.")


def _header_claim(environ, header: str) -> _Claim:
    if not header.startswith(sigv4.ALGORITHM + " "):
        raise _unsupported()
    parsed = sigv4.parse_authorization(header)
    if parsed is None:
        raise S3Error("AuthorizationHeaderMalformed", "The authorization header is malformed; expecting "
                      "'AWS4-HMAC-SHA256 Credential=<AKID>/<YYYYMMDD>/<region>/s3/aws4_request, "
                      "SignedHeaders=<names>, Signature=<hex>'.")
    credential, signed_headers, signature = parsed
    _check_scope(credential, "AuthorizationHeaderMalformed", "The authorization header is malformed; ")
    moment, timestamp = _request_time(environ)
    if credential.date != timestamp[:8]:
        raise S3Error("AuthorizationHeaderMalformed", "The authorization header is malformed; Invalid credential "
                      "date. Date is not the same as X-Amz-Date.")
    now = timezone.now()
    if abs(now - moment) > MAX_SKEW:
        raise S3Error("RequestTimeTooSkewed", "The difference between the request time and the current time is "
                      "too large.", RequestTime=timestamp, ServerTime=sigv4.amz_date(now),
                      MaxAllowedSkewMilliseconds=str(int(MAX_SKEW.total_seconds() * 1000)))
    _require_signed(environ, signed_headers, exempt=())
    return _Claim(credential, signed_headers, signature, timestamp, _payload(environ), presigned=False)


def _check_scope(credential: sigv4.Credential, code: str, lead: str) -> None:
    if not re.fullmatch(r"\d{8}", credential.date):
        raise S3Error(code, lead + "the Credential is mal-formed; expecting "
                      '"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".')
    if credential.service != "s3":
        raise S3Error(code, lead + f"incorrect service \"{credential.service}\". This endpoint belongs to \"s3\".")
    if credential.terminal != "aws4_request":
        raise S3Error(code, lead + f"incorrect terminal \"{credential.terminal}\". This endpoint uses "
                      "\"aws4_request\".")


def _request_time(environ) -> tuple[dt.datetime, str]:
    """The moment the request was signed: x-amz-date, else Date (RFC 1123)."""
    if amz := environ.get("HTTP_X_AMZ_DATE"):
        moment = sigv4.parse_amz_date(amz.strip())
    else:
        try:
            moment = email.utils.parsedate_to_datetime(environ.get("HTTP_DATE", ""))
        except (TypeError, ValueError, IndexError):
            moment = None
        if moment is not None and moment.tzinfo is None:  # "-0000", as botocore writes it: UTC
            moment = moment.replace(tzinfo=dt.UTC)
    if moment is None:
        raise S3Error("AccessDenied", "AWS authentication requires a valid Date or x-amz-date header")
    return moment, sigv4.amz_date(moment)


def _payload(environ) -> str:
    value = environ.get("HTTP_X_AMZ_CONTENT_SHA256", "").strip()
    if not value:
        raise S3Error("InvalidRequest", "Missing required header for this request: x-amz-content-sha256")
    if value.startswith("STREAMING-AWS4-ECDSA"):
        raise S3Error("NotImplemented", "Signature Version 4A (ECDSA) is not supported; use AWS4-HMAC-SHA256.")
    if value not in sigv4.PAYLOADS and not sigv4.is_sha256(value):
        raise S3Error("InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, "
                      "STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, "
                      "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.")
    return value


def _require_signed(environ, signed_headers: list[str], *, exempt: tuple[str, ...]) -> None:
    """S3's rule: host and every x-amz-* header sent are among the signed headers."""
    missing = {"host"} | {name for name in sigv4.sent_amz_headers(environ) if not name.startswith(exempt)}
    missing -= set(signed_headers)
    if missing:
        raise S3Error("AccessDenied", "There were headers present in the request which were not signed",
                      HeadersNotSigned=", ".join(sorted(missing)))


def _query_claim(environ, query: dict[str, str]) -> _Claim:
    code = "AuthorizationQueryParametersError"
    if any(name not in query for name in QUERY_PARAMETERS):
        raise S3Error(code, "Query-string authentication version 4 requires the X-Amz-Algorithm, "
                      "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires "
                      "parameters.")
    if query["X-Amz-Algorithm"] != sigv4.ALGORITHM:
        raise S3Error(code, 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"')
    credential = sigv4.parse_credential(query["X-Amz-Credential"])
    if credential is None:
        raise S3Error(code, "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; "
                      'expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".')
    _check_scope(credential, code, "Error parsing the X-Amz-Credential parameter; ")
    timestamp = query["X-Amz-Date"]
    moment = sigv4.parse_amz_date(timestamp)
    if moment is None:
        raise S3Error(code, "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"")
    if credential.date != timestamp[:8]:
        raise S3Error(code, "Invalid credential date. Date is not the same as X-Amz-Date.")
    expires = _expires(query["X-Amz-Expires"])
    now = timezone.now()
    if now > moment + dt.timedelta(seconds=expires):
        raise S3Error("AccessDenied", "Request has expired", **{
            "X-Amz-Expires": str(expires), "Expires": sigv4.amz_date(moment + dt.timedelta(seconds=expires)),
            "ServerTime": sigv4.amz_date(now)})
    if moment > now + MAX_SKEW:
        raise S3Error("AccessDenied", "Request is not valid yet", ServerTime=sigv4.amz_date(now))
    signed_headers = query["X-Amz-SignedHeaders"].split(";")
    _require_signed(environ, signed_headers, exempt=_SELF_CHECKING)
    payload = environ.get("HTTP_X_AMZ_CONTENT_SHA256", "").strip()
    if payload.startswith(("STREAMING-AWS4", "STREAMING-AWS4-ECDSA")):
        raise S3Error("InvalidRequest", "A presigned URL cannot carry a chunk-signed body.")
    return _Claim(credential, signed_headers, query["X-Amz-Signature"], timestamp, sigv4.UNSIGNED,
                  presigned=True)


def _presigned_payload(environ) -> str:
    """A presigned URL signs no payload, but a hash or an aws-chunked body sent beside it is still checked."""
    sent = environ.get("HTTP_X_AMZ_CONTENT_SHA256", "").strip()
    return sent if sent == sigv4.STREAMING_UNSIGNED_TRAILER or sigv4.is_sha256(sent) else sigv4.UNSIGNED


def _expires(text: str) -> int:
    code = "AuthorizationQueryParametersError"
    if not re.fullmatch(r"-?\d{1,12}", text):
        raise S3Error(code, "X-Amz-Expires should be a number")
    expires = int(text)
    if expires < 0:
        raise S3Error(code, "X-Amz-Expires must be non-negative")
    if expires > MAX_EXPIRES:
        raise S3Error(code, "X-Amz-Expires must be less than a week (in seconds) that is; the maximum expires is "
                      "604800 seconds")
    return expires


def _key(access_key_id: str) -> AccessKey:
    key = keys.find_key(access_key_id)
    if key is None:
        raise S3Error("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.",
                      AWSAccessKeyId=access_key_id)
    return key


@sensitive_variables("signing_key")
def _verify(request: HttpRequest, claim: _Claim, key: AccessKey) -> bytes:
    """The signing key, once one spelling of the canonical request gives the signature the client sent."""
    environ = request.META
    signing_key = sigv4.signing_key(key.secret, claim.credential)
    headers = sigv4.canonical_headers(environ, claim.signed_headers)
    queries = sigv4.canonical_queries(environ.get("QUERY_STRING", ""),
                                      without="X-Amz-Signature" if claim.presigned else "")
    first = None
    raw_uri = environ.get("RAW_URI") or environ.get("REQUEST_URI") or ""
    for uri in sigv4.canonical_uris(request.path, raw_uri):
        for query in queries:
            canonical = sigv4.canonical_request(request.method or "GET", uri, query, headers, claim.signed_headers,
                                                claim.payload)
            text = sigv4.string_to_sign(claim.timestamp, claim.credential.scope, canonical)
            if sigv4.same(sigv4.signature(signing_key, text), claim.signature):
                return signing_key
            first = first or (canonical, text)
    canonical, text = first
    raise S3Error("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you "
                  "provided. Check your key and signing method.", AWSAccessKeyId=key.access_key_id,
                  StringToSign=text, SignatureProvided=claim.signature, CanonicalRequest=canonical)


def _require_active(key: AccessKey) -> None:
    if key.is_revoked:
        raise S3Error("AccessDenied", "The AWS Access Key Id you provided has been revoked.")
    if key.is_expired():
        raise S3Error("AccessDenied", "The AWS Access Key Id you provided has expired.")
