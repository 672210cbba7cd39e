"""PutObject, CopyObject, DeleteObject and DeleteObjects through the endpoint, with boto3, on the real SeaweedFS."""

from __future__ import annotations

import hashlib

import pytest
from botocore.exceptions import ClientError

from console.models import AuditEvent
from console.s3api.keys import issue_key
from console.s3api.scope import principal_for
from storage.factory import get_gateway
from tests.integration.s3api.conftest import client_for
from tests.integration.special_keys import SPECIAL_NAMES

pytestmark = pytest.mark.django_db(transaction=True)
BUCKET = "primary"


def error_code(raised) -> str:
    return raised.value.response["Error"]["Code"]


def test_it_stores_an_object_with_its_headers_and_metadata(s3, key_prefix):
    key = key_prefix + "report.txt"
    answer = s3.put_object(Bucket=BUCKET, Key=key, Body=b"hello", ContentType="text/plain",
                           CacheControl="max-age=60", ContentDisposition="attachment", ContentLanguage="fr",
                           Metadata={"owner": "ann"})
    assert answer["ETag"] == f'"{hashlib.md5(b"hello").hexdigest()}"'
    stored = get_gateway().get_object_headers(BUCKET, key)
    assert (stored.content_type, stored.cache_control, stored.content_disposition, stored.content_language) == (
        "text/plain", "max-age=60", "attachment", "fr")
    assert stored.metadata == {"owner": "ann"}
    assert get_gateway().download_file(BUCKET, key) == b"hello"


def test_it_stores_a_folder_marker(s3, key_prefix):
    s3.put_object(Bucket=BUCKET, Key=key_prefix + "folder/", Body=b"")
    listed = get_gateway().list_objects(BUCKET, key_prefix)
    assert listed.folders == [key_prefix + "folder/"]


def test_if_none_match_star_refuses_to_overwrite(s3, key_prefix):
    key = key_prefix + "once.txt"
    s3.put_object(Bucket=BUCKET, Key=key, Body=b"first", IfNoneMatch="*")
    with pytest.raises(ClientError) as raised:
        s3.put_object(Bucket=BUCKET, Key=key, Body=b"second", IfNoneMatch="*")
    assert error_code(raised) == "PreconditionFailed"
    assert get_gateway().download_file(BUCKET, key) == b"first"


def test_a_wrong_content_md5_is_refused(s3, key_prefix):
    key = key_prefix + "digest.txt"
    with pytest.raises(ClientError) as raised:
        s3.put_object(Bucket=BUCKET, Key=key, Body=b"hello", ContentMD5="AAAAAAAAAAAAAAAAAAAAAA==")
    assert error_code(raised) == "BadDigest"
    assert not get_gateway().list_objects(BUCKET, key_prefix).objects


def test_too_much_metadata_is_refused(s3, key_prefix):
    with pytest.raises(ClientError) as raised:
        s3.put_object(Bucket=BUCKET, Key=key_prefix + "meta.txt", Body=b"x", Metadata={"big": "v" * 2100})
    assert error_code(raised) == "MetadataTooLarge"


def test_a_capped_connection_refuses_a_larger_object(s3, s3_endpoint, key_prefix):
    connection = s3_endpoint[1]
    connection.max_upload_size = 10
    connection.save()
    with pytest.raises(ClientError) as raised:
        s3.put_object(Bucket=BUCKET, Key=key_prefix + "big.bin", Body=b"x" * 11)
    assert error_code(raised) == "EntityTooLarge"
    s3.put_object(Bucket=BUCKET, Key=key_prefix + "small.bin", Body=b"x" * 10)


def test_a_read_only_key_cannot_write_or_delete(s3, s3_endpoint, key_prefix):
    key = key_prefix + "kept.txt"
    s3.put_object(Bucket=BUCKET, Key=key, Body=b"kept")
    reader = client_for(s3_endpoint[0], issue_key("reader", read_only=True))
    for attempt in (lambda: reader.put_object(Bucket=BUCKET, Key=key, Body=b"changed"),
                    lambda: reader.delete_object(Bucket=BUCKET, Key=key),
                    lambda: reader.copy_object(Bucket=BUCKET, Key=key + ".copy", CopySource=f"{BUCKET}/{key}")):
        with pytest.raises(ClientError) as raised:
            attempt()
        assert error_code(raised) == "AccessDenied"
    assert get_gateway().download_file(BUCKET, key) == b"kept"


def test_a_folder_key_cannot_write_outside_its_folder(s3_endpoint, key_prefix):
    limited = client_for(s3_endpoint[0], issue_key("team", connections=[s3_endpoint[1]], prefix=key_prefix + "team/"))
    limited.put_object(Bucket=BUCKET, Key=key_prefix + "team/in.txt", Body=b"in")
    with pytest.raises(ClientError) as raised:
        limited.put_object(Bucket=BUCKET, Key=key_prefix + "out.txt", Body=b"out")
    assert error_code(raised) == "AccessDenied"


