"""Pick the gateway from the edition settings (the seed's NewOssGateWay).

The one module that knows every implementation: callers get a gateway (or a manager
probe, or a gateway over unsaved connection values) from here and never import
`storage.s3` or `storage.ossgateway` themselves.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.utils.translation import gettext as _

from storage.connections import ConnectionSpec, DatabaseRegistry, Registry, StaticRegistry
from storage.edition import EffectiveEdition, effective_edition
from storage.gateway import NotSupported, OssGateway
from storage.ossgateway import probe as manager_probe
from storage.ossgateway.probe import ManagerProbe
from storage.routing import KindRouter

_cache: dict[tuple, OssGateway] = {}
_lock = threading.Lock()


def get_gateway(edition: EffectiveEdition | None = None) -> OssGateway:
    """The gateway chosen by the edition settings (storage backend override first).

    `edition` is an `EffectiveEdition` the caller has read already (a page that also shows it).
    """
    return gateway_for_current_settings(edition)


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
        return community_gateway(DatabaseRegistry())
    if not ossgateway_url:
        raise NotSupported(_("The commercial edition needs an OSS Gateway Manager URL (OSSGATEWAY_URL)."))
    try:
        from storage.ossgateway.client import OssGatewayClient
    except ImportError:
        raise NotSupported(_("The OSS Gateway Manager client is not available in this build.")) from None
    return OssGatewayClient(ossgateway_url, token=getattr(settings, "OSSGATEWAY_TOKEN", ""))


def community_gateway(registry: Registry) -> KindRouter:
    """The community edition's gateway over `registry`: each connection served by the gateway of its kind."""
    from storage.groups.gateway import join_groups
    from storage.local.gateway import LocalFolderGateway
    from storage.s3.gateway import S3Gateway

    return join_groups(KindRouter(registry, {"s3": S3Gateway(registry), "local": LocalFolderGateway(registry)}))


def gateway_for_unsaved(spec: ConnectionSpec) -> OssGateway:
    """A gateway over connection values not saved yet (a form's "Test"), of the spec's kind; nothing is cached."""
    return community_gateway(StaticRegistry([spec]))


def probe_manager(url: str, *, token: str = "", timeout: float = 3.0) -> ManagerProbe:
    """Ask the OSS Gateway Manager at `url` for its default storage: could the commercial edition use it?"""
    return manager_probe.probe_manager(url, token=token, timeout=timeout)


def reset_gateways() -> None:
    """Forget built gateways (tests; or after settings change in-process)."""
    with _lock:
        _cache.clear()
