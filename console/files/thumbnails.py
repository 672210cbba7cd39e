"""Gallery thumbnails without a storage request each: a link per tile that vouches for what the listing said
(an image under the size cap), and one audit row for the page that showed them.

The thumbnail route (views/browse.thumbnail) believes "a picture, small enough" only from a link signed here
for the person, connection and key while the page was made from the listing rows: nothing about size or type
is read from the request, and no HEAD is sent. Access is still checked on every request.
"""

from __future__ import annotations

import json
import time

from django.core import signing
from django.http import HttpRequest
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from console import audit
from console.files.common import FileRow, with_query

SALT = "console.files.thumbnail"
LINK_SECONDS = 6 * 3600  # a gallery page left open this long still loads its thumbnails when scrolled to
PERIOD_SECONDS = 600  # links made within one period are the same URL, so a reload finds the kept redirects
CACHE_SECONDS = 60  # the browser keeps the redirect, privately, well within the signed URL's 300 s


def _vouch(person: object, connection: str, key: str, period: int) -> str:
    signature = signing.Signer(salt=SALT).signature(json.dumps([person, connection, key, period]))
    return f"{period}.{signature}"


def link(person: object, connection: str, key: str) -> str:
    """The tile's <img src>: the thumbnail route, with the listing's word for it (`t`)."""
    vouch = _vouch(person, connection, key, int(time.time()) // PERIOD_SECONDS)
    return with_query(reverse("files_thumbnail", args=[connection]), t=vouch, key=key)


def vouched(vouch: str, person: object, connection: str, key: str) -> bool:
    """Whether `vouch` came from link() for this person, connection and key, less than LINK_SECONDS ago."""
    period = vouch.partition(".")[0]
    if not (period.isascii() and period.isdigit() and len(period) < 12) or not 0 <= time.time() // PERIOD_SECONDS - int(period) <= LINK_SECONDS // PERIOD_SECONDS:
        return False
    return constant_time_compare(vouch, _vouch(person, connection, key, int(period)))


def record_shown(request: HttpRequest, connection: str, folder: str, tiles: list[tuple[FileRow, str, str]],
                 **where) -> None:
    """One row for a gallery page's thumbnails (their reads are this row, not one row each); `where` says which
    page of the folder (its order, its first entry's place in it)."""
    keys = [row.summary.key for row, _, thumbnail in tiles if thumbnail]
    if keys:
        audit.record(request, "objects.thumbnails_shown", connection=connection, target=folder, objects=len(keys),
                     first=keys[0], last=keys[-1], **where)
