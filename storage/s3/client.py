"""Build boto3 clients for connection specs, lazily, once per spec version."""

from __future__ import annotations

import datetime as dt
import threading
from urllib.parse import urlsplit

import boto3
import botocore.session
from botocore import UNSIGNED
from botocore.config import Config
from botocore.utils import parse_timestamp
from django.utils.translation import gettext as _

from storage.connections import ConnectionSpec
from storage.endpoint_rules import EndpointRefused, check_endpoint, check_virtual_host
from storage.gateway import AccessDenied

DEFAULT_CONNECT_TIMEOUT = 5
DEFAULT_READ_TIMEOUT = 60
CLIENT_RETRIES = 3  # botocore's `max_attempts` counts the tries after the first: 4 tries in all

# One boto3 session for every client: a fresh session reloads S3's service model (~130 ms a
# client), a shared one does not (~4 ms). Sessions are not thread-safe, hence the lock. Each
# client gets its own credentials, so connections still share nothing that matters.
_session: boto3.session.Session | None = None
_session_lock = threading.Lock()


def fast_timestamp(value):
    """S3's ISO 8601 timestamps by the standard library; anything else (HTTP dates) as botocore parses it.

    botocore's own parser (dateutil) costs ~60 µs per timestamp: most of a 1,000-key listing's time.
    """
    if isinstance(value, str) and len(value) >= 20 and value[4] == "-" and value[10] == "T":
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if parsed.tzinfo is not None:
                return parsed
    return parse_timestamp(value)


def endpoint_url(endpoint: str, use_ssl: bool) -> str | None:
    """`host[:port]` or a URL -> a URL; empty means AWS (None lets boto3 decide)."""
    endpoint = endpoint.strip()
    if not endpoint:
        return None
    if "://" not in endpoint:
        endpoint = ("https://" if use_ssl else "http://") + endpoint
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def addressing_style(spec: ConnectionSpec) -> str:
    if spec.addressing_style in ("path", "virtual"):
        return spec.addressing_style
    return "path" if spec.endpoint else "auto"


def _config(spec: ConnectionSpec, connect_timeout: float, read_timeout: float, attempts: int) -> Config:
    return Config(
        signature_version="s3v4",
        s3={"addressing_style": addressing_style(spec)},
        # Third-party S3 servers reject the newer default checksums.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        retries={"mode": "standard", "max_attempts": attempts},
        max_pool_connections=32,
        tcp_keepalive=True,
    )


def build_client(spec: ConnectionSpec, *, public: bool = False, connect_timeout: float | None = None,
                 read_timeout: float | None = None, attempts: int = CLIENT_RETRIES, unsigned: bool = False):
    """A boto3 S3 client for the connection's internal endpoint, or its public one (what browsers reach).

    `unsigned` makes URLs without a signature (for objects anyone may read).
    """
    return _build("client", spec, public=public, connect_timeout=connect_timeout, read_timeout=read_timeout,
                  attempts=attempts, unsigned=unsigned)


def build_resource(spec: ConnectionSpec):
    """A boto3 S3 resource for the connection's internal endpoint, configured as its clients are.

    For django-storages, which works with resources: they are not thread-safe, so the caller keeps one a thread.
    """
    return _build("resource", spec, public=False, connect_timeout=None, read_timeout=None, attempts=CLIENT_RETRIES,
                  unsigned=False)


