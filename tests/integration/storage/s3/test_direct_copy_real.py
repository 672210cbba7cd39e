"""Server-side copies sent by the direct copier (not botocore) against the real SeaweedFS: names, conditions,
metadata, refusals and failures come out as the gateway's errors, exactly as through boto3."""

from __future__ import annotations

import pytest

from storage.connections import StaticRegistry
from storage.dev.seaweedfs import free_port
from storage.gateway import AccessDenied, IntegrityFailure, ObjectNotFound, StorageUnreachable
from storage.s3.gateway import S3Gateway
from tests.conftest import TWIN_BUCKET, seaweed_spec

NAMES = ["plain.txt", "a space and+plus.txt", "percent%20literal.txt", "tilde~star*.txt", "q?hash#amp&eq=.txt",
         "日本語/é\u0301.txt", "emoji 😀.txt", "quote'\"<>.txt", "semi;colon:at@dollar$.txt", "deep/er/still.txt"]


@pytest.fixture
def gateway(seaweedfs, twin_bucket, monkeypatch):
    gateway = S3Gateway(StaticRegistry([seaweed_spec(seaweedfs),
                                        seaweed_spec(seaweedfs, name="twin", bucket=TWIN_BUCKET, is_default=False)]))
    botocore_copies = []
    original = gateway._client

    def client(spec, **kwargs):
        made = original(spec, **kwargs)
        monkeypatch.setattr(made, "copy_object", lambda **p: botocore_copies.append(p), raising=False)
        return made

    monkeypatch.setattr(gateway, "_client", client)
    yield gateway
    assert botocore_copies == []  # every copy here went the direct way


def put(gateway, key: str, body: bytes, **extra) -> None:
    spec = gateway._spec("primary")
    gateway.clients.get(spec).put_object(Bucket=spec.bucket, Key=key, Body=body, **extra)


@pytest.mark.parametrize("name", NAMES)
def test_a_name_of_any_characters_is_copied_with_its_type_and_metadata(gateway, key_prefix, name):
    put(gateway, key_prefix + "src/" + name, b"hello " + name.encode(), ContentType="text/x-test",
        Metadata={"owner": "ana"})
    etag = gateway.server_copy("primary", key_prefix + "src/" + name, key_prefix + "dst/" + name, dest_absent=True)
    copy = gateway.get_object_meta("primary", key_prefix + "dst/" + name)
    assert (copy.etag, copy.content_type, copy.metadata) == (etag, "text/x-test", {"owner": "ana"})
    assert gateway.download_file("primary", key_prefix + "dst/" + name) == b"hello " + name.encode()


def test_a_copy_to_another_bucket_of_the_same_storage_lands_there(gateway, key_prefix):
    put(gateway, key_prefix + "a.txt", b"to the twin")
    gateway.server_copy("primary", key_prefix + "a.txt", key_prefix + "b.txt", dest_oss_id="twin")
    assert gateway.download_file("twin", key_prefix + "b.txt") == b"to the twin"


def test_an_object_at_the_destination_is_never_overwritten_when_it_must_be_absent(gateway, key_prefix):
    put(gateway, key_prefix + "a.txt", b"new")
    put(gateway, key_prefix + "b.txt", b"there before")
    with pytest.raises(IntegrityFailure):
        gateway.server_copy("primary", key_prefix + "a.txt", key_prefix + "b.txt", dest_absent=True)
    assert gateway.download_file("primary", key_prefix + "b.txt") == b"there before"
    gateway.server_copy("primary", key_prefix + "a.txt", key_prefix + "b.txt")  # overwrite, asked for
    assert gateway.download_file("primary", key_prefix + "b.txt") == b"new"


def test_a_source_changed_since_it_was_listed_is_not_copied(gateway, key_prefix):
    put(gateway, key_prefix + "a.txt", b"first")
    listed = gateway.get_object_meta("primary", key_prefix + "a.txt").etag
    put(gateway, key_prefix + "a.txt", b"changed")
    with pytest.raises(IntegrityFailure):
        gateway.server_copy("primary", key_prefix + "a.txt", key_prefix + "b.txt", if_match=listed)
    assert gateway.get_object_meta("primary", key_prefix + "a.txt").size == len(b"changed")
    with pytest.raises(ObjectNotFound):
        gateway.get_object_meta("primary", key_prefix + "b.txt")


def test_a_missing_source_is_object_not_found(gateway, key_prefix):
    with pytest.raises(ObjectNotFound):
        gateway.server_copy("primary", key_prefix + "nothing.txt", key_prefix + "b.txt")


def test_a_wrong_secret_is_refused_by_the_storage_as_access_denied(seaweedfs, key_prefix):
    right = S3Gateway(StaticRegistry([seaweed_spec(seaweedfs)]))
    right.simple_upload("primary", key_prefix + "a.txt", b"x")
    wrong = S3Gateway(StaticRegistry([seaweed_spec(seaweedfs, secret_access_key="not-the-secret")]))
    with pytest.raises(AccessDenied):
        wrong.server_copy("primary", key_prefix + "a.txt", key_prefix + "b.txt")
    with pytest.raises(ObjectNotFound):
        right.get_object_meta("primary", key_prefix + "b.txt")


def test_a_storage_that_does_not_answer_is_unreachable_after_retries(key_prefix):
    nowhere = seaweed_spec(type("Gone", (), {"bucket": "b", "endpoint": f"127.0.0.1:{free_port()}",
                                             "access_key": "k", "secret_key": "s"}))
    with pytest.raises(StorageUnreachable):
        S3Gateway(StaticRegistry([nowhere])).server_copy("primary", key_prefix + "a.txt", key_prefix + "b.txt")