def test_it_copies_within_a_bucket_keeping_or_replacing_metadata(s3, key_prefix):
    source = key_prefix + "source.txt"
    s3.put_object(Bucket=BUCKET, Key=source, Body=b"bytes", ContentType="text/plain", Metadata={"a": "1"})
    kept = s3.copy_object(Bucket=BUCKET, Key=key_prefix + "kept.txt", CopySource={"Bucket": BUCKET, "Key": source})
    assert kept["CopyObjectResult"]["ETag"] == f'"{hashlib.md5(b"bytes").hexdigest()}"'
    assert get_gateway().get_object_meta(BUCKET, key_prefix + "kept.txt").metadata == {"a": "1"}
    s3.copy_object(Bucket=BUCKET, Key=key_prefix + "new.txt", CopySource=f"/{BUCKET}/{source}",
                   MetadataDirective="REPLACE", ContentType="text/csv", Metadata={"b": "2"})
    replaced = get_gateway().get_object_meta(BUCKET, key_prefix + "new.txt")
    assert (replaced.content_type, replaced.metadata) == ("text/csv", {"b": "2"})


def test_a_copy_onto_itself_replaces_its_metadata(s3, key_prefix):
    key = key_prefix + "self.txt"
    s3.put_object(Bucket=BUCKET, Key=key, Body=b"same", Metadata={"a": "1"})
    with pytest.raises(ClientError) as raised:
        s3.copy_object(Bucket=BUCKET, Key=key, CopySource=f"{BUCKET}/{key}")
    assert error_code(raised) == "InvalidRequest"
    s3.copy_object(Bucket=BUCKET, Key=key, CopySource=f"{BUCKET}/{key}", MetadataDirective="REPLACE",
                   Metadata={"a": "2"})
    assert get_gateway().get_object_meta(BUCKET, key).metadata == {"a": "2"}


def test_a_copy_on_condition_refuses_a_changed_source(s3, key_prefix):
    source = key_prefix + "source.txt"
    s3.put_object(Bucket=BUCKET, Key=source, Body=b"bytes")
    with pytest.raises(ClientError) as raised:
        s3.copy_object(Bucket=BUCKET, Key=key_prefix + "copy.txt", CopySource=f"{BUCKET}/{source}",
                       CopySourceIfMatch='"0123456789abcdef0123456789abcdef"')
    assert error_code(raised) == "PreconditionFailed"
    with pytest.raises(ClientError) as raised:
        s3.copy_object(Bucket=BUCKET, Key=key_prefix + "copy.txt", CopySource=f"{BUCKET}/{source}",
                       CopySourceIfNoneMatch=hashlib.md5(b"bytes").hexdigest())
    assert error_code(raised) == "PreconditionFailed"


def test_a_copy_of_a_missing_source_is_no_such_key(s3, key_prefix):
    with pytest.raises(ClientError) as raised:
        s3.copy_object(Bucket=BUCKET, Key=key_prefix + "copy.txt", CopySource=f"{BUCKET}/{key_prefix}missing")
    assert error_code(raised) == "NoSuchKey"