def _build(factory: str, spec: ConnectionSpec, *, public: bool, connect_timeout: float | None,
           read_timeout: float | None, attempts: int, unsigned: bool):
    from django.conf import settings

    endpoint = spec.public_endpoint if (public and spec.public_endpoint) else spec.endpoint
    credentials = {}
    if spec.access_key_id:
        credentials = {
            "aws_access_key_id": spec.access_key_id,
            "aws_secret_access_key": spec.secret_access_key,
        }
    config = _config(
        spec,
        connect_timeout or getattr(settings, "S3_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT),
        read_timeout or getattr(settings, "S3_READ_TIMEOUT", DEFAULT_READ_TIMEOUT),
        attempts,
    )
    if unsigned:
        config = config.merge(Config(signature_version=UNSIGNED))
    with _session_lock:
        made = getattr(_shared_session(), factory)(
            "s3",
            endpoint_url=endpoint_url(endpoint, spec.use_ssl),
            region_name=spec.region or "us-east-1",
            use_ssl=spec.use_ssl,
            verify=spec.verify_ssl,
            config=config,
            **credentials,
        )
    client = made if factory == "client" else made.meta.client
    if endpoint.strip():
        # A browser, not the console, reaches the public endpoint: private networks are fine there.
        guard_hosts(client, spec, endpoint, allow_private=True if public else None)
    return made


def guard_hosts(client, spec: ConnectionSpec, endpoint: str, *, allow_private: bool | None) -> None:
    """Refuse to sign (or send) for a host the endpoint rules refuse, once per host and client.

    Forms check a connection before it is saved; this is for a record that slipped through (the
    database, an older version) and for what botocore actually does: with virtual-host addressing it
    connects to `<bucket>.<endpoint host>`, a host no form saw. The endpoint's own host is checked
    without DNS (metadata and link-local addresses and names); any other host fully, DNS included.
    """
    configured = (urlsplit(endpoint_url(endpoint, spec.use_ssl) or "").hostname or "").lower()
    verdicts: dict[str, str | None] = {}

    def check(request, **_kwargs) -> None:
        parts = urlsplit(request.url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        if origin not in verdicts:
            verdicts[origin] = host_refusal(parts, configured, spec.bucket, allow_private)
        if verdicts[origin] is not None:
            raise AccessDenied(_("The console will not contact storage for '%(connection)s': %(reason)s") % {
                "connection": spec.name, "reason": verdicts[origin]})

    client.meta.events.register("before-sign.s3", check)


def host_refusal(parts, configured: str, bucket: str, allow_private: bool | None) -> str | None:
    host = (parts.hostname or "").lower()
    try:
        if host == configured:
            check_endpoint(f"{parts.scheme}://{parts.netloc}", allow_private=True, resolve=lambda _h, _p: [])
        else:
            check_virtual_host(host, parts.port, bucket=bucket, allow_private=allow_private)
    except (EndpointRefused, ValueError) as e:
        return str(e)
    return None


def _shared_session() -> boto3.session.Session:
    """Called with _session_lock held."""
    global _session
    if _session is None:
        core = botocore.session.get_session()
        core.get_component("response_parser_factory").set_parser_defaults(timestamp_parser=fast_timestamp)
        _session = boto3.session.Session(botocore_session=core)
    return _session


class ClientCache:
    """One client per (connection, purpose), rebuilt when the connection changes."""

    def __init__(self) -> None:
        self._clients: dict[tuple[str, str], tuple[str, object]] = {}
        self._lock = threading.Lock()

    def get(self, spec: ConnectionSpec, purpose: str = "internal"):
        cache_key = (spec.name, purpose)
        fingerprint = spec.fingerprint
        cached = self._clients.get(cache_key)
        if cached and cached[0] == fingerprint:
            return cached[1]
        with self._lock:
            cached = self._clients.get(cache_key)
            if cached and cached[0] == fingerprint:
                return cached[1]
            client = self._build(spec, purpose)
            self._clients[cache_key] = (fingerprint, client)
            return client

    def clear(self) -> None:
        with self._lock:
            self._clients.clear()

    @staticmethod
    def _build(spec: ConnectionSpec, purpose: str):
        if purpose == "public":
            return build_client(spec, public=True)
        if purpose == "public-unsigned":
            return build_client(spec, public=True, unsigned=True)
        if purpose.startswith("probe:"):
            timeout = float(purpose.split(":", 1)[1])
            return build_client(spec, connect_timeout=timeout, read_timeout=timeout, attempts=1)
        return build_client(spec)
