"""Pick the gateway from the edition settings (the seed's NewOssGateWay)."""

from __future__ import annotations

import threading

from django.conf import settings

from storage.connections import DatabaseRegistry
from storage.edition import EffectiveEdition, effective_edition
from storage.gateway import NotSupported, OssGateway

_cache: dict[tuple, OssGateway] = {}
_lock = threading.Lock()


def gateway_for_current_settings(edition: EffectiveEdition | None = None) -> OssGateway:
    """`edition`, when the caller has read it already (saves a query per page)."""
    edition = edition or effective_edition()
    key = (edition.backend, edition.ossgateway_url)
    gateway = _cache.get(key)
    if gateway is None:
        with _lock:
            gateway = _cache.get(key) or _build(edition.backend, edition.ossgateway_url)
            _cache[key] = gateway
    return gateway


def _build(backend: str, ossgateway_url: str) -> OssGateway:
    if backend == "s3":
        from storage.s3_gateway import S3Gateway

        return S3Gateway(DatabaseRegistry())
    if not ossgateway_url:
        raise NotSupported("The commercial edition needs an OSS Gateway Manager URL (OSSGATEWAY_URL).")
    try:
        from storage.ossgateway_client import OssGatewayClient
    except ImportError:
        raise NotSupported("The OSS Gateway Manager client is not available in this build.") from None
    return OssGatewayClient(ossgateway_url, token=getattr(settings, "OSSGATEWAY_TOKEN", ""))


def reset_gateways() -> None:
    """Forget built gateways (tests; or after settings change in-process)."""
    with _lock:
        _cache.clear()
