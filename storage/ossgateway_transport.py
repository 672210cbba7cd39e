"""HTTP plumbing of the commercial edition: calls to the OSS Gateway Manager and to storage.

Two sessions, never mixed: the manager's carries the service token; storage's carries
nothing but what the signed request says, so the token never reaches S3. Failures
become the gateway's errors here, once.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field
from urllib.parse import quote

import requests
from requests.adapters import HTTPAdapter

from storage.gateway import (
    AccessDenied,
    ConnectionNotFound,
    IntegrityFailure,
    InvalidKey,
    InvalidRequest,
    NoAvailableConnection,
    NotSupported,
    ObjectNotFound,
    StorageError,
    StorageRequestFailed,
    StorageUnreachable,
    UploadRequest,
)

log = logging.getLogger("storage.ossgateway")

API_PATH = "/api/ossgateway/v1"
NO_DEFAULT_STORAGE = 404031002
ATTEMPTS = 3
BACKOFF = (0.2, 0.6)

# `cause` in this project's error bodies names the gateway error it came from.
_BY_CAUSE: dict[str, type[StorageError]] = {
    cls.code: cls for cls in (ConnectionNotFound, ObjectNotFound, NoAvailableConnection, StorageUnreachable,
                              IntegrityFailure, InvalidKey, InvalidRequest, NotSupported, AccessDenied,
                              StorageRequestFailed)
}
_BY_STATUS: dict[int, type[StorageError]] = {
    400: StorageRequestFailed, 401: AccessDenied, 403: AccessDenied, 404: ConnectionNotFound,
    409: IntegrityFailure, 501: NotSupported, 502: StorageRequestFailed, 503: StorageUnreachable,
    504: StorageUnreachable,
}


@dataclass(frozen=True)
class Signed:
    """A signed request as the manager hands it out."""

    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None

    @classmethod
    def from_json(cls, data) -> Signed:
        if not isinstance(data, dict) or not isinstance(data.get("url"), str):
            raise StorageRequestFailed("The OSS Gateway Manager answered with something that is not a signed request.")
        headers = data.get("headers") or {}
        return cls(str(data.get("method", "GET")).upper(), data["url"], {str(k): str(v) for k, v in headers.items()},
                   data.get("request_body"))

    def as_upload_request(self, expires: int) -> UploadRequest:
        return UploadRequest(self.method, self.url, dict(self.headers), expires, self.body)


def quote_key(key: str) -> str:
    """Escape a key for the path: everything but '/' and unreserved characters (see storage.api.params)."""
    return quote(key, safe="/")


def network_cause(error: requests.RequestException) -> str:
    text = str(error)
    if isinstance(error, requests.ConnectTimeout):
        return "timed out while connecting"
    if isinstance(error, requests.Timeout):
        return "timed out waiting for an answer"
    if "Connection refused" in text or "ConnectionRefused" in text:
        return "connection refused (nothing listens on that host and port)"
    if "Name or service not known" in text or "getaddrinfo" in text or "NameResolution" in text:
        return "the host name does not resolve"
    if isinstance(error, requests.exceptions.SSLError):
        return "TLS failure (certificate or protocol mismatch)"
    return "could not connect"


def _session(pool: int, headers: dict[str, str] | None = None) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxies or .netrc credentials from the environment
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update(headers or {})
    return session


class Manager:
    """JSON calls to the OSS Gateway Manager, with the token, timeouts and idempotent retries."""

    def __init__(self, url: str, token: str = "", *, timeout: tuple[float, float] = (5, 30), pool: int = 16):
        base = url.rstrip("/")
        self.base = base if base.endswith(API_PATH) else base + API_PATH
        self.timeout = timeout
        headers = {"Accept": "application/json", "User-Agent": "oss-console-ossgateway-client"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.session = _session(pool, headers)

    def __repr__(self) -> str:
        return f"Manager({self.base!r})"  # never the token

    def call(self, method: str, path: str, *, params: dict | None = None, json=None, retry: bool = True,
             extension: str | None = None):
        """The decoded JSON answer (None for 204); errors become gateway errors."""
        url = f"{self.base}/{path}"
        attempts = ATTEMPTS if retry else 1
        for attempt in range(attempts):
            try:
                response = self.session.request(method, url, params=params, json=json, timeout=self.timeout)
                break
            except requests.RequestException as e:
                if attempt + 1 >= attempts:
                    raise StorageUnreachable(
                        f"The OSS Gateway Manager at {self.base} is unreachable: {network_cause(e)}.") from e
                time.sleep(BACKOFF[min(attempt, len(BACKOFF) - 1)])
        if response.status_code >= 400:
            raise self.error(response, extension)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise StorageRequestFailed(f"The OSS Gateway Manager at {self.base} did not answer with JSON.") from None

    def error(self, response: requests.Response, extension: str | None) -> StorageError:
        try:
            body = response.json()
        except ValueError:
            body = {}
        body = body if isinstance(body, dict) else {}
        code, cause = str(body.get("code", "")), str(body.get("cause", ""))
        message = str(body.get("message") or f"The OSS Gateway Manager answered {response.status_code}.")
        status = response.status_code
        if status == 404 and code == str(NO_DEFAULT_STORAGE):
            return NoAvailableConnection(message)
        if extension and status in (404, 405, 501) and cause not in _BY_CAUSE:
            return NotSupported(
                f"The OSS Gateway Manager at {self.base} does not offer {extension} (an OSS Console extension "
                "endpoint), so this is not supported with that manager.")
        if status in (401, 403):
            return AccessDenied(f"The OSS Gateway Manager refused the call ({status}): {message}")
        kind = _BY_CAUSE.get(cause) or _BY_STATUS.get(status) or (
            StorageUnreachable if status >= 500 else StorageRequestFailed)
        log.warning("ossgateway %s answered %s: %s", response.request.path_url.split("?")[0], status, message)
        return kind(message)


_XML_FIELD = re.compile(r"<(Code|Message|ETag)>(.*?)</\1>", re.S)


def xml_fields(text: str) -> dict[str, str]:
    return {name: value for name, value in _XML_FIELD.findall(text or "")}


class Storage:
    """Sends signed requests to S3-compatible storage and translates its answers."""

    def __init__(self, *, timeout: tuple[float, float] = (5, 60), pool: int = 16):
        self.timeout = timeout
        self.session = _session(pool)

    def send(self, signed: Signed, *, where: str, data=None, headers: dict | None = None,
             stream: bool = False, ok: tuple[int, ...] = (200, 204, 206)) -> requests.Response:
        try:
            response = self.session.request(signed.method, signed.url, data=data, stream=stream,
                                            headers={**signed.headers, **(headers or {})}, timeout=self.timeout)
        except requests.RequestException as e:
            raise StorageUnreachable(f"Storage for {where} is unreachable: {network_cause(e)}.") from e
        if response.status_code not in ok:
            error = self.error(response, where)
            response.close()
            raise error
        return response

    @staticmethod
    def error(response: requests.Response, where: str) -> StorageError:
        fields = xml_fields(response.text if response.request.method != "HEAD" else "")
        code, message = fields.get("Code", ""), fields.get("Message", "") or str(response.status_code)
        status = response.status_code
        if code == "NoSuchBucket":
            return StorageRequestFailed(f"The bucket for {where} does not exist.")
        if code == "NoSuchUpload":
            return ObjectNotFound(f"The multipart upload for {where} does not exist (finished or aborted).")
        if status == 404:
            return ObjectNotFound(f"There is no object {where}.")
        if status == 403:
            return AccessDenied(f"Access denied for {where}: {message}.")
        if code in ("InvalidPart", "InvalidPartOrder", "EntityTooSmall", "BadDigest"):
            return IntegrityFailure(f"The storage refused {where}: {message}.")
        if status == 501:
            return NotSupported(f"The storage does not support this for {where}: {message}.")
        if status >= 500:
            return StorageUnreachable(f"The storage failed for {where} ({status} {code}).")
        return StorageRequestFailed(f"The storage refused {where}: {message} ({code or status}).")
