"""Bodies: aws-chunked with trailer checksums (as boto3 and the aws CLI send them), chunk-signed streaming
(our own encoder, from the spec), and the checksum headers; each checked as it streams, refused before the
last bytes are handed on."""

from __future__ import annotations

import base64
import hashlib
import io

import pytest

from console.s3api.auth import authenticate, request_body
from console.s3api.chunked import MAX_LINE, READ_SIZE
from console.s3api.errors import S3Error
from tests.unit.s3api.signing import (
    accept,
    b64_checksum,
    django_request,
    make_key,
    read_all,
    sign,
    signed_chunks,
    signed_chunks_request,
    unsigned_trailer_body,
    unsigned_trailer_request,
)

pytestmark = pytest.mark.django_db
DATA = bytes(range(256)) * 1000 + b"tail"  # 256004 bytes: four 64 KiB chunks and a short one
ALGORITHMS = ["crc32", "crc32c", "crc64nvme", "sha1", "sha256"]


@pytest.fixture
def key():
    return make_key()


def refused_late(django_req, expected: bytes = DATA) -> S3Error:
    """The S3Error a body raises, having checked it was raised before all of the body was handed on (the end
    read a byte at a time, so no read's partly filled buffer hides bytes that were given out)."""
    signed = authenticate(django_req)
    body = request_body(django_req, signed)
    received: list[bytes] = []
    with pytest.raises(S3Error) as caught:
        while sum(map(len, received)) < len(expected) - READ_SIZE - 16 and (piece := body.read(7000)):
            received.append(piece)
        read_all(body, read_size=1, into=received)
    assert len(b"".join(received)) < len(expected)
    return caught.value


# STREAMING-UNSIGNED-PAYLOAD-TRAILER: what boto3 and the aws CLI send over HTTPS by default


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("chunked", [True, False], ids=["transfer-encoding-chunked", "content-length"])
def test_it_accepts_a_trailer_checksum(key, algorithm, chunked):
    request = unsigned_trailer_request("/bucket/a.bin", DATA, algorithm)
    body = unsigned_trailer_body(DATA, algorithm)
    signed, data = accept(django_request(request, body=body, chunked=chunked))
    assert (signed.payload, data) == ("STREAMING-UNSIGNED-PAYLOAD-TRAILER", DATA)
    assert request_body(django_request(request, body=body, chunked=chunked), signed).length == len(DATA)


@pytest.mark.parametrize("data", [b"", b"x", b"y" * READ_SIZE], ids=["empty", "one-byte", "one-chunk"])
def test_it_accepts_small_aws_chunked_bodies(key, data):
    request = unsigned_trailer_request("/bucket/a.bin", data)
    assert accept(django_request(request, body=unsigned_trailer_body(data), chunked=True))[1] == data


def test_it_accepts_aws_chunked_without_a_trailer(key):
    request = unsigned_trailer_request("/bucket/a.bin", DATA, None)
    assert accept(django_request(request, body=unsigned_trailer_body(DATA, None), chunked=True))[1] == DATA


def test_it_refuses_a_wrong_trailer_checksum(key):
    body = unsigned_trailer_body(DATA).replace(b"x-amz-checksum-crc32:", b"x-amz-checksum-crc32:A")
    body = body.replace(b":A" + body.split(b":A")[1][:8], b":AAAAAA==")
    request = django_request(unsigned_trailer_request("/bucket/a.bin", DATA), body=body, chunked=True)
    assert refused_late(request).code == "BadDigest"


def test_it_refuses_a_changed_chunk_under_a_trailer_checksum(key):
    body = unsigned_trailer_body(DATA)
    tampered = body.replace(b"tail", b"TAIL")
    request = django_request(unsigned_trailer_request("/bucket/a.bin", DATA), body=tampered, chunked=True)
    assert refused_late(request).code == "BadDigest"


def test_it_refuses_a_missing_trailer(key):
    body = unsigned_trailer_body(DATA, None)
    request = django_request(unsigned_trailer_request("/bucket/a.bin", DATA), body=body, chunked=True)
    assert refused_late(request).code == "MalformedTrailerError"


def test_it_refuses_an_undeclared_trailer(key):
    body = unsigned_trailer_body(DATA)
    request = django_request(unsigned_trailer_request("/bucket/a.bin", DATA, None), body=body, chunked=True)
    assert refused_late(request).code == "MalformedTrailerError"


