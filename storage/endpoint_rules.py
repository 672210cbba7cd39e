"""Rules for S3 endpoints people may configure, so the console cannot be aimed at itself (SSRF).

An endpoint is `host[:port]` or an http(s) URL. Link-local and cloud-metadata addresses are
always refused, whether written literally, hidden in an IPv6 form (IPv4-mapped, NAT64, 6to4)
or reached through a name that resolves to them. Loopback and private networks are refused
unless `settings.ALLOW_PRIVATE_ENDPOINTS` is on (development, tests, on-premises set-ups).

With virtual-host addressing the console connects to `<bucket>.<endpoint host>`, not to the
endpoint: `check_bucket_host` checks that joined name too (a bucket `169` on an endpoint
`254.169.254` would otherwise reach 169.254.169.254). `check_url` checks the scheme and host of a
full URL (a signed request handed out by an OSS Gateway Manager) by the same rules.

This checks where a name points *now*; a name re-pointed later (DNS rebinding) is out of
reach of any validation, so deploys that care also filter egress at the network.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud metadata services that are not already link-local.
METADATA_ADDRESSES = {
    ipaddress.ip_address("fd00:ec2::254"),  # AWS IMDS over IPv6
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
}
# Names of cloud metadata services, refused even where they do not resolve (as here, off the cloud).
METADATA_HOSTS = {"metadata", "metadata.google.internal", "metadata.goog", "instance-data",
                  "instance-data.ec2.internal"}
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
    _check_host(host, port, _allow_private(allow_private), resolve, subject=_("'%(host)s'") % {"host": host})


def check_url(url: str, *, allow_private: bool | None = None, resolve: Resolver | None = None) -> None:
    """Raise EndpointRefused unless the scheme and host of a full URL (path and query allowed) may be reached."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        raise EndpointRefused(_("This is not a valid URL.")) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise EndpointRefused(_("Only http and https URLs are allowed, not '%(scheme)s'.") % {"scheme": parts.scheme})
    check_endpoint(f"{parts.scheme}://{parts.netloc}", allow_private=allow_private, resolve=resolve)


def check_bucket_host(bucket: str, endpoint: str, *, addressing_style: str = "auto", use_ssl: bool = True,
                      allow_private: bool | None = None, resolve: Resolver | None = None) -> None:
    """Raise EndpointRefused when virtual-host addressing joins bucket and endpoint into a refused host.

    Only 'virtual' puts the bucket in the host name for a custom endpoint: 'auto' means path
    addressing there (see storage.s3.client.addressing_style), and without an endpoint the host
    is AWS's (`<bucket>.s3.amazonaws.com`). An endpoint that is an IP address gets path addressing
    from botocore whatever the style.
    """
    endpoint, bucket = (endpoint or "").strip(), (bucket or "").strip()
    if addressing_style != "virtual" or not endpoint or not bucket:
        return
    host, port = _host_and_port(endpoint, use_ssl)
    try:
        ipaddress.ip_address(host)
        return
    except ValueError:
        pass
    check_virtual_host(f"{bucket}.{host}", port, bucket=bucket, allow_private=allow_private, resolve=resolve)


def check_virtual_host(host: str, port: int | None, *, bucket: str, allow_private: bool | None = None,
                       resolve: Resolver | None = None) -> None:
    """Raise EndpointRefused unless `host` (a bucket joined to an endpoint's host) may be reached."""
    name = host.lower().rstrip(".")
    if ":" in name or _literal_address(name) is not None:
        raise EndpointRefused(_(
            "With virtual-host addressing the bucket '%(bucket)s' joined to the endpoint makes the host '%(host)s', "
            "which is an IP address: the console does not connect to a host a bucket name spells out. "
            "Use path addressing, or another bucket name or endpoint.") % {"bucket": bucket, "host": name})
    joined = _("'%(host)s' (the bucket '%(bucket)s' joined to the endpoint by virtual-host addressing)") % {
        "host": name, "bucket": bucket}
    _check_host(name, port, _allow_private(allow_private), resolve, subject=joined)


def _allow_private(allow_private: bool | None) -> bool:
    if allow_private is not None:
        return allow_private
    from django.conf import settings

    return bool(getattr(settings, "ALLOW_PRIVATE_ENDPOINTS", False))


