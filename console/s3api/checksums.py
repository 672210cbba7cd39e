"""The body checksums S3 clients send: x-amz-checksum-* (CRC32, CRC32C, CRC64NVME, SHA1, SHA256) and Content-MD5.

Each is computed as the bytes stream past (`Digests.update`), then compared once the body has ended
(`Digests.verify`), before its last bytes are handed on. Values travel base64-encoded, big-endian for the CRCs.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import zlib

import crc32c as _crc32c

from console.s3api.errors import S3Error


class _Crc32:
    size = 4

    def __init__(self) -> None:
        self._value = 0

    def update(self, data: bytes) -> None:
        self._value = zlib.crc32(data, self._value)

    def digest(self) -> bytes:
        return (self._value & 0xFFFFFFFF).to_bytes(4, "big")


class _Crc32c(_Crc32):
    def update(self, data: bytes) -> None:
        self._value = _crc32c.crc32c(data, self._value)


def _crc64nvme_table() -> list[int]:
    poly = 0x9A6C9329AC4BC9B5  # CRC-64/NVME, reflected
    table = []
    for byte in range(256):
        crc = byte
        for _bit in range(8):
            crc = (crc >> 1) ^ poly if crc & 1 else crc >> 1
        table.append(crc)
    return table


_CRC64_TABLE = _crc64nvme_table()


class _Crc64Nvme:
    """CRC-64/NVME in plain Python: correct but slow (a few MB/s); clients send it only when asked to."""

    size = 8

    def __init__(self) -> None:
        self._value = 0xFFFFFFFFFFFFFFFF

    def update(self, data: bytes) -> None:
        crc, table = self._value, _CRC64_TABLE
        for byte in data:
            crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
        self._value = crc

    def digest(self) -> bytes:
        return (self._value ^ 0xFFFFFFFFFFFFFFFF).to_bytes(8, "big")


class _Hash:
    def __init__(self, name: str) -> None:
        self._hash = hashlib.new(name)
        self.size = self._hash.digest_size

    def update(self, data: bytes) -> None:
        self._hash.update(data)

    def digest(self) -> bytes:
        return self._hash.digest()


ALGORITHMS = {
    "crc32": _Crc32,
    "crc32c": _Crc32c,
    "crc64nvme": _Crc64Nvme,
    "sha1": lambda: _Hash("sha1"),
    "sha256": lambda: _Hash("sha256"),
}
HEADER_PREFIX = "x-amz-checksum-"


def algorithm_of(header: str) -> str:
    """'crc32' of 'x-amz-checksum-crc32'; InvalidRequest for a checksum S3 does not define."""
    name = header.lower()
    algorithm = name[len(HEADER_PREFIX):] if name.startswith(HEADER_PREFIX) else ""
    if algorithm not in ALGORITHMS:
        raise S3Error("InvalidRequest", f"The checksum {header} is not supported; use one of "
                      + ", ".join(HEADER_PREFIX + a for a in ALGORITHMS) + ".")
    return algorithm


def new(algorithm: str):
    return ALGORITHMS[algorithm]()


def decode(header: str, value: str, size: int) -> bytes:
    """The digest a base64 header value carries; InvalidRequest when it is not one of the right size."""
    try:
        digest = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        digest = b""
    if len(digest) != size:
        raise S3Error("InvalidRequest", f"Value for {header} header is invalid.")
    return digest


class Digests:
    """The checks one body must pass: (what it is called, its expected digest, its running hash)."""

    def __init__(self) -> None:
        self._checks: list[tuple[str, bytes, object]] = []

    def expect_checksum(self, header: str, value: str) -> None:
        algorithm = algorithm_of(header)
        hasher = new(algorithm)
        self._checks.append((algorithm.upper(), decode(header, value, hasher.size), hasher))

    def expect_md5(self, value: str) -> None:
        try:
            digest = base64.b64decode(value.strip(), validate=True)
        except (binascii.Error, ValueError):
            digest = b""
        if len(digest) != 16:
            raise S3Error("InvalidDigest", "The Content-MD5 you specified was not valid.")
        self._checks.append(("Content-MD5", digest, hashlib.md5(usedforsecurity=False)))

    def track(self, algorithm: str):
        """A running hash whose expected value arrives later (a trailer): compare with `check_late`."""
        return self.add(new(algorithm))

    def add(self, hasher):
        """Feed another running hash (one the caller compares itself) with the same bytes."""
        self._checks.append(("", b"", hasher))
        return hasher

    def update(self, data: bytes) -> None:
        for _name, _expected, hasher in self._checks:
            hasher.update(data)

    def verify(self) -> None:
        for name, expected, hasher in self._checks:
            if expected and hasher.digest() != expected:
                raise S3Error("BadDigest", _mismatch(name))


def check_late(header: str, value: str, hasher) -> None:
    """A trailer's checksum against the hash of the whole body."""
    if hasher.digest() != decode(header, value, hasher.size):
        raise S3Error("BadDigest", _mismatch(algorithm_of(header).upper()))


def _mismatch(name: str) -> str:
    if name == "Content-MD5":
        return "The Content-MD5 you specified did not match what we received."
    return f"The {name} you specified did not match the calculated checksum."