@pytest.mark.parametrize("declared", [len(DATA) - 1, len(DATA) + 1])
def test_it_refuses_a_body_whose_length_is_not_the_decoded_length(key, declared):
    signed_for = unsigned_trailer_request("/bucket/a.bin", (DATA + b"!")[:declared])  # the header is signed
    request = django_request(signed_for, body=unsigned_trailer_body(DATA), chunked=True)
    with pytest.raises(S3Error) as caught:
        accept(request)
    assert caught.value.code == "IncompleteBody"


def test_it_refuses_a_truncated_aws_chunked_body(key):
    body = unsigned_trailer_body(DATA)[:-200]
    request = django_request(unsigned_trailer_request("/bucket/a.bin", DATA), body=body, chunked=True)
    assert refused_late(request).code == "IncompleteBody"


def test_it_reads_a_large_chunk_a_bounded_piece_at_a_time(key):
    data = b"z" * (3 * 1024 * 1024)
    wire = io.BytesIO(unsigned_trailer_body(data, chunk_size=len(data)))
    asked: list[int] = []
    real_read = wire.read
    wire.read = lambda size=-1: asked.append(size) or real_read(size)
    request = django_request(unsigned_trailer_request("/bucket/a.bin", data), chunked=True, **{"wsgi.input": wire})
    body = request_body(request, authenticate(request))
    pieces: list[bytes] = []
    read_all(body, read_size=1024 * 1024, into=pieces)
    assert b"".join(pieces) == data
    assert all(0 < size <= max(READ_SIZE, MAX_LINE) for size in asked)


# The checksum headers


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_it_accepts_a_checksum_header(key, algorithm):
    header = f"x-amz-checksum-{algorithm}"
    request = sign("PUT", "/bucket/a.bin", body=DATA, headers={header: b64_checksum(algorithm, DATA)})
    assert accept(django_request(request))[1] == DATA


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_it_refuses_a_wrong_checksum_header(key, algorithm):
    header = f"x-amz-checksum-{algorithm}"
    request = sign("PUT", "/bucket/a.bin", body=DATA, payload="UNSIGNED-PAYLOAD",
                   headers={header: b64_checksum(algorithm, DATA + b"!")})
    error = refused_late(django_request(request))
    assert (error.code, error.message) == ("BadDigest", f"The {algorithm.upper()} you specified did not match the "
                                                        "calculated checksum.")


@pytest.mark.parametrize("value", ["not base64!", "AAAA", ""])
def test_it_refuses_a_malformed_checksum_header(key, value):
    request = sign("PUT", "/bucket/a.bin", body=DATA, headers={"x-amz-checksum-crc32": value})
    with pytest.raises(S3Error) as caught:
        accept(django_request(request))
    assert caught.value.code == "InvalidRequest"


def test_it_checks_content_md5(key):
    md5 = base64.b64encode(hashlib.md5(DATA).digest()).decode()
    assert accept(django_request(sign("PUT", "/b/a", body=DATA, headers={"Content-MD5": md5})))[1] == DATA
    wrong = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    request = sign("PUT", "/b/a", body=DATA, payload="UNSIGNED-PAYLOAD", headers={"Content-MD5": wrong})
    assert refused_late(django_request(request)).code == "BadDigest"
    request = sign("PUT", "/b/a", body=DATA, headers={"Content-MD5": "short"})
    with pytest.raises(S3Error) as caught:
        accept(django_request(request))
    assert caught.value.code == "InvalidDigest"


# STREAMING-AWS4-HMAC-SHA256-PAYLOAD(-TRAILER): each chunk signed, chained from the request's signature


@pytest.mark.parametrize("chunked", [True, False], ids=["transfer-encoding-chunked", "content-length"])
@pytest.mark.parametrize("trailer", [None, "crc32c", "sha256"])
def test_it_accepts_signed_chunks(key, chunked, trailer):
    request = signed_chunks_request("/bucket/a.bin", DATA, trailer=trailer)
    body = b"".join(signed_chunks(request, DATA, trailer=trailer))
    signed, data = accept(django_request(request, body=body, chunked=chunked))
    assert data == DATA and signed.payload.startswith("STREAMING-AWS4-HMAC-SHA256-PAYLOAD")


@pytest.mark.parametrize("data", [b"", b"q"], ids=["empty", "one-byte"])
def test_it_accepts_small_signed_chunk_bodies(key, data):
    request = signed_chunks_request("/bucket/a.bin", data)
    assert accept(django_request(request, body=b"".join(signed_chunks(request, data)), chunked=True))[1] == data


def _chunks(trailer=None):
    request = signed_chunks_request("/bucket/a.bin", DATA, trailer=trailer)
    return request, signed_chunks(request, DATA, trailer=trailer)


