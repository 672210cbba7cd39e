"""Who may call the protocol: a service token (`Authorization: Bearer …`) or a trusted network.

- no `Authorization` header: allowed only from `OSSGATEWAY_API_TRUSTED_CIDRS` (off by
  default), else 401;
- an unknown or malformed token: 401 (a token is checked even from a trusted network);
- a revoked or expired token, or one not scoped to the storage asked for: 403;
- a key outside the token's folder: 404; a write with a read-only token: 403 (storage.api.scope).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from storage import service_tokens
from storage.api import scope
from storage.api.errors import FORBIDDEN, UNAUTHENTICATED, ApiError
from storage.models import ServiceToken


@dataclass(frozen=True)
class Caller:
    """An authenticated caller; `storages` None means every storage; `prefix` "" every key of them."""

    label: str
    storages: frozenset[str] | None
    token: ServiceToken | None = None
    prefix: str = ""
    read_only: bool = False

    def may_use(self, storage_id: str) -> bool:
        return self.storages is None or storage_id in self.storages

    def check(self, storage_id: str) -> None:
        if not self.may_use(storage_id):
            raise ApiError(403, FORBIDDEN, _("This token may not use the storage '%(storage)s'.") % {
                "storage": storage_id})

    def allow(self, access: str, method: str, key: str | None = None) -> None:
        """Refuse a call outside the token's folder (404) or a write with a read-only token (403)."""
        scope.allow(self.prefix, self.read_only, access, method, key)

    def reach(self, key: str) -> str:
        """`key`, when within the token's folder; else 404."""
        return scope.reach(self.prefix, key)

    def listing(self, asked: str, delimiter: str = "") -> str | list[str]:
        """What listing `asked` becomes within the token's folder (see storage.api.scope.listing_prefix)."""
        return scope.listing_prefix(self.prefix, asked, delimiter)


def authenticate(request: HttpRequest) -> Caller:
    header = request.headers.get("Authorization", "")
    if header:
        return _from_token(header)
    if _trusted_address(request.META.get("REMOTE_ADDR", "")):
        return Caller(f"trusted network {request.META['REMOTE_ADDR']}", None)  # i18n: not shown (a label for logs)
    raise ApiError(401, UNAUTHENTICATED, _("A service token is required: send 'Authorization: Bearer <token>'."))


def _from_token(header: str) -> Caller:
    scheme, _space, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise ApiError(401, UNAUTHENTICATED, _("The Authorization header must be 'Bearer <token>'."))
    token = service_tokens.find_token(raw.strip())
    if token is None:
        raise ApiError(401, UNAUTHENTICATED, _("The service token is not valid."))
    if token.is_revoked:
        raise ApiError(403, FORBIDDEN, _("The service token '%(name)s' has been revoked.") % {"name": token.name})
    if token.is_expired():
        raise ApiError(403, FORBIDDEN, _("The service token '%(name)s' has expired.") % {"name": token.name})
    service_tokens.note_use(token)
    names = service_tokens.allowed_names(token)
    return Caller(f"token {token.name}", None if names is None else frozenset(names), token,
                  prefix=token.prefix, read_only=token.read_only)


def _trusted_address(address: str) -> bool:
    cidrs = getattr(settings, "OSSGATEWAY_API_TRUSTED_CIDRS", [])
    if not cidrs or not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(cidr, strict=False) for cidr in cidrs)
