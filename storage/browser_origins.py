"""The origins browsers reach for the storages (for the console's Content-Security-Policy)."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from storage.gateway import OssGateway, StorageError

log = logging.getLogger("storage.origins")
PROBE_KEY = "csp-origin-probe"


def browser_origins(gateway: OssGateway) -> list[str]:
    """Sign a URL for each enabled storage (no request is sent) and keep its origin."""
    origins = set()
    try:
        storages = [s for s in gateway.list_storages() if s.enabled]
    except StorageError as e:
        log.warning("cannot list storages for the CSP: %s", e)
        return []
    for storage in storages:
        try:
            url = gateway.get_download_url(storage.id, PROBE_KEY, 60, internal=False)
        except StorageError as e:
            log.warning("cannot work out the browser origin of '%s': %s", storage.id, e)
            continue
        parts = urlsplit(url)
        origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)