def _check_host(host: str, port: int | None, allow_private: bool, resolve: Resolver | None, *,
                subject: str) -> None:
    """Refuse metadata names, then a literal address, then every address the name resolves to.

    `subject` names the host in the messages (the host, or the bucket joined to the endpoint).
    """
    if host.lower().rstrip(".") in METADATA_HOSTS:
        raise EndpointRefused(_("%(subject)s is a cloud metadata service's name; the console never connects there.")
                              % {"subject": subject})
    literal = _literal_address(host)
    if literal is not None:
        _check_address(literal, allow_private)
        return
    for address in (resolve or resolve_host)(host, port):
        _check_address(address, allow_private, resolved_from=subject)


def _host_and_port(value: str, use_ssl: bool) -> tuple[str, int | None]:
    if any(c.isspace() for c in value):
        raise EndpointRefused(_("An endpoint cannot contain spaces."))
    if "://" not in value:
        value = ("https://" if use_ssl else "http://") + value
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as e:
        raise EndpointRefused(_("This is not a valid endpoint (%(why)s).") % {"why": e}) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise EndpointRefused(_("Only http and https endpoints are allowed, not '%(scheme)s'.") % {"scheme": parts.scheme})
    if "@" in parts.netloc:
        raise EndpointRefused(_("An endpoint cannot hold a user name or password; use the access key fields."))
    if parts.query or "?" in value:
        raise EndpointRefused(_("An endpoint cannot have a query string ('?...')."))
    if parts.fragment or "#" in value:
        raise EndpointRefused(_("An endpoint cannot have a fragment ('#...')."))
    if not parts.hostname:
        raise EndpointRefused(_("The endpoint has no host name."))
    if port == 0:
        raise EndpointRefused(_("Port 0 is not a port an endpoint can listen on."))
    _check_host_spelling(parts.hostname)
    return parts.hostname, port


_HOST_NAME = re.compile(r"[A-Za-z0-9.-]+")


def _check_host_spelling(host: str) -> None:
    """A host is a plain name (letters, digits, dots, hyphens) or an IPv6 literal: nothing an HTTP
    client would decode into another host than the one checked (`0.0.0.%30` is 0.0.0.0 to requests)."""
    if ":" in host and "%" not in host:  # an IPv6 literal (no zone id: that would name an interface)
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise EndpointRefused(_("'%(host)s' is not a host name or an IP address.") % {"host": host}) from None
        return
    if not _HOST_NAME.fullmatch(host):
        raise EndpointRefused(_("'%(host)s' is not a host name: only letters, digits, dots and hyphens "
                                "(international names in their xn-- form).") % {"host": host})


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


def _check_address(address: IPAddress, allow_private: bool, *, resolved_from: str = "") -> None:
    """Refuse a forbidden address, and a private one unless allowed; `resolved_from` names what resolved to it."""
    kind = classify(address)
    if kind == "forbidden":
        said = (_("%(subject)s resolves to %(address)s, which is a link-local, metadata or unspecified address; "
                  "the console never connects there.") if resolved_from else
                _("%(address)s is a link-local, metadata or unspecified address; the console never connects there."))
    elif kind == "private" and not allow_private:
        said = (_("%(subject)s resolves to %(address)s, which is on a loopback or private network, which this "
                  "console is not allowed to reach (ALLOW_PRIVATE_ENDPOINTS is off).") if resolved_from else
                _("%(address)s is on a loopback or private network, which this console is not allowed to reach "
                  "(ALLOW_PRIVATE_ENDPOINTS is off)."))
    else:
        return
    embedded = _embedded_ipv4(address)
    shown = _("%(address)s (that is %(embedded)s)") % {"address": address, "embedded": embedded} if embedded else address
    raise EndpointRefused(said % {"subject": resolved_from, "address": shown if not resolved_from else address})


def connection_endpoint_errors(endpoint: str, public_endpoint: str = "", *, use_ssl: bool = True,
                               bucket: str = "", addressing_style: str = "auto",
                               resolve: Resolver | None = None) -> dict[str, str]:
    """Field -> why it is refused, for a connection's two endpoints and its bucket.

    The public endpoint is only handed to browsers (the server never connects to it), so
    private networks are fine there; metadata and link-local addresses still are not. With
    virtual-host addressing the bucket joins each endpoint's host; a refused joined host is
    the bucket's error.
    """
    errors = {}
    for field_name, value, allow_private in (("endpoint", endpoint, None),
                                             ("public_endpoint", public_endpoint, True)):
        try:
            check_endpoint(value, use_ssl=use_ssl, allow_private=allow_private, resolve=resolve)
        except EndpointRefused as e:
            errors[field_name] = str(e)
            continue
        try:
            check_bucket_host(bucket, value, addressing_style=addressing_style, use_ssl=use_ssl,
                              allow_private=allow_private, resolve=resolve)
        except EndpointRefused as e:
            errors.setdefault("bucket", str(e))
    return errors
