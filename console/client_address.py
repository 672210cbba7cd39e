"""The address a request really came from, also behind a reverse proxy the operator trusts.

Behind nginx every request arrives from the proxy's address, so throttles (sign-in, share
passwords), the audit log and the API's trusted networks would see one client. With
TRUSTED_PROXIES set, a request from one of those networks is credited to the address the
proxy saw: the right-most X-Forwarded-For entry that is not itself a trusted proxy. Entries
to its left were written by the client and are never believed.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def forwarded_client(remote_addr: str, forwarded_for: str, networks) -> str:
    """REMOTE_ADDR, or the client a trusted proxy forwarded for."""
    if not networks or not forwarded_for or not _trusted(_address(remote_addr), networks):
        return remote_addr
    client = remote_addr
    for hop in reversed(forwarded_for.split(",")):
        address = _address(hop)
        if address is None:
            break  # garbage from the client's side of the chain: stop at the last hop we trust
        client = str(address)
        if not _trusted(address, networks):
            break
    return client


class ForwardedForMiddleware:
    """Put the real client's address in REMOTE_ADDR, before anything reads it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.networks = [ipaddress.ip_network(cidr, strict=False) for cidr in settings.TRUSTED_PROXIES]

    def __call__(self, request):
        if self.networks:
            request.META["REMOTE_ADDR"] = forwarded_client(
                request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR", ""), self.networks)
        return self.get_response(request)
