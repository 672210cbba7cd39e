"""Instant uploads by content hash (#19 item 5): the console's side, against SeaweedFS.

A hashed upload carries x-amz-meta-sha256 and is indexed when it completes; the same bytes uploaded again are
copied by the storage when the person may read an indexed object that still holds them, else "upload it".
"""

from __future__ import annotations

import hashlib

import pytest
import requests

from console.models import AuditEvent
from storage.factory import get_gateway
from storage.models import StoredHash
from tests.integration.files_support import complete, post_json, put_part

pytestmark = pytest.mark.usefixtures("seaweed_connection")

BYTES = b"the same bytes, twice\n" * 1000
SHA = hashlib.sha256(BYTES).hexdigest()


@pytest.fixture
def instant_on(seaweed_connection):
    seaweed_connection.instant_uploads = True
    seaweed_connection.save()
    return seaweed_connection


def hashed_upload(client, prefix: str, name: str, data: bytes = BYTES, **extra) -> str:
    """What the widget does with a hashed file: a multipart upload that carries the hash; returns the key."""
    answer = post_json(client, "s3/multipart", {"prefix": prefix, "relativePath": name, "type": "text/plain",
                                                "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                                                **extra})
    assert answer.status_code == 200, answer.content
    upload_id, key = answer.json()["uploadId"], answer.json()["key"]
    etag = put_part(client, upload_id, key, 1, data)
    assert complete(client, upload_id, key, [(1, etag)]).status_code == 200
    return key


def ask(client, prefix: str, name: str, *, sha256: str = SHA, size: int = len(BYTES), **extra):
    return post_json(client, "s3/instant", {"prefix": prefix, "relativePath": name, "type": "text/plain",
                                            "size": size, "sha256": sha256, **extra})


def stored(key: str) -> bytes:
    return get_gateway().download_file("primary", key)


def test_it_copies_bytes_stored_already_and_checks_the_copy(instant_on, as_editor, key_prefix):
    original = hashed_upload(as_editor, key_prefix, "first.txt")
    assert StoredHash.objects.filter(sha256=SHA, key=original).exists()

    answer = ask(as_editor, key_prefix, "again/second.txt")

    assert answer.status_code == 200, answer.content
    assert answer.json()["copied"] is True and answer.json()["key"] == key_prefix + "again/second.txt"
    assert stored(key_prefix + "again/second.txt") == BYTES
    meta = get_gateway().get_object_meta("primary", key_prefix + "again/second.txt")
    assert meta.metadata["sha256"] == SHA and meta.content_type == "text/plain"
    event = AuditEvent.objects.filter(kind="upload.completed", target=key_prefix + "again/second.txt").get()
    assert event.detail["instant"] is True and event.detail["size"] == len(BYTES)
    assert StoredHash.objects.filter(sha256=SHA, key=key_prefix + "again/second.txt").exists()


def test_a_single_put_signs_the_hash_in_and_is_indexed_when_it_is_reported(instant_on, as_editor, key_prefix):
    answer = post_json(as_editor, "s3/params", {"prefix": key_prefix, "relativePath": "one.txt", "type": "text/plain",
                                                "size": len(BYTES), "sha256": SHA})
    signed = answer.json()
    assert signed["headers"]["x-amz-meta-sha256"] == SHA
    unsigned = {k: v for k, v in signed["headers"].items() if k != "x-amz-meta-sha256"}
    assert requests.put(signed["url"], data=BYTES, headers=unsigned, timeout=30).status_code == 403
    assert requests.put(signed["url"], data=BYTES, headers=signed["headers"], timeout=30).status_code == 200
    assert post_json(as_editor, "s3/uploaded", {"key": signed["key"]}).status_code == 200

    assert StoredHash.objects.filter(sha256=SHA, key=signed["key"], size=len(BYTES)).exists()
    assert ask(as_editor, key_prefix, "two.txt").json()["copied"] is True


def test_the_copy_carries_the_type_and_cache_control_the_upload_would_have(instant_on, as_editor, key_prefix):
    hashed_upload(as_editor, key_prefix, "first.txt")

    answer = ask(as_editor, key_prefix, "data.csv", type="text/csv", cacheControl="max-age=60")

    assert answer.json()["copied"] is True
    headers = get_gateway().get_object_headers("primary", key_prefix + "data.csv")
    assert (headers.content_type, headers.cache_control, headers.metadata) == ("text/csv", "max-age=60",
                                                                              {"sha256": SHA})
    assert stored(key_prefix + "data.csv") == BYTES


def test_with_the_setting_off_nothing_is_indexed_or_copied(seaweed_connection, as_editor, key_prefix):
    hashed_upload(as_editor, key_prefix, "first.txt")

    assert not StoredHash.objects.exists()
    assert ask(as_editor, key_prefix, "second.txt").json() == {"copied": False}


def test_a_deleted_original_means_upload_it_and_its_row_is_dropped(instant_on, as_editor, key_prefix):
    original = hashed_upload(as_editor, key_prefix, "first.txt")
    get_gateway().delete_file("primary", original)

    assert ask(as_editor, key_prefix, "second.txt").json() == {"copied": False}
    assert not StoredHash.objects.exists()
    assert get_gateway().list_objects("primary", key_prefix).objects == []


def test_a_changed_original_means_upload_it_and_its_row_is_dropped(instant_on, as_editor, key_prefix):
    original = hashed_upload(as_editor, key_prefix, "first.txt")
    get_gateway().put_object("primary", original, b"other bytes", metadata={"sha256": SHA})  # the claim kept, even

    assert ask(as_editor, key_prefix, "second.txt").json() == {"copied": False}
    assert not StoredHash.objects.exists()


def test_an_upload_over_an_indexed_key_without_a_hash_drops_its_row(instant_on, as_editor, key_prefix):
    original = hashed_upload(as_editor, key_prefix, "first.txt")
    answer = post_json(as_editor, "s3/multipart", {"prefix": key_prefix, "relativePath": "first.txt", "size": 5})
    upload_id = answer.json()["uploadId"]
    etag = put_part(as_editor, upload_id, original, 1, b"plain")
    assert complete(as_editor, upload_id, original, [(1, etag)]).status_code == 200

    assert not StoredHash.objects.exists()


def test_a_claimed_size_other_than_the_stored_one_is_not_copied(instant_on, as_editor, key_prefix):
    hashed_upload(as_editor, key_prefix, "first.txt")

    assert ask(as_editor, key_prefix, "second.txt", size=len(BYTES) + 1).json() == {"copied": False}
    assert get_gateway().list_objects("primary", key_prefix).objects[0].key == key_prefix + "first.txt"


def test_an_index_row_the_object_itself_does_not_confirm_is_dropped(instant_on, as_editor, key_prefix):
    """The row says SHA, the object says otherwise (a tampered or stale row): the object's word wins."""
    other = b"other bytes"
    key = hashed_upload(as_editor, key_prefix, "other.txt", other)
    StoredHash.objects.filter(key=key).update(sha256=SHA, size=len(BYTES))

    assert ask(as_editor, key_prefix, "second.txt").json() == {"copied": False}
    assert not StoredHash.objects.filter(sha256=SHA).exists()


def test_bytes_stored_where_the_person_may_not_read_are_neither_copied_nor_revealed(
        instant_on, as_admin, key_prefix):
    from django.contrib.auth.models import User
    from django.test import Client

    from console.access.models import Grant

    hashed_upload(as_admin, key_prefix, "secret/plan.txt")
    person = User.objects.create_user("teammate")
    Grant.objects.create(connection=instant_on, user=person, prefix=key_prefix + "team/", role="editor")
    client = Client()
    client.force_login(person)

    known = ask(client, key_prefix + "team/", "plan.txt")
    unknown = ask(client, key_prefix + "team/", "plan.txt", sha256="0" * 64)

    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content == b'{"copied": false}'
    assert get_gateway().list_objects("primary", key_prefix + "team/").objects == []


@pytest.mark.parametrize("body, status", [
    ({"sha256": "xyz"}, 400),
    ({"sha256": "A" * 63}, 400),
    ({"sha256": ["0" * 64]}, 400),
    ({"sha256": None}, 400),
    ({"size": -1}, 400),
    ({"size": "many"}, 400),
    ({"relativePath": ""}, 400),
    ({"type": "text/plain", "contentType": "text/html"}, 400),
])
def test_bad_input_is_refused_in_words(instant_on, as_editor, key_prefix, body, status):
    answer = ask(as_editor, key_prefix, "x.txt", **body) if "relativePath" not in body else post_json(
        as_editor, "s3/instant", {"prefix": key_prefix, "size": 3, "sha256": SHA, **body})
    assert answer.status_code == status and answer.json()["error"], answer.content


def test_people_who_may_not_write_there_are_refused(instant_on, as_editor, as_viewer, as_outsider, key_prefix):
    hashed_upload(as_editor, key_prefix, "first.txt")

    assert ask(as_viewer, key_prefix, "second.txt").status_code == 403
    assert ask(as_outsider, key_prefix, "second.txt").status_code == 404
    assert len(get_gateway().list_objects("primary", key_prefix).objects) == 1


def test_rows_indexed_before_the_setting_was_turned_off_are_not_used(instant_on, as_editor, key_prefix):
    hashed_upload(as_editor, key_prefix, "first.txt")
    instant_on.instant_uploads = False
    instant_on.save()

    assert ask(as_editor, key_prefix, "second.txt").json() == {"copied": False}
    assert len(get_gateway().list_objects("primary", key_prefix).objects) == 1


def test_a_copy_that_does_not_hold_the_bytes_when_checked_is_not_called_copied(instant_on, as_editor, key_prefix,
                                                                               monkeypatch):
    """Another upload lands on the key between the copy and its check: the answer is "upload it"."""
    from storage.s3.gateway import S3Gateway

    hashed_upload(as_editor, key_prefix, "first.txt")
    copy = S3Gateway.server_copy

    def copy_then_overwritten(self, oss_id, source_key, dest_key, **kwargs):
        etag = copy(self, oss_id, source_key, dest_key, **kwargs)
        self.put_object(oss_id, dest_key, b"someone else's bytes", content_type="text/plain", metadata={"sha256": SHA})
        return etag

    monkeypatch.setattr(S3Gateway, "server_copy", copy_then_overwritten)

    assert ask(as_editor, key_prefix, "second.txt").json() == {"copied": False}
    assert not StoredHash.objects.filter(key=key_prefix + "second.txt").exists()
    assert StoredHash.objects.filter(key=key_prefix + "first.txt").exists(), "the original is still good"


# --- found by the s29 attack pass ---

def test_an_instant_copy_does_not_inherit_the_originals_tags(instant_on, as_admin, as_editor, key_prefix):
    """A fresh upload has no tags; the "same bytes" copied instantly must not carry another person's tags.

    S3's CopyObject copies the source's tag set unless told otherwise (TaggingDirective COPY by default), so the
    new object silently gets the original's tags: labels the uploader never set (and may not see), and tags that
    lifecycle rules or tag-based policies act on (an "expire" tag deletes the person's new upload).
    """
    original = hashed_upload(as_admin, key_prefix, "private/first.txt")
    get_gateway().put_object_tags("primary", original, {"classification": "secret", "expire": "7d"})

    answer = ask(as_editor, key_prefix, "mine/second.txt")

    assert answer.json()["copied"] is True
    assert get_gateway().get_object_tags("primary", key_prefix + "mine/second.txt") == {}


def test_a_type_the_upload_would_refuse_leaves_no_copy_behind(instant_on, as_admin, as_editor, key_prefix):
    """The browser's `type` is checked only when the copy's headers are rewritten, after the copy landed: the answer
    is "upload it" (or an error), yet the key already holds a copy with the original's headers and tags, which the
    upload (refusing the same type) never replaces. A bad type must be refused before anything is copied."""
    original = hashed_upload(as_admin, key_prefix, "private/first.txt")
    get_gateway().put_object_tags("primary", original, {"owner": "admin"})

    answer = ask(as_editor, key_prefix, "mine/second.txt", type="not a type")

    assert answer.status_code == 400 or answer.json() == {"copied": False}, answer.content
    assert [o.key for o in get_gateway().list_objects("primary", key_prefix + "mine/").objects] == []
