"""What share links do, apart from pages: create, resolve, count, throttle."""

from __future__ import annotations

import datetime as dt
import functools

from django.contrib.auth.hashers import check_password, make_password
from django.db.models import F
from django.utils import timezone

from console.shares.models import ShareAttempt, ShareLink
from console.shares.tokens import hash_token, new_token

PASSWORD_ATTEMPTS = 5
PASSWORD_WINDOW = dt.timedelta(minutes=15)
DOWNLOAD_URL_SECONDS = 60


@functools.cache
def _dummy_hash() -> str:
    return make_password("not-a-real-password")


def create_share(*, user, kind: str, connection: str, key: str, expires_at=None, password: str = "",
                 max_downloads: int | None = None, inline: bool = False,
                 max_upload_size: int | None = None) -> tuple[ShareLink, str]:
    """Store a new link; returns it with its token, which is never stored."""
    token = new_token()
    share = ShareLink.objects.create(
        token_hash=hash_token(token), kind=kind, connection=connection, key=key, created_by=user,
        expires_at=expires_at, password=make_password(password) if password else "",
        max_downloads=max_downloads, inline=inline, max_upload_size=max_upload_size,
    )
    return share, token


def find_share(token: str) -> ShareLink | None:
    return ShareLink.objects.filter(token_hash=hash_token(token)).first()


def check_share_password(share: ShareLink | None, password: str) -> bool:
    """Costs the same whether or not the share exists (no timing oracle)."""
    if share is None or not share.password:
        check_password(password, _dummy_hash())
        return False
    return check_password(password, share.password)


def too_many_attempts(token: str, address: str | None) -> bool:
    since = timezone.now() - PASSWORD_WINDOW
    return ShareAttempt.objects.filter(token_hash=hash_token(token), address=address,
                                       at__gte=since).count() >= PASSWORD_ATTEMPTS


def record_failed_attempt(token: str, address: str | None) -> None:
    ShareAttempt.objects.create(token_hash=hash_token(token), address=address)


def claim_download(share: ShareLink) -> bool:
    """Count one download if the link still allows it: one conditional UPDATE, so it is exact under load."""
    now = timezone.now()
    claimed = ShareLink.objects.filter(pk=share.pk).filter(ShareLink.usable(now)).update(
        download_count=F("download_count") + 1, last_used_at=now)
    return claimed == 1


def count_upload(share: ShareLink) -> None:
    ShareLink.objects.filter(pk=share.pk).update(upload_count=F("upload_count") + 1, last_used_at=timezone.now())


def revoke(shares) -> int:
    return shares.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
