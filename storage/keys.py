"""Rules every object key must pass before any request is made."""

from __future__ import annotations

import unicodedata

from storage.gateway import InvalidKey

MAX_KEY_BYTES = 1024
FOLDER_HOLDS_NO_DATA = "A key ending in '/' is a folder; it cannot hold data."


def validate_key(key: str, *, allow_folder_marker: bool = True) -> str:
    """Return `key` unchanged if it is acceptable, else raise `InvalidKey` naming the rule.

    A trailing "/" (a folder marker such as "reports/") is allowed unless told otherwise.
    Keys are never normalised: "é" in NFC and in NFD are two different keys.
    """
    if not isinstance(key, str) or key == "":
        raise InvalidKey("The key is empty.")
    if key.startswith("/"):
        raise InvalidKey("The key must not start with '/'.")
    if "//" in key:
        raise InvalidKey("The key must not contain an empty path segment ('//').")
    if "\\" in key:
        # SeaweedFS (and Windows-backed gateways) turn "\\" into "/": such a key would not round-trip.
        raise InvalidKey("The key must not contain '\\' (some S3 servers turn it into '/').")
    for char in key:
        if unicodedata.category(char) == "Cc":
            raise InvalidKey(f"The key must not contain control characters (found U+{ord(char):04X}).")
    segments = key.split("/")
    if segments[-1] == "":
        if not allow_folder_marker:
            raise InvalidKey(FOLDER_HOLDS_NO_DATA)
        segments = segments[:-1]
    for segment in segments:
        if segment in (".", ".."):
            raise InvalidKey(f"The key must not contain a '{segment}' path segment.")
    size = len(key.encode("utf-8", errors="surrogatepass"))
    if size > MAX_KEY_BYTES:
        raise InvalidKey(f"The key is {size} bytes in UTF-8; the limit is {MAX_KEY_BYTES}.")
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidKey("The key is not valid Unicode (it holds a lone surrogate).") from None
    return key


def folder_upload_size(key: str, size: int | None) -> int | None:
    """The size to sign an upload of `key` with: a folder key (ending in '/') is a marker of 0 bytes.

    S3 servers that keep folders as directories do not store a body sent to such a key:
    SeaweedFS keeps a 0-byte marker (bodies up to 1 KiB are lost) or writes `a/b/b`.
    """
    if not key.endswith("/"):
        return size
    if size not in (None, 0):
        raise InvalidKey(FOLDER_HOLDS_NO_DATA)
    return 0


def folder_marker_body(key: str, body) -> bytes:
    """The body of an upload to a folder key, which must be empty (bytes, or a stream: one byte is read)."""
    if isinstance(body, (bytes, bytearray, memoryview)):
        extra = bytes(body[:1])
    else:
        extra = body.read(1) if hasattr(body, "read") else b"?"
    if extra:
        raise InvalidKey(FOLDER_HOLDS_NO_DATA)
    return b""


def validate_prefix(prefix: str) -> str:
    """A listing prefix: empty (the bucket's root) or a key-like string."""
    if prefix == "":
        return prefix
    return validate_key(prefix)


def join_key(prefix: str, relative_path: str) -> str:
    """Build a key from a folder prefix and a relative path, then validate it."""
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    return validate_key(prefix + relative_path, allow_folder_marker=False)
