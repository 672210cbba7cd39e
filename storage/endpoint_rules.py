"""Rules for S3 endpoints people may configure, so the console cannot be aimed at itself (SSRF).

An endpoint is `host[:port]` or an http(s) URL. Link-local and cloud-metadata addresses are
always refused, whether written literally, hidden in an IPv6 form (IPv4-mapped, NAT64, 6to4)
or reached through a name that resolves to them. Loopback and private networks are refused
unless `settings.ALLOW_PRIVATE_ENDPOINTS` is on (development, tests, on-premises set-ups).

This checks where a name points *now*; a name re-pointed later (DNS rebinding) is out of
reach of any validation, so deploys that care also filter egress at the network.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud metadata services that are not already link-local.
METADATA_ADDRESSES = {
    ipaddress.ip_address("fd00:ec2::254"),  # AWS IMDS over IPv6
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
}
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: not the public internet
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

Resolver = Callable[[str, int | None], list[IPAddress]]


class EndpointRefused(ValueError):
    """An endpoint the console will not talk to; `str(error)` is fit to show a person."""


def check_endpoint(value: str, *, use_ssl: bool = True, allow_private: bool | None = None,
                   resolve: Resolver | None = None) -> None:
    """Raise EndpointRefused unless `value` is an endpoint the console may reach."""
    value = (value or "").strip()
    if not value:
        return  # empty means AWS S3
    host, port = _host_and_port(value, use_ssl)
    if allow_private is None:
        from django.conf import settings

        allow_private = bool(getattr(settings, "ALLOW_PRIVATE_ENDPOINTS", False))
    literal = _literal_address(host)
    if literal is not None:
        _check_address(literal, allow_private, via="")
        return
    for address in (resolve or resolve_host)(host, port):
        _check_address(address, allow_private, via=f"'{host}' resolves to {address}, which ")


def _host_and_port(value: str, use_ssl: bool) -> tuple[str, int | None]:
    if any(c.isspace() for c in value):
        raise EndpointRefused("An endpoint cannot contain spaces.")
    if "://" not in value:
        value = ("https://" if use_ssl else "http://") + value
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as e:
        raise EndpointRefused(f"This is not a valid endpoint ({e}).") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise EndpointRefused(f"Only http and https endpoints are allowed, not '{parts.scheme}'.")
    if "@" in parts.netloc:
        raise EndpointRefused("An endpoint cannot hold a user name or password; use the access key fields.")
    if parts.query or "?" in value:
        raise EndpointRefused("An endpoint cannot have a query string ('?...').")
    if parts.fragment or "#" in value:
        raise EndpointRefused("An endpoint cannot have a fragment ('#...').")
    if not parts.hostname:
        raise EndpointRefused("The endpoint has no host name.")
    if port == 0:
        raise EndpointRefused("Port 0 is not a port an endpoint can listen on.")
    return parts.hostname, port


def _literal_address(host: str) -> IPAddress | None:
    """The address a host names without DNS: IP literals, and IPv4's legacy forms (0x7f.1, 2130706433)."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if host and all(c in "0123456789abcdefx." for c in host.lower()):
        try:
            return ipaddress.ip_address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def resolve_host(host: str, port: int | None) -> list[IPAddress]:
    """Every address a name resolves to; none when it does not resolve (nothing to reach)."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return []
    return [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if address.version != 6:
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if int(address) >> 32 == 0 and int(address) > 1:  # IPv4-compatible ::a.b.c.d (deprecated)
        return ipaddress.IPv4Address(int(address))
    return None


def classify(address: IPAddress) -> str:
    """'forbidden' (never), 'private' (only when allowed) or 'public'."""
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        return classify(embedded)
    if getattr(address, "scope_id", None):
        address = ipaddress.ip_address(str(address).split("%", 1)[0])
    if (address in METADATA_ADDRESSES or address.is_link_local or address.is_unspecified
            or address.is_multicast or (address.version == 4 and address in _THIS_NETWORK)):
        return "forbidden"
    if address.is_loopback or address.is_private or address.is_reserved or (
            address.version == 4 and address in _SHARED) or getattr(address, "is_site_local", False):
        return "private"
    return "public"


def _check_address(address: IPAddress, allow_private: bool, *, via: str) -> None:
    kind = classify(address)
    embedded = _embedded_ipv4(address)
    subject = via or (f"{address} (that is {embedded}) " if embedded else f"{address} ")
    if kind == "forbidden":
        raise EndpointRefused(f"{subject}is a link-local, metadata or unspecified address; "
                              "the console never connects there.")
    if kind == "private" and not allow_private:
        raise EndpointRefused(f"{subject}is on a loopback or private network, which this console is "
                              "not allowed to reach (ALLOW_PRIVATE_ENDPOINTS is off).")


def connection_endpoint_errors(endpoint: str, public_endpoint: str = "", *, use_ssl: bool = True,
                               resolve: Resolver | None = None) -> dict[str, str]:
    """Field -> why it is refused, for a connection's two endpoints.

    The public endpoint is only handed to browsers (the server never connects to it), so
    private networks are fine there; metadata and link-local addresses still are not.
    """
    errors = {}
    for field_name, value, allow_private in (("endpoint", endpoint, None),
                                             ("public_endpoint", public_endpoint, True)):
        try:
            check_endpoint(value, use_ssl=use_ssl, allow_private=allow_private, resolve=resolve)
        except EndpointRefused as e:
            errors[field_name] = str(e)
    return errors
