"""What share links do, apart from pages: create, resolve, count, throttle."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from console.access import rules
from console.roles import EDITOR
from console.shares.models import DropboxKey, ShareAttempt, ShareLink
from console.shares.tokens import hash_token, new_token

PASSWORD_ATTEMPTS = 5
PASSWORD_WINDOW = dt.timedelta(minutes=15)
DOWNLOAD_URL_SECONDS = 60
DROPBOX_POLICY_SECONDS = 900
# A drop-box key stays one visitor's while their policy lives, and a day more for a slow upload.
DROPBOX_KEY_HOLD = dt.timedelta(seconds=DROPBOX_POLICY_SECONDS) + dt.timedelta(days=1)
DROPBOX_POLICIES_PER_HOUR = 200  # per drop box and address: each writes a reservation and an audit row


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
    return ShareLink.objects.select_related("created_by").filter(token_hash=hash_token(token)).first()


def suspension(share: ShareLink) -> str | None:
    """Why a link is suspended, or None: it works only while the person who made it could make it again
    (their account active, an editor or more on its connection at its key). Access coming back revives it."""
    if _connection_made_after(share):
        return _("The connection %(connection)s was deleted after this link was made; one of that name was made "
                 "since.") % {"connection": share.connection}
    creator = share.created_by
    if creator is None:
        return _("The account of the person who shared it was deleted.")
    if not creator.is_active:
        return _("%(user)s is deactivated.") % {"user": creator.get_username()}
    if not rules.allows(creator, EDITOR, share.connection, share.key):
        return _("%(user)s no longer holds the editor role on %(target)s.") % {
            "user": creator.get_username(), "target": f"{share.connection}:{share.key or '/'}"}
    return None


def _connection_made_after(share: ShareLink) -> bool:
    """Whether the connection record of the link's name is younger than the link: the one it was made on is gone."""
    from storage import record_cache
    from storage.models import Connection

    made = record_cache.cached(f"connection-created:{share.connection}", lambda: Connection.objects.filter(
        name=share.connection).values_list("created_at", flat=True).first())
    return made is not None and made > share.created_at


def creator_still_may_share(share: ShareLink) -> bool:
    return suspension(share) is None


def check_share_password(share: ShareLink | None, password: str) -> bool:
    """Costs the same whether or not the share exists (no timing oracle)."""
    if share is None or not share.password:
        check_password(password, _dummy_hash())
        return False
    return check_password(password, share.password)


def start_attempt(token: str, address: str | None) -> ShareAttempt | None:
    """Count a password attempt before it is checked; None when the limit is used up.

    The row is written (and committed) first and the count read after, so parallel guesses cannot
    all pass a count taken before any of them was written: the n-th row committed sees at least n.
    """
    now = timezone.now()
    ShareAttempt.objects.filter(at__lt=now - PASSWORD_WINDOW).delete()  # old rows count for nothing
    attempt = ShareAttempt.objects.create(token_hash=hash_token(token), address=address)
    counted = ShareAttempt.objects.filter(token_hash=attempt.token_hash, address=address,
                                          at__gte=now - PASSWORD_WINDOW).count()
    if counted > PASSWORD_ATTEMPTS:
        attempt.delete()  # refused attempts keep no row: at most PASSWORD_ATTEMPTS rows per window
        return None
    return attempt


def forget_attempt(attempt: ShareAttempt) -> None:
    """The right password was given: that attempt does not count against anyone."""
    attempt.delete()


def claim_download(share: ShareLink, *, audit: Callable[[], object]) -> bool:
    """Count one download if the link still allows it, and `audit()` it in the same transaction.

    One conditional UPDATE, so the count is exact under load, and a link revoked or used up since
    `share` was read is refused. A download is counted with its audit row, or not at all.
    """
    now = timezone.now()
    with transaction.atomic():
        claimed = ShareLink.objects.filter(pk=share.pk).filter(ShareLink.usable(now)).update(
            download_count=F("download_count") + 1, last_used_at=now)
        if claimed:
            audit()
    return claimed == 1


def count_upload(share: ShareLink) -> None:
    ShareLink.objects.filter(pk=share.pk).update(upload_count=F("upload_count") + 1, last_used_at=timezone.now())


def too_many_policies(share: ShareLink, address: str | None) -> bool:
    """Whether this address had its hour's share of upload policies from this drop box."""
    recent = timezone.now() + DROPBOX_KEY_HOLD - dt.timedelta(hours=1)
    return DropboxKey.objects.filter(share=share, address=address,
                                     reserved_until__gt=recent).count() >= DROPBOX_POLICIES_PER_HOUR


def reserve_dropbox_key(share: ShareLink, key: str, address: str | None = None) -> bool:
    """Hand `key` to one visitor: False when another visitor's policy may still write it."""
    now = timezone.now()
    until = now + DROPBOX_KEY_HOLD
    taken_over = DropboxKey.objects.filter(connection=share.connection, key=key, reserved_until__lte=now).update(
        share=share, reserved_until=until, address=address)
    if taken_over:
        return True
    try:
        with transaction.atomic():
            DropboxKey.objects.create(share=share, connection=share.connection, key=key, reserved_until=until,
                                      address=address)
    except IntegrityError:
        return False
    return True


def prune_dropbox_keys() -> None:
    DropboxKey.objects.filter(reserved_until__lte=timezone.now()).delete()


def revoke(shares, *, audit: Callable[[ShareLink], object] = lambda share: None) -> list[ShareLink]:
    """Revoke the links not revoked yet, `audit(share)` each in the same transaction; returns them.

    The rows are locked first, so of two people revoking one link at once, one revokes (and is
    recorded) and the other finds nothing left to do.
    """
    now = timezone.now()
    with transaction.atomic():
        revoked = list(shares.filter(revoked_at__isnull=True).select_for_update(of=("self",)).order_by("pk"))
        ShareLink.objects.filter(pk__in=[share.pk for share in revoked]).update(revoked_at=now)
        for share in revoked:
            share.revoked_at = now
            audit(share)
    return revoked
