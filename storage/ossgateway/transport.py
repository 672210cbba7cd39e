"""HTTP plumbing of the commercial edition: calls to the OSS Gateway Manager and to storage.

Two sessions, never mixed: the manager's carries the service token; storage's carries
nothing but what the signed request says, so the token never reaches S3. Failures
become the gateway's errors here, once.

Neither session follows redirects (a 3xx is an error), and every URL the manager hands out is
checked against the endpoint rules before it is sent to, or handed on: a manager answer must
not aim the console at itself, a private network or a cloud metadata service (SSRF).
"""

from __future__ import annotations

import html
import logging
import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

import requests
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter

from storage.endpoint_rules import EndpointRefused, check_url
from storage.gateway import (
    AccessDenied,
    BucketNotFound,
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
URL_VERDICT_TTL = 60.0  # seconds a checked storage host stays checked (DNS is not asked per range)

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
            raise StorageRequestFailed(_("The OSS Gateway Manager answered with something that is not a signed request."))
        headers = data.get("headers") or {}
        return cls(str(data.get("method", "GET")).upper(), data["url"], {str(k): str(v) for k, v in headers.items()},
                   data.get("request_body"))

    def as_upload_request(self, expires: int) -> UploadRequest:
        return UploadRequest(self.method, self.url, dict(self.headers), expires, self.body)

    def checked(self, *, for_browser: bool) -> Signed:
        """This request, once its URL passes the endpoint rules; else StorageRequestFailed.

        A URL for a browser may name a private network (what a browser reaches is not the
        console's business), never a metadata or link-local address; any other URL is held to
        the console's own rules (settings.ALLOW_PRIVATE_ENDPOINTS).
        """
        check_signed_url(self.url, allow_private=True if for_browser else console_allows_private())
        return self


def console_allows_private() -> bool:
    """settings.ALLOW_PRIVATE_ENDPOINTS; off where Django is not configured."""
    from django.conf import settings

    return bool(getattr(settings, "ALLOW_PRIVATE_ENDPOINTS", False)) if settings.configured else False


def check_signed_url(url: str, *, allow_private: bool) -> None:
    """Refuse a URL from the manager that the endpoint rules refuse, in our words (never the manager's)."""
    try:
        check_url(url, allow_private=allow_private)
    except EndpointRefused as e:
        host = _host_of(url)
        log.warning("ossgateway handed out a URL for %s, refused: %s", host, e)
        raise StorageRequestFailed(
            _("The OSS Gateway Manager handed out a URL the console will not use: %(reason)s") % {"reason": e}) from None


def _host_of(url: str) -> str:
    try:
        return urlsplit(url).netloc or "?"
    except ValueError:
        return "?"


def quote_key(key: str) -> str:
    """Escape a key for the path: everything but '/' and unreserved characters (see storage.api.params)."""
    return quote(key, safe="/")


def network_cause(error: requests.RequestException) -> str:
    text = str(error)
    if isinstance(error, requests.ConnectTimeout):
        return _("timed out while connecting")
    if isinstance(error, requests.Timeout):
        return _("timed out waiting for an answer")
    if "Connection refused" in text or "ConnectionRefused" in text:
        return _("connection refused (nothing listens on that host and port)")
    if "Name or service not known" in text or "getaddrinfo" in text or "NameResolution" in text:
        return _("the host name does not resolve")
    if isinstance(error, requests.exceptions.SSLError):
        return _("TLS failure (certificate or protocol mismatch)")
    return _("could not connect")


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
                response = self.session.request(method, url, params=params, json=json, timeout=self.timeout,
                                                allow_redirects=False)
                break
            except requests.RequestException as e:
                if attempt + 1 >= attempts:
                    raise StorageUnreachable(
                        _("The OSS Gateway Manager at %(manager)s is unreachable: %(cause)s.") % {
                            "manager": self.base, "cause": network_cause(e)}) from e
                time.sleep(BACKOFF[min(attempt, len(BACKOFF) - 1)])
        if 300 <= response.status_code < 400:
            response.close()
            raise StorageRequestFailed(
                _("The OSS Gateway Manager at %(manager)s answered with a redirect (%(status)s); the console does "
                  "not follow redirects from the manager.") % {"manager": self.base, "status": response.status_code})
        if response.status_code >= 400:
            raise self.error(response, extension)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise StorageRequestFailed(_("The OSS Gateway Manager at %(manager)s did not answer with JSON.") % {
                "manager": self.base}) from None

    def error(self, response: requests.Response, extension: str | None) -> StorageError:
        try:
            body = response.json()
        except ValueError:
            body = {}
        body = body if isinstance(body, dict) else {}
        code, cause = str(body.get("code", "")), str(body.get("cause", ""))
        message = str(body.get("message") or _("The OSS Gateway Manager answered %(status)s.") % {
            "status": response.status_code})
        status = response.status_code
        if status == 404 and code == str(NO_DEFAULT_STORAGE):
            return NoAvailableConnection(message)
        if extension and status in (404, 405, 501) and cause not in _BY_CAUSE:
            return NotSupported(
                _("The OSS Gateway Manager at %(manager)s does not offer %(extension)s (an OSS Console extension "
                  "endpoint), so this is not supported with that manager.") % {
                      "manager": self.base, "extension": extension})
        if status in (401, 403):
            return AccessDenied(_("The OSS Gateway Manager refused the call (%(status)s): %(message)s") % {
                "status": status, "message": message})
        kind = _BY_CAUSE.get(cause) or _BY_STATUS.get(status) or (
            StorageUnreachable if status >= 500 else StorageRequestFailed)
        log.warning("ossgateway %s answered %s: %s", response.request.path_url.split("?")[0], status, message)
        return kind(message)


_XML_FIELD = re.compile(r"<(Code|Message|ETag)>(.*?)</\1>", re.S)


def xml_fields(text: str) -> dict[str, str]:
    """Simple elements' text, entities decoded (SeaweedFS writes an ETag's quotes as &#34;, AWS as &quot;)."""
    return {name: html.unescape(value) for name, value in _XML_FIELD.findall(text or "")}


class Storage:
    """Sends signed requests to S3-compatible storage and translates its answers."""

    def __init__(self, *, timeout: tuple[float, float] = (5, 60), pool: int = 16):
        self.timeout = timeout
        self.session = _session(pool)
        self._verdicts: dict[tuple[str, bool], tuple[float, str | None]] = {}
        self._verdicts_lock = threading.Lock()

    def send(self, signed: Signed, *, where: str, data=None, headers: dict | None = None,
             stream: bool = False, ok: tuple[int, ...] = (200, 204, 206)) -> requests.Response:
        self.check(signed.url)
        try:
            response = self.session.request(signed.method, signed.url, data=data, stream=stream,
                                            headers={**signed.headers, **(headers or {})}, timeout=self.timeout,
                                            allow_redirects=False)
        except requests.RequestException as e:
            raise StorageUnreachable(_("Storage for %(where)s is unreachable: %(cause)s.") % {
                "where": where, "cause": network_cause(e)}) from e
        if 300 <= response.status_code < 400:
            response.close()
            raise StorageRequestFailed(_("The storage answered the request for %(where)s with a redirect "
                                         "(%(status)s); the console does not follow redirects.") % {
                                             "where": where, "status": response.status_code})
        if response.status_code not in ok:
            error = self.error(response, where)
            response.close()
            raise error
        return response

    def check(self, url: str) -> None:
        """`check_signed_url` under the console's own rules, remembered a while per scheme and host."""
        allow_private = console_allows_private()
        try:
            parts = urlsplit(url)
            cache_key = (f"{parts.scheme}://{parts.netloc}".lower(), allow_private)
        except ValueError:
            cache_key = None
        now = time.monotonic()
        cached = self._verdicts.get(cache_key) if cache_key else None
        if cached and cached[0] > now:
            if cached[1] is not None:
                raise StorageRequestFailed(cached[1])
            return
        try:
            check_signed_url(url, allow_private=allow_private)
            verdict = None
        except StorageRequestFailed as e:
            verdict = str(e)
        if cache_key:
            with self._verdicts_lock:
                if len(self._verdicts) > 256:
                    self._verdicts.clear()
                self._verdicts[cache_key] = (now + URL_VERDICT_TTL, verdict)
        if verdict is not None:
            raise StorageRequestFailed(verdict)

    @staticmethod
    def error(response: requests.Response, where: str) -> StorageError:
        fields = xml_fields(response.text if response.request.method != "HEAD" else "")
        code, message = fields.get("Code", ""), fields.get("Message", "") or str(response.status_code)
        status = response.status_code
        if code == "NoSuchBucket":
            return BucketNotFound(_("The bucket for %(where)s does not exist.") % {"where": where})
        if code == "NoSuchUpload":
            return ObjectNotFound(_("The multipart upload for %(where)s does not exist (finished or aborted).") % {
                "where": where})
        if status == 404:
            return ObjectNotFound(_("There is no object %(where)s.") % {"where": where})
        if status == 403:
            return AccessDenied(_("Access denied for %(where)s: %(message)s.") % {"where": where, "message": message})
        if code in ("InvalidPart", "InvalidPartOrder", "EntityTooSmall", "BadDigest", "InvalidDigest") or status == 412:
            # 412: an If-Match that failed
            return IntegrityFailure(_("The storage refused %(where)s: %(message)s.") % {"where": where, "message": message})
        if status == 501:
            return NotSupported(_("The storage does not support this for %(where)s: %(message)s.") % {
                "where": where, "message": message})
        if status >= 500:
            return StorageUnreachable(_("The storage failed for %(where)s (%(status)s %(code)s).") % {
                "where": where, "status": status, "code": code})
        return StorageRequestFailed(_("The storage refused %(where)s: %(message)s (%(code)s).") % {
            "where": where, "message": message, "code": code or status})
