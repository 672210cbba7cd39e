"""Versions, deleted files, metadata and tags through the S3 gateway, against a real SeaweedFS (#17)."""

from __future__ import annotations

import urllib.request

import pytest

from storage.factory import get_gateway
from storage.gateway import IntegrityFailure, InvalidRequest, ObjectHeaders
from tests.conftest import add_connection
from tests.integration.versions_support import versioned_bucket


@pytest.fixture(scope="module")
def versioned_spec(seaweedfs):
    """A bucket of this module's own, with versioning on."""
    return versioned_bucket(seaweedfs)


@pytest.fixture
def gateway(db, versioned_spec):
    add_connection(versioned_spec)
    return get_gateway()


def _read(gateway, key: str, version_id: str | None = None) -> bytes:
    with gateway.open_object("versioned", key, version_id=version_id) as stream:
        return stream.read()


def test_it_lists_an_objects_versions_newest_first_and_only_that_key(gateway, key_prefix):
    key = key_prefix + "a.txt"
    gateway.simple_upload("versioned", key, b"one")
    gateway.simple_upload("versioned", key, b"two!")
    gateway.simple_upload("versioned", key + ".bak", b"other")

    versions = gateway.list_object_versions("versioned", key)

    assert [(v.size, v.is_latest) for v in versions] == [(4, True), (3, False)]
    assert {v.key for v in versions} == {key}
    url = gateway.get_version_url("versioned", key, versions[1].version_id, internal=True)
    assert urllib.request.urlopen(url).read() == b"one"


def test_it_restores_an_older_version_as_the_latest_and_keeps_the_history(gateway, key_prefix):
    key = key_prefix + "b.txt"
    gateway.simple_upload("versioned", key, b"first")
    gateway.simple_upload("versioned", key, b"second")
    first = gateway.list_object_versions("versioned", key)[-1]

    new_id = gateway.restore_version("versioned", key, first.version_id)

    assert _read(gateway, key) == b"first"
    versions = gateway.list_object_versions("versioned", key)
    assert [v.version_id for v in versions][0] == new_id and len(versions) == 3


def test_it_deletes_one_version_for_good(gateway, key_prefix):
    key = key_prefix + "c.txt"
    gateway.simple_upload("versioned", key, b"keep")
    gateway.simple_upload("versioned", key, b"drop")
    latest = gateway.list_object_versions("versioned", key)[0]

    gateway.delete_version("versioned", key, latest.version_id)

    assert _read(gateway, key) == b"keep"
    assert [v.size for v in gateway.list_object_versions("versioned", key)] == [4]


def test_a_deleted_file_is_listed_by_its_marker_and_recovered_by_removing_it(gateway, key_prefix):
    gone, kept = key_prefix + "gone.txt", key_prefix + "kept.txt"
    gateway.simple_upload("versioned", gone, b"bring me back")
    gateway.simple_upload("versioned", kept, b"here")
    gateway.simple_upload("versioned", key_prefix + "sub/deep.txt", b"deep")
    gateway.delete_file("versioned", gone)
    gateway.delete_file("versioned", kept)
    gateway.simple_upload("versioned", kept, b"here again")  # its marker is no longer the latest
    gateway.delete_file("versioned", key_prefix + "sub/deep.txt")

    page = gateway.list_deleted("versioned", key_prefix)

    assert [m.key for m in page.markers] == [gone]  # not kept.txt, back again; sub/'s are in sub/
    assert page.markers[0].deleted and page.next is None
    gateway.delete_version("versioned", gone, page.markers[0].version_id)
    assert _read(gateway, gone) == b"bring me back"
    assert gateway.list_deleted("versioned", key_prefix).markers == []


def test_it_rewrites_metadata_in_place_and_keeps_the_version_before(gateway, key_prefix):
    key = key_prefix + "report.csv"
    gateway.put_object("versioned", key, b"a,b\n", content_type="text/csv", metadata={"owner": "ann"})
    etag = gateway.get_object_meta("versioned", key).etag

    gateway.replace_object_headers("versioned", key, ObjectHeaders(
        content_type="text/plain", cache_control="max-age=60", content_disposition="attachment",
        metadata={"Owner": "bob", "team": "ops"}), if_match=etag)

    headers = gateway.get_object_headers("versioned", key)
    assert (headers.content_type, headers.cache_control, headers.content_disposition) == (
        "text/plain", "max-age=60", "attachment")
    assert headers.metadata == {"owner": "bob", "team": "ops"}
    versions = gateway.list_object_versions("versioned", key)
    assert len(versions) == 2 and _read(gateway, key, versions[1].version_id) == b"a,b\n"
    assert _read(gateway, key) == b"a,b\n"


def test_a_metadata_change_on_an_object_changed_meanwhile_is_refused(gateway, key_prefix):
    key = key_prefix + "race.txt"
    gateway.simple_upload("versioned", key, b"old")
    etag = gateway.get_object_meta("versioned", key).etag
    gateway.simple_upload("versioned", key, b"newer")

    with pytest.raises(IntegrityFailure):
        gateway.replace_object_headers("versioned", key, ObjectHeaders(content_type="text/plain"), if_match=etag)


def test_it_writes_reads_and_clears_tags(gateway, key_prefix):
    key = key_prefix + "tagged.txt"
    gateway.simple_upload("versioned", key, b"x")

    gateway.put_object_tags("versioned", key, {"team": "ops", "stage": "draft 2"})
    assert gateway.get_object_tags("versioned", key) == {"team": "ops", "stage": "draft 2"}
    gateway.put_object_tags("versioned", key, {})
    assert gateway.get_object_tags("versioned", key) == {}


def test_it_refuses_eleven_tags_before_asking_the_storage(gateway, key_prefix):
    with pytest.raises(InvalidRequest, match="at most 10"):
        gateway.put_object_tags("versioned", key_prefix + "never.txt", {f"k{i}": "v" for i in range(11)})


def test_following_the_deleted_files_pages_reaches_every_deleted_file_past_a_subfolder(gateway, key_prefix):
    # A page that ends at a subfolder carries no version id (S3 gives none for a common prefix): the next
    # page must still be asked for, not refused as "not a version id" (what the "More" link then shows).
    folder = key_prefix + "d/"
    for name in ("a.txt", "b/x.txt", "c.txt"):
        gateway.simple_upload("versioned", folder + name, b"x")
    gateway.delete_objects("versioned", [folder + "a.txt", folder + "c.txt"])
    after, seen = None, []
    for _ in range(10):
        page = gateway.list_deleted("versioned", folder, after=after, max_keys=1)
        seen += [m.key for m in page.markers]
        if page.next is None:
            break
        after = page.next
    assert seen == [folder + "a.txt", folder + "c.txt"]
