"""Rules every object key must pass before any request is made."""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from storage.gateway import InvalidKey

MAX_KEY_BYTES = 1024
FOLDER_HOLDS_NO_DATA = gettext_lazy("A key ending in '/' is a folder; it cannot hold data.")
# Characters that reorder the text around them: "invoice\u202efdp.exe" shows as "invoiceexe.pdf".
DIRECTION_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def has_direction_controls(text: str) -> bool:
    """Whether `text` holds a character that would make it show as another name."""
    return any(char in DIRECTION_CONTROLS for char in text)


def validate_key(key: str, *, allow_folder_marker: bool = True) -> str:
    """Return `key` unchanged if it is acceptable, else raise `InvalidKey` naming the rule.

    A trailing "/" (a folder marker such as "reports/") is allowed unless told otherwise.
    Keys are never normalised: "é" in NFC and in NFD are two different keys.
    """
    if not isinstance(key, str) or key == "":
        raise InvalidKey(_("The key is empty."))
    if key.startswith("/"):
        raise InvalidKey(_("The key must not start with '/'."))
    if "//" in key:
        raise InvalidKey(_("The key must not contain an empty path segment ('//')."))
    if "\\" in key:
        # SeaweedFS (and Windows-backed gateways) turn "\\" into "/": such a key would not round-trip.
        raise InvalidKey(_("The key must not contain '\\' (some S3 servers turn it into '/')."))
    for char in key:
        if unicodedata.category(char) == "Cc":
            raise InvalidKey(_("The key must not contain control characters (found U+%(code)04X).") % {"code": ord(char)})
    segments = key.split("/")
    if segments[-1] == "":
        if not allow_folder_marker:
            raise InvalidKey(str(FOLDER_HOLDS_NO_DATA))
        segments = segments[:-1]
    for segment in segments:
        if segment in (".", ".."):
            raise InvalidKey(_("The key must not contain a '%(segment)s' path segment.") % {"segment": segment})
    size = len(key.encode("utf-8", errors="surrogatepass"))
    if size > MAX_KEY_BYTES:
        raise InvalidKey(_("The key is %(size)s bytes in UTF-8; the limit is %(limit)s.") % {"size": size, "limit": MAX_KEY_BYTES})
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidKey(_("The key is not valid Unicode (it holds a lone surrogate).")) from None
    return key


# Limits some storages put on a key beyond S3's 1,024 bytes, by the product their `Server` header
# names. Measured against SeaweedFS 4.48 (issue #11 item 13): a key's own name, its last segment
# (a folder marker's folder name), holds at most 255 bytes in UTF-8, like a file name on disk;
# the folders above it are limited only by the 1,024 bytes of the whole key.
NAME_LIMITS = {"seaweedfs": 255}
SHORTEST_NAME_LIMIT = min(NAME_LIMITS.values())


def name_bytes(key: str) -> int:
    """The length in UTF-8 of the key's own name: its last segment, a folder marker's folder name."""
    return len(key.rstrip("/").rsplit("/", 1)[-1].encode("utf-8", errors="surrogatepass"))


def name_limit_for(server: str | None) -> int | None:
    """The longest name (bytes) the storage behind this `Server` header accepts; None when not known."""
    product = (server or "").strip().split(" ", 1)[0].lower()
    return NAME_LIMITS.get(product)


def validate_name_length(key: str, limit: int | None) -> str:
    """Refuse a key whose own name is longer than `limit` bytes (no limit when None)."""
    size = name_bytes(key)
    if limit is not None and size > limit:
        name = key.rstrip("/").rsplit("/", 1)[-1]
        shown = name if len(name) <= 40 else name[:30] + "…" + name[-8:]
        said = (_("The folder name '%(name)s' is %(size)s bytes long in UTF-8; this storage accepts file and folder "
                  "names of at most %(limit)s bytes. Choose a shorter name.") if key.endswith("/") else
                _("The file name '%(name)s' is %(size)s bytes long in UTF-8; this storage accepts file and folder "
                  "names of at most %(limit)s bytes. Choose a shorter name."))
        raise InvalidKey(said % {"name": shown, "size": f"{size:,}", "limit": limit})
    return key


def folder_upload_size(key: str, size: int | None) -> int | None:
    """The size to sign an upload of `key` with: a folder key (ending in '/') is a marker of 0 bytes.

    S3 servers that keep folders as directories do not store a body sent to such a key:
    SeaweedFS keeps a 0-byte marker (bodies up to 1 KiB are lost) or writes `a/b/b`.
    """
    if not key.endswith("/"):
        return size
    if size not in (None, 0):
        raise InvalidKey(str(FOLDER_HOLDS_NO_DATA))
    return 0


def folder_marker_body(key: str, body) -> bytes:
    """The body of an upload to a folder key, which must be empty (bytes, or a stream: one byte is read)."""
    if isinstance(body, (bytes, bytearray, memoryview)):
        extra = bytes(body[:1])
    else:
        extra = body.read(1) if hasattr(body, "read") else b"?"
    if extra:
        raise InvalidKey(str(FOLDER_HOLDS_NO_DATA))
    return b""


def validate_prefix(prefix: str) -> str:
    """A listing prefix: empty (the bucket's root) or a key-like string."""
    if prefix == "":
        return prefix
    return validate_key(prefix)


def as_folder(text: str) -> str:
    """A folder as people type it, as a prefix: "team", "/team/" -> "team/"; "" and "/" -> "" (everything).

    Raises InvalidKey naming the rule when it cannot be a folder (an empty, "." or ".." segment ...).
    """
    folder = text.strip().lstrip("/")
    if folder and not folder.endswith("/"):
        folder += "/"
    return validate_prefix(folder)


def join_key(prefix: str, relative_path: str) -> str:
    """Build a key from a folder prefix and a relative path, then validate it."""
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    return validate_key(prefix + relative_path, allow_folder_marker=False)


def check_copy_keys(source_key: str, dest_key: str) -> None:
    """A copy lands on a key that can hold what it copies: a file's bytes never go to a folder key."""
    validate_key(source_key)
    validate_key(dest_key)
    if dest_key.endswith("/") and not source_key.endswith("/"):
        raise InvalidKey(str(FOLDER_HOLDS_NO_DATA))


def numbered(key: str, label: int | str) -> str:
    """`a/report.pdf` -> `a/report (2).pdf`; `a/.env` -> `a/.env (2)`; `a/archive.tar.gz` -> `a/archive.tar (2).gz`.

    The one rule for "keep both" names: the drop box's free names and the jobs' copies.
    """
    folder, slash, name = key.rpartition("/")
    stem, dot, ext = name.rpartition(".") if "." in name.lstrip(".") else (name, "", "")
    return f"{folder}{slash}{stem} ({label}){dot}{ext}"
