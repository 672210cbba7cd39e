"""Digests as S3 writes them: Content-MD5, ETags (plain and multipart), and the checksums it keeps.

Shared by the gateways (which send Content-MD5) and by whoever moves bytes between storages and must
check what arrived against what the storage says it holds.
"""

from __future__ import annotations

import base64
import hashlib
import zlib


def content_md5(body: bytes, md5: bytes | None = None) -> str:
    """The Content-MD5 header: the storage refuses (BadDigest) a body that arrived otherwise.

    `md5` is the body's digest (16 raw bytes) when the caller computed it already: it is sent as given, and
    the body is not hashed again (a gigabyte streamed between storages is then hashed once, not twice)."""
    if md5 is None:
        md5 = hashlib.md5(body).digest()
    elif len(md5) != 16:
        raise ValueError(f"An MD5 digest is 16 bytes, not {len(md5)}.")  # i18n: not shown (a programming error)
    return base64.b64encode(md5).decode()


def is_plain_md5(etag: str) -> bool:
    """An ETag that is the MD5 of the object's bytes (one PUT, no encryption by KMS): 32 hex digits, no '-'."""
    etag = etag.strip('"')
    return len(etag) == 32 and all(c in "0123456789abcdef" for c in etag.lower())


def multipart_etag(part_md5s: list[str]) -> str:
    """The ETag S3 gives an object completed from parts with these MD5s (hex): MD5 of their digests, '-', count."""
    joined = b"".join(bytes.fromhex(md5) for md5 in part_md5s)
    return f"{hashlib.md5(joined).hexdigest()}-{len(part_md5s)}"


def sha256_b64(data: bytes) -> str:
    """A SHA-256 as S3 writes it (x-amz-checksum-sha256: base64)."""
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


class Checksums:
    """Running checksums of a stream, for the names the storage gave (ObjectMeta.checksums) that can be computed."""

    def __init__(self, wanted: dict[str, str]):
        self.wanted = {name: value for name, value in wanted.items() if name in ("sha256", "sha1", "crc32")}
        self._hashes = {name: hashlib.new(name) for name in self.wanted if name != "crc32"}
        self._crc32 = 0

    def update(self, data: bytes) -> None:
        if not self.wanted:
            return
        for digest in self._hashes.values():
            digest.update(data)
        if "crc32" in self.wanted:
            self._crc32 = zlib.crc32(data, self._crc32)

    def mismatches(self) -> list[str]:
        """The names whose value differs from the storage's (empty when all agree, or none was given)."""
        got = {name: base64.b64encode(digest.digest()).decode() for name, digest in self._hashes.items()}
        if "crc32" in self.wanted:
            got["crc32"] = base64.b64encode(self._crc32.to_bytes(4, "big")).decode()
        return [name for name, value in self.wanted.items() if got[name] != value]