def test_it_deletes_an_object_and_answers_the_same_for_a_missing_one(s3, key_prefix):
    key = key_prefix + "gone.txt"
    s3.put_object(Bucket=BUCKET, Key=key, Body=b"x")
    assert s3.delete_object(Bucket=BUCKET, Key=key)["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert s3.delete_object(Bucket=BUCKET, Key=key)["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert not get_gateway().list_objects(BUCKET, key_prefix).objects


def test_delete_objects_reports_each_key(s3, key_prefix):
    keys = [key_prefix + f"{n}.txt" for n in range(3)]
    for key in keys:
        s3.put_object(Bucket=BUCKET, Key=key, Body=b"x")
    answer = s3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": k} for k in keys]})
    assert sorted(d["Key"] for d in answer["Deleted"]) == keys
    assert not get_gateway().list_objects(BUCKET, key_prefix).objects
    quiet = s3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": keys[0]}], "Quiet": True})
    assert not quiet.get("Deleted") and not quiet.get("Errors")


def test_delete_objects_refuses_only_the_keys_outside_the_folder(s3, s3_endpoint, key_prefix):
    inside, outside = key_prefix + "team/in.txt", key_prefix + "out.txt"
    for key in (inside, outside):
        s3.put_object(Bucket=BUCKET, Key=key, Body=b"x")
    limited = client_for(s3_endpoint[0], issue_key("team", connections=[s3_endpoint[1]], prefix=key_prefix + "team/"))
    answer = limited.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": inside}, {"Key": outside}]})
    assert [d["Key"] for d in answer["Deleted"]] == [inside]
    assert [(e["Key"], e["Code"]) for e in answer["Errors"]] == [(outside, "AccessDenied")]
    assert [o.key for o in get_gateway().list_objects(BUCKET, key_prefix).objects] == [outside]


def test_delete_objects_refuses_a_read_only_key_per_key(s3, s3_endpoint, key_prefix):
    key = key_prefix + "kept.txt"
    s3.put_object(Bucket=BUCKET, Key=key, Body=b"x")
    reader = client_for(s3_endpoint[0], issue_key("reader", read_only=True))
    answer = reader.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": key}]})
    assert [(e["Key"], e["Code"]) for e in answer["Errors"]] == [(key, "AccessDenied")]
    assert get_gateway().download_file(BUCKET, key) == b"x"


def test_the_special_keys_are_stored_and_deleted_exactly(s3, key_prefix):
    keys = [key_prefix + name for name in SPECIAL_NAMES]
    for key in keys:
        s3.put_object(Bucket=BUCKET, Key=key, Body=key.encode())
    for key in keys:
        assert get_gateway().download_file(BUCKET, key) == key.encode()
    tricky = [key for key in keys if any(c in key for c in "?#+% &")]
    for key in tricky:
        s3.copy_object(Bucket=BUCKET, Key=key + ".copy", CopySource={"Bucket": BUCKET, "Key": key})
        assert get_gateway().download_file(BUCKET, key + ".copy") == key.encode()
    keys += [key + ".copy" for key in tricky]
    s3.delete_object(Bucket=BUCKET, Key=keys[0])
    answer = s3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": k} for k in keys[1:]]})
    assert not answer.get("Errors")
    assert sorted(d["Key"] for d in answer["Deleted"]) == sorted(keys[1:])
    assert not get_gateway().list_objects(BUCKET, key_prefix, delimiter="").objects


def test_writes_and_deletes_are_audited_with_the_key(s3, service_key, key_prefix):
    key = key_prefix + "audited.txt"
    s3.put_object(Bucket=BUCKET, Key=key, Body=b"x")
    s3.copy_object(Bucket=BUCKET, Key=key + ".copy", CopySource=f"{BUCKET}/{key}")
    s3.delete_object(Bucket=BUCKET, Key=key)
    s3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": key + ".copy"}]})
    events = AuditEvent.objects.filter(connection=BUCKET, target__startswith=key_prefix).order_by("id")
    assert [(e.kind, e.target) for e in events] == [
        ("upload.completed", key), ("object.copied", key + ".copy"), ("object.deleted", key),
        ("object.deleted", key + ".copy")]
    label = principal_for(service_key.record).label
    assert all((e.actor, e.actor_name, e.detail["via"]) == (None, label, label) for e in events)


def test_a_copy_between_buckets_of_one_storage_is_made_by_the_storage(s3, twin_connection, key_prefix):
    source = key_prefix + "source.txt"
    s3.put_object(Bucket=BUCKET, Key=source, Body=b"across")
    s3.copy_object(Bucket="twin", Key=key_prefix + "copy.txt", CopySource=f"{BUCKET}/{source}")
    assert get_gateway().download_file("twin", key_prefix + "copy.txt") == b"across"


def test_a_copy_between_storages_is_not_implemented(s3, other_connection, key_prefix):
    source = key_prefix + "source.txt"
    s3.put_object(Bucket=BUCKET, Key=source, Body=b"far")
    with pytest.raises(ClientError) as raised:
        s3.copy_object(Bucket="other", Key=key_prefix + "copy.txt", CopySource=f"{BUCKET}/{source}")
    assert error_code(raised) == "NotImplemented"


def test_delete_objects_takes_at_most_1000_keys(s3, key_prefix):
    with pytest.raises(ClientError) as raised:
        s3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": f"{key_prefix}{n}"} for n in range(1001)]})
    assert error_code(raised) == "MalformedXML"


@pytest.mark.parametrize("kept", ["", "x-amz-sdk-checksum-algorithm"], ids=["nothing", "an algorithm's name"])
def test_delete_objects_requires_a_digest_of_its_body(s3, key_prefix, kept):
    def drop_digests(request, **_kwargs):
        for name in [n for n in request.headers if n.lower() != kept and (n.lower() == "content-md5" or
                     n.lower().startswith(("x-amz-checksum-", "x-amz-sdk-checksum")))]:
            del request.headers[name]
        if kept and kept not in request.headers:
            request.headers[kept] = "CRC32"

    s3.meta.events.register("before-sign.s3.DeleteObjects", drop_digests)
    with pytest.raises(ClientError) as raised:
        s3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": key_prefix + "x"}]})
    assert error_code(raised) == "InvalidRequest"


def test_a_persons_key_is_audited_as_that_person(s3_endpoint, users, key_prefix):
    issued = issue_key("laptop", owner=users["editor"])
    client_for(s3_endpoint[0], issued).put_object(Bucket=BUCKET, Key=key_prefix + "mine.txt", Body=b"x")
    event = AuditEvent.objects.get(kind="upload.completed", target=key_prefix + "mine.txt")
    assert event.actor == users["editor"]
    assert event.detail["via"] == principal_for(issued.record).label


def test_a_folder_key_cannot_copy_from_outside_its_folder(s3, s3_endpoint, key_prefix):
    outside = key_prefix + "secret.txt"
    s3.put_object(Bucket=BUCKET, Key=outside, Body=b"secret")
    limited = client_for(s3_endpoint[0], issue_key("team", connections=[s3_endpoint[1]], prefix=key_prefix + "team/"))
    with pytest.raises(ClientError) as raised:
        limited.copy_object(Bucket=BUCKET, Key=key_prefix + "team/stolen.txt", CopySource=f"{BUCKET}/{outside}")
    assert error_code(raised) == "AccessDenied"