def test_it_refuses_a_changed_chunk(key):
    request, chunks = _chunks()
    chunks[1] = chunks[1][:-10] + b"xxxxxxxx\r\n"
    error = refused_late(django_request(request, body=b"".join(chunks), chunked=True))
    assert error.code == "SignatureDoesNotMatch"


def test_it_refuses_a_changed_last_chunk_before_handing_on_its_bytes(key):
    request, chunks = _chunks()
    chunks[-2] = chunks[-2].replace(b"tail", b"TAIL")
    error = refused_late(django_request(request, body=b"".join(chunks), chunked=True))
    assert error.code == "SignatureDoesNotMatch"


def test_it_refuses_a_changed_chunk_signature(key):
    request, chunks = _chunks()
    signature = chunks[2].split(b"chunk-signature=")[1][:64]
    chunks[2] = chunks[2].replace(signature, hashlib.sha256(b"forged").hexdigest().encode())
    assert refused_late(django_request(request, body=b"".join(chunks))).code == "SignatureDoesNotMatch"


def test_it_refuses_chunks_in_another_order(key):
    request, chunks = _chunks()
    chunks[0], chunks[1] = chunks[1], chunks[0]
    assert refused_late(django_request(request, body=b"".join(chunks))).code == "SignatureDoesNotMatch"


def test_it_refuses_a_changed_final_chunk_signature(key):
    request, chunks = _chunks()
    chunks[-1] = b"0;chunk-signature=" + b"0" * 64 + b"\r\n\r\n"
    assert refused_late(django_request(request, body=b"".join(chunks))).code == "SignatureDoesNotMatch"


def test_it_refuses_chunks_signed_with_another_secret(key):
    request = signed_chunks_request("/bucket/a.bin", DATA)
    body = b"".join(signed_chunks(request, DATA, secret="guessed"))
    assert refused_late(django_request(request, body=body)).code == "SignatureDoesNotMatch"


def test_it_refuses_a_chunk_without_a_signature(key):
    request, chunks = _chunks()
    chunks[0] = b"%x\r\n" % READ_SIZE + chunks[0].split(b"\r\n", 1)[1]
    assert refused_late(django_request(request, body=b"".join(chunks))).code == "InvalidRequest"


def test_it_refuses_a_changed_signed_trailer(key):
    request, chunks = _chunks(trailer="crc32")
    other = b64_checksum("crc32", b"other").encode()
    chunks[-1] = chunks[-1].replace(chunks[-1].split(b":")[1].split(b"\r\n")[0], other)
    assert refused_late(django_request(request, body=b"".join(chunks))).code == "SignatureDoesNotMatch"


def test_it_refuses_a_changed_trailer_signature(key):
    request, chunks = _chunks(trailer="crc32")
    chunks[-1] = chunks[-1][:-8] + b"00\r\n\r\n"  # the last hex digits of the signature
    assert refused_late(django_request(request, body=b"".join(chunks))).code == "SignatureDoesNotMatch"


def test_it_refuses_a_signed_trailer_without_its_signature(key):
    request, chunks = _chunks(trailer="crc32")
    chunks[-1] = chunks[-1].split(b"x-amz-trailer-signature")[0] + b"\r\n"
    assert refused_late(django_request(request, body=b"".join(chunks))).code == "InvalidRequest"


def test_it_refuses_a_body_whose_trailer_matches_its_signature_but_not_the_data(key):
    request = signed_chunks_request("/bucket/a.bin", DATA, trailer="crc32")
    good = signed_chunks(request, DATA, trailer="crc32")
    honest_trailer_for_other_data = signed_chunks(request, DATA[:-1] + b"!", trailer="crc32")[-1]
    assert honest_trailer_for_other_data != good[-1]
    body = b"".join(good[:-1]) + honest_trailer_for_other_data
    assert refused_late(django_request(request, body=body)).code in ("SignatureDoesNotMatch", "BadDigest")


def test_it_refuses_a_signed_streaming_body_without_a_decoded_length(key):
    request = sign("PUT", "/bucket/a.bin", headers={"Content-Encoding": "aws-chunked"},
                   payload="STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
    body = b"".join(signed_chunks(request, DATA))
    with pytest.raises(S3Error) as caught:
        accept(django_request(request, body=body))
    assert (caught.value.code, caught.value.status) == ("MissingContentLength", 411)


@pytest.mark.parametrize("header", ["x-amz-checksum-mode", "x-amz-checksum-type", "x-amz-checksum-algorithm"])
def test_it_takes_the_checksum_headers_that_carry_no_value_for_what_they_are(key, header):
    request = sign("PUT", "/bucket/a.bin", body=DATA, headers={header: "ENABLED"})
    assert accept(django_request(request))[1] == DATA
