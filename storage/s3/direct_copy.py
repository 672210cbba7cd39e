"""CopyObject sent without botocore's request machinery, for copy jobs' one request per object.

Through a boto3 client, a CopyObject costs ~1.5 ms of CPU before and after the network: events,
endpoint rules, validation, serialisation, parsing. A copy job of small objects sends nothing else,
so that was most of the worker's CPU and what bounded its rate (J2 in BENCHMARKS.md). Here the
request is signed by `sigv4` and sent through the boto3 client's own HTTP session (the same pool,
TLS verification, proxies and timeouts), its failures raised as the client would raise them
(`ClientError` with S3's code, botocore's connection errors), so `errors.translate` maps them alike,
after the same retries as the client's standard mode, within a retry quota like its own (a storage that
keeps failing gets each request once more only while some succeed).

Only for what is plain: a configured endpoint reached path-style, with the connection's own keys.
Anything else (AWS's own endpoints, virtual-host addressing, credentials from the environment, an
endpoint path botocore would encode or resolve: `/s3é`, `/a/../s3`) is
None from `direct_copier` and goes through the client.
"""

from __future__ import annotations

import random
import time
import xml.etree.ElementTree as ET
from urllib.parse import quote, urlsplit

from botocore.awsrequest import AWSPreparedRequest
from botocore.exceptions import ClientError, ConnectionError, HTTPClientError
from botocore.handlers import VALID_BUCKET
from botocore.retries.quota import RetryQuota

from storage.connections import ConnectionSpec
from storage.s3 import sigv4
from storage.s3.client import addressing_style, endpoint_url, host_refusal

TRANSIENT_STATUS = {500, 502, 503, 504}
TRANSIENT_CODES = {"RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete", "InternalError"}
THROTTLING_CODES = {"Throttling", "ThrottlingException", "SlowDown", "RequestLimitExceeded",
                    "TooManyRequestsException", "RequestThrottled", "BandwidthLimitExceeded"}
MAX_BACKOFF = 20.0
RETRY_COST, THROTTLED_RETRY_COST, SUCCESS_REFILL = 14, 5, 1  # botocore's standard mode's quota

# The CopyObject parameters this sends, as S3's headers; any other parameter goes through the client.
HEADERS = {"MetadataDirective": "x-amz-metadata-directive", "CopySourceIfMatch": "x-amz-copy-source-if-match",
           "IfNoneMatch": "If-None-Match"}


class DirectCopier:
    def __init__(self, spec: ConnectionSpec, client, attempts: int) -> None:
        self.spec = spec
        base = urlsplit(endpoint_url(spec.endpoint, spec.use_ssl))
        self.origin, self.base_path = f"{base.scheme}://{base.netloc}", base.path  # the path once, before the bucket
        self.http = client._endpoint.http_session  # the client's pool: one set of connections, one TLS set-up
        self.attempts = attempts
        self.quota = RetryQuota()  # one per copier, as botocore keeps one per client

    def can_send(self, params: dict) -> bool:
        """Only the parameters it sends, and bucket names botocore accepts ('x/y' would read bucket 'x')."""
        source = params["CopySource"]
        return (set(params) <= {"Bucket", "Key", "CopySource", *HEADERS} and set(source) <= {"Bucket", "Key"}
                and all(VALID_BUCKET.search(bucket) for bucket in (params["Bucket"], source["Bucket"])))

    def copy_object(self, params: dict) -> dict:
        """What boto3's copy_object answers that callers read: {"CopyObjectResult": {"ETag": ...}}."""
        source = params["CopySource"]
        url = self.origin + sigv4.object_path(self.base_path, params["Bucket"], params["Key"])
        headers = {"x-amz-copy-source": copy_source(source["Bucket"], source["Key"])}
        headers.update((HEADERS[name], str(value)) for name, value in params.items() if name in HEADERS)
        return {"CopyObjectResult": {"ETag": self._send("PUT", url, headers, "CopyObjectResult").get("ETag", "")}}

    def _send(self, method: str, url: str, headers: dict[str, str], answer: str) -> dict[str, str]:
        """The fields (by name) of the XML `answer` (its root's name); S3's error, after retries, as botocore's."""
        spent = 0
        for attempt in range(1, self.attempts + 1):
            signed = sigv4.sign(method, url, headers, access_key=self.spec.access_key_id,
                                secret_key=self.spec.secret_access_key, region=self.spec.region or "us-east-1")
            try:
                response = self.http.send(AWSPreparedRequest(method, url, signed, b"", stream_output=False))
                status = response.status_code
                root, texts = xml_answer(response.content)
                if status < 300 and root == answer:
                    self.quota.release(spent or SUCCESS_REFILL)
                    return texts
                if status < 300:
                    status = 500  # S3 can fail a copy after its 200, or the body be cut off: botocore says 500 too
                code = texts.get("Code") or str(status)
                error = ClientError({"Error": {"Code": code, "Message": texts.get("Message", "")},
                                     "ResponseMetadata": {"HTTPStatusCode": status}}, "CopyObject")
                retry = status in TRANSIENT_STATUS or code in TRANSIENT_CODES
                throttled = status == 429 or code in THROTTLING_CODES
            except (ConnectionError, HTTPClientError) as e:
                error, retry, throttled = e, True, False
            spent = THROTTLED_RETRY_COST if throttled else RETRY_COST
            if attempt == self.attempts or not (retry or throttled) or not self.quota.acquire(spent):
                raise error
            time.sleep(min(random.random() * (1 if throttled else 0.05) * 2 ** (attempt - 1), MAX_BACKOFF))
        raise AssertionError("unreachable")


def copy_source(bucket: str, key: str) -> str:
    return quote(f"{bucket}/{key}", safe="/~")


def xml_answer(body: bytes) -> tuple[str | None, dict[str, str]]:
    """An XML body's root tag and the text of its elements by name (namespaces dropped).

    ("", {}) for an empty body; (None, {}) for one that is not XML (cut off, a proxy's page). Spaces sent to
    keep a long copy's connection open may come before the XML declaration, where XML allows none: dropped.
    """
    body = body.lstrip()
    if not body:
        return "", {}
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return None, {}
    texts: dict[str, str] = {}
    for element in root.iter():
        texts.setdefault(element.tag.rsplit("}", 1)[-1], element.text or "")
    return root.tag.rsplit("}", 1)[-1], texts


def direct_copier(spec: ConnectionSpec, client, attempts: int) -> DirectCopier | None:
    """A DirectCopier for `spec` when its requests are plain (see the module's doc), else None."""
    if not (spec.endpoint.strip() and spec.access_key_id and addressing_style(spec) == "path"):
        return None
    parts = urlsplit(endpoint_url(spec.endpoint, spec.use_ssl))
    configured = (parts.hostname or "").lower()
    if host_refusal(parts, configured, spec.bucket, None) is not None:
        return None  # the client refuses it, in its own words
    return DirectCopier(spec, client, attempts) if _plain_path(parts.path) else None


def _plain_path(path: str) -> bool:
    """Segments sent as written (botocore encodes `é` and `%`, resolves `.` and `..`; this signs what it sends)."""
    return all(segment not in ("", ".", "..") and quote(segment, safe="~") == segment for segment in path.split("/")[1:])
