"""Ask an OSS Gateway Manager for its default storage: is this URL a manager we can use?"""

from __future__ import annotations

import time
from dataclasses import dataclass

import requests
from django.utils.translation import gettext as _

PATH = "/api/ossgateway/v1/default-storage"
NO_DEFAULT_CODE = "404031002"


@dataclass(frozen=True)
class ManagerProbe:
    ok: bool
    latency_ms: float | None
    detail: str  # what the manager said, or why it could not be asked, in plain words


def probe_manager(url: str, *, token: str = "", timeout: float = 3.0) -> ManagerProbe:
    """GET <url>/api/ossgateway/v1/default-storage once, without following redirects."""
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    started = time.perf_counter()
    try:
        answer = requests.get(url.rstrip("/") + PATH, headers=headers, timeout=timeout, allow_redirects=False)
    except requests.Timeout:
        return ManagerProbe(False, None, _("no answer within %(seconds)s seconds") % {"seconds": f"{timeout:g}"})
    except requests.exceptions.SSLError:
        return ManagerProbe(False, None, _("TLS failure (certificate or protocol mismatch)"))
    except requests.ConnectionError as e:
        text = str(e)
        if "Name or service not known" in text or "nodename nor servname" in text or "resolve" in text:
            return ManagerProbe(False, None, _("the host name does not resolve"))
        if "refused" in text:
            return ManagerProbe(False, None, _("connection refused (nothing listens on that host and port)"))
        return ManagerProbe(False, None, _("could not connect"))
    except requests.RequestException:
        return ManagerProbe(False, None, _("this URL cannot be requested"))
    latency = (time.perf_counter() - started) * 1000
    return _judge(answer, latency)


def _judge(answer: requests.Response, latency: float) -> ManagerProbe:
    status = answer.status_code
    try:
        body = answer.json()
    except ValueError:
        body = None
    if status == 200 and isinstance(body, dict) and body.get("storage_id") not in (None, ""):
        return ManagerProbe(True, latency, _("reachable; its default storage is '%(storage)s'") % {"storage": body["storage_id"]})
    if status == 404 and isinstance(body, dict) and str(body.get("code")) == NO_DEFAULT_CODE:
        return ManagerProbe(True, latency, _("reachable, but it has no default storage yet"))
    if status in (401, 403):
        return ManagerProbe(False, latency, _("it answered %(status)s: the manager wants a valid token "
                                              "(OSSGATEWAY_TOKEN)") % {"status": status})
    if 300 <= status < 400:
        return ManagerProbe(False, latency, _("it answered with a redirect (%(status)s); use the final URL") % {"status": status})
    if status == 200 or body is None:
        return ManagerProbe(False, latency, _("it answered %(status)s, but not in the OSS Gateway Manager "
                                              "protocol; is this the manager's base URL?") % {"status": status})
    return ManagerProbe(False, latency, _("it answered %(status)s") % {"status": status})
