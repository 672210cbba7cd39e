"""One gateway over connections of several kinds: each call goes to the gateway of its connection's kind.

The community edition's connections are S3 buckets, folders on the console's server, or groups of
other connections. Callers see one `OssGateway` and one `oss_id` space; this router looks the
connection up and hands the call, unchanged, to the gateway that serves its kind.
"""

from __future__ import annotations

import abc
import inspect

from django.utils.translation import gettext as _

from storage.connections import Registry, storage_infos
from storage.gateway import STREAMED, NoAvailableConnection, NotSupported, OssGateway, StorageInfo


def _takes_oss_id_first(function) -> bool:
    parameters = list(inspect.signature(function).parameters)
    return len(parameters) > 1 and parameters[1] == "oss_id"


# Every operation on one connection: its first argument names the connection.
ROUTED = tuple(sorted(name for name, member in vars(OssGateway).items()
                      if inspect.isfunction(member) and not name.startswith("_") and _takes_oss_id_first(member)))


class KindRouter(OssGateway):
    def __init__(self, registry: Registry, gateways: dict[str, OssGateway]):
        self.registry, self.gateways = registry, gateways

    def __repr__(self) -> str:
        return f"KindRouter({sorted(self.gateways)})"

    def gateway_for(self, oss_id: str) -> OssGateway:
        """The gateway that serves this connection's kind (`ConnectionNotFound` as the registry raises it)."""
        kind = self.registry.get(oss_id).kind
        gateway = self.gateways.get(kind)
        if gateway is None:
            raise NotSupported(_("Connections of kind '%(kind)s' are not available here.") % {"kind": kind})
        return gateway

    def get_available_oss(self) -> str:
        for spec in self.registry.all():
            if spec.enabled and spec.kind in self.gateways and self._healthy(spec.name):
                return spec.name
        raise NoAvailableConnection(_("No storage connection is available."))

    def _healthy(self, oss_id: str) -> bool:
        try:
            return self.gateway_for(oss_id).recent_health(oss_id).ok
        except Exception:  # noqa: BLE001 - a connection that cannot even be probed is not available
            return False

    def list_storages(self) -> list[StorageInfo]:
        return storage_infos(self.registry)

    def copy_route(self, source_oss_id: str, dest_oss_id: str) -> str:
        source, dest = self.gateway_for(source_oss_id), self.gateway_for(dest_oss_id)
        return source.copy_route(source_oss_id, dest_oss_id) if source is dest else STREAMED


def _routed(name: str):
    def method(self: KindRouter, oss_id: str, *args, **kwargs):
        return getattr(self.gateway_for(oss_id), name)(oss_id, *args, **kwargs)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = getattr(OssGateway, name).__doc__
    return method


for _name in ROUTED:
    setattr(KindRouter, _name, _routed(_name))
abc.update_abstractmethods(KindRouter)
