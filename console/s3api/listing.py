"""ListObjects (v1) and ListObjectsV2 as S3 answers them, over the gateway's `list_objects`, within a key's scope.

The key's scope (`Principal.listing`) either narrows the prefix (the storage is asked for less) or answers
with the one folder on the way down to the key's own (no storage call). A v2 continuation token wraps the
storage's token, signed with the prefix and delimiter it was made for: a token altered, or replayed with
another prefix, is refused, so a key limited to a folder never pages outside it.

What the gateway cannot say: a prefix's own folder marker ("team/" when listing "team/") is never listed, as
the console hides it; a v1 marker that is a common prefix resumes after everything under it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote_plus

from django.core import signing

from console.s3api.call import Call
from console.s3api.errors import S3Error
from storage import gateway as g
from storage.factory import get_gateway

MAX_KEYS = 1000
TOKEN_SALT = "console.s3api.listing.continuation"
# After every key under a folder in byte order: the largest code point, as the folder's last possible key.
AFTER_FOLDER = "\U0010ffff"
# Error messages stay in S3's English, as S3's own: tools and their users read them (the code is what counts).
BAD_ENCODING = "Invalid Encoding Method specified in Request"  # i18n: not shown
BAD_MAX_KEYS = "Provided max-keys not an integer or within integer range"  # i18n: not shown
BAD_TOKEN = "The continuation token provided is incorrect"  # i18n: not shown


@dataclass
class Request:
    """What a listing asks for, read from the query (names as S3's)."""

    prefix: str
    delimiter: str
    max_keys: int
    url_encoded: bool
    start_after: str = ""  # v2's start-after, or v1's marker
    token: str = ""  # v2's continuation-token, as the client sent it


@dataclass
class Page:
    folders: list[str] = field(default_factory=list)
    objects: list[g.ObjectSummary] = field(default_factory=list)
    next_token: str | None = None  # the storage's, signed (v2)

    @property
    def truncated(self) -> bool:
        return self.next_token is not None

    def last_name(self) -> str:
        """v1's NextMarker: the page's last key or common prefix. The storage's order within keys (a folder's
        keys may come before a sibling's, as SeaweedFS walks them); byte order between a key and a prefix."""
        lasts = [self.objects[-1].key] if self.objects else []
        return max(lasts + self.folders[-1:], default="")


def read_request(call: Call, *, after_param: str) -> Request:
    query = call.query
    encoding = query.get("encoding-type", "")
    if encoding not in ("", "url"):
        raise S3Error("InvalidArgument", BAD_ENCODING, ArgumentName="encoding-type", ArgumentValue=encoding)
    return Request(prefix=query.get("prefix", ""), delimiter=query.get("delimiter", ""),
                   max_keys=max_keys_of(query.get("max-keys")), url_encoded=encoding == "url",
                   start_after=query.get(after_param, ""), token=query.get("continuation-token", ""))


def max_keys_of(value: str | None) -> int:
    if value is None or value == "":
        return MAX_KEYS
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise S3Error("InvalidArgument", BAD_MAX_KEYS, ArgumentName="max-keys", ArgumentValue=value)
    return min(number, MAX_KEYS)


def list_page(call: Call, request: Request) -> Page:
    """One page of what the key may see under the request's prefix."""
    scoped = call.principal.listing(call.bucket, request.prefix, request.delimiter)
    if isinstance(scoped, list):  # only the folders on the way down to the key's own
        return Page(folders=[f for f in scoped if f > request.start_after][:request.max_keys])
    if request.max_keys == 0:
        return Page()
    storage_token = _unwrap(call, request, scoped) if request.token else None
    page = get_gateway().list_objects(
        call.bucket, scoped, token=storage_token, delimiter=request.delimiter, max_keys=request.max_keys,
        start_after=None if storage_token else _resume_after(request))
    return Page(list(page.folders), list(page.objects), _wrap(call, request, scoped, page.next_token))


def _resume_after(request: Request) -> str | None:
    """Where the storage starts: after a key, or after all of a common prefix (v1's NextMarker may be one)."""
    after = request.start_after
    if not after:
        return None
    rest = after[len(request.prefix):] if after.startswith(request.prefix) else ""
    if request.delimiter and rest and rest.find(request.delimiter) == len(rest) - len(request.delimiter):
        return after + AFTER_FOLDER
    return after


def _bound(call: Call, request: Request, scoped: str) -> dict[str, str]:
    return {"b": call.bucket, "p": scoped, "d": request.delimiter, "k": call.signed.key.access_key_id}


def _wrap(call: Call, request: Request, scoped: str, storage_token: str | None) -> str | None:
    if storage_token is None:
        return None
    return signing.dumps({**_bound(call, request, scoped), "t": storage_token}, salt=TOKEN_SALT, compress=True)


def _unwrap(call: Call, request: Request, scoped: str) -> str:
    try:
        payload = signing.loads(request.token, salt=TOKEN_SALT)
    except signing.BadSignature:
        payload = {}
    if not isinstance(payload, dict) or any(payload.get(k) != v for k, v in _bound(call, request, scoped).items()):
        raise S3Error("InvalidArgument", BAD_TOKEN, ArgumentName="continuation-token")
    return str(payload["t"])


def encoder(request: Request):
    """How names are written: url-encoded (spaces as '+', '/' kept) when asked, as S3 does; else as they are."""
    return (lambda name: quote_plus(name, safe="/")) if request.url_encoded else (lambda name: name)
