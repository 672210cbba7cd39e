"""The lifecycle rule the incomplete-uploads page proposes when it finds stale uploads and the bucket has none."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from console.access import rules
from console.connections.bucket_words import has_abort_rule
from console.roles import MANAGER
from storage.factory import get_gateway
from storage.gateway import MultipartUploadInfo, StorageError

STALE_DAYS = 7  # an upload untouched this long is taken for abandoned; the rule proposed aborts after as many


def abort_rule_proposal(user, connection: str, uploads: list[MultipartUploadInfo]) -> dict:
    """{"propose_abort_rule": the settings page, its form filled in}, for who may change the bucket's rules."""
    cutoff = timezone.now() - dt.timedelta(days=STALE_DAYS)
    stale = sum(1 for u in uploads if u.initiated and u.initiated < cutoff)
    if not stale or not rules.allows(user, MANAGER, connection):
        return {}
    gateway = get_gateway()
    try:
        if not gateway.bucket_support(connection).supports("lifecycle") or has_abort_rule(
                gateway.get_bucket_lifecycle(connection)):
            return {}
    except StorageError:
        return {}
    query = urlencode({"propose": "abort_uploads", "days": STALE_DAYS})
    return {"propose_abort_rule": f"{reverse('connection_bucket', args=[connection])}?{query}#lifecycle",
            "stale_uploads": stale, "stale_days": STALE_DAYS}
