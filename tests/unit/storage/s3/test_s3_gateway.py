"""S3Gateway logic against moto (no signatures or expiry here: see the integration tier)."""

import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from storage.connections import ConnectionSpec, StaticRegistry
from storage.gateway import (
    ConnectionNotFound,
    IntegrityFailure,
    InvalidKey,
    NoAvailableConnection,
    ObjectNotFound,
    StorageRequestFailed,
)
from storage.s3.gateway import S3Gateway, part_size_for
from tests.unit.admin_support import BUCKET, moto_s3  # noqa: F401


@pytest.fixture
def s3(moto_s3):  # noqa: F811
    return moto_s3


def make_gateway(*specs):
    specs = specs or (ConnectionSpec(name="main", bucket=BUCKET, access_key_id="k", secret_access_key="s",
                                     is_default=True),)
    return S3Gateway(StaticRegistry(list(specs)))


def test_it_round_trips_bytes_and_metadata(s3):
    gateway = make_gateway()
    gateway.simple_upload("main", "docs/a.txt", b"hello", content_type="text/plain")
    assert gateway.download_file("main", "docs/a.txt") == b"hello"
    meta = gateway.get_object_meta("main", "docs/a.txt")
    assert (meta.size, meta.content_type) == (5, "text/plain")
    assert gateway.new_reader("main", "docs/a.txt").text() == "hello"


def test_missing_objects_are_a_normal_error(s3):
    gateway = make_gateway()
    with pytest.raises(ObjectNotFound, match="no object 'nope.txt' on 'main'"):
        gateway.get_object_meta("main", "nope.txt")
    with pytest.raises(ObjectNotFound):
        gateway.download_file("main", "nope.txt")


def test_unknown_connections_are_named(s3):
    with pytest.raises(ConnectionNotFound, match="'ghost'"):
        make_gateway().download_file("ghost", "a.txt")


def test_bad_keys_are_refused_before_any_request(s3):
    with pytest.raises(InvalidKey):
        make_gateway().simple_upload("main", "../escape", b"x")


def test_listing_pages_folders_and_files(s3):
    gateway = make_gateway()
    for key in ["top/a.txt", "top/b.txt", "top/c.txt", "top/sub/d.txt", "top/"]:
        gateway.simple_upload("main", key, b"" if key.endswith("/") else b"x")
    page = gateway.list_objects("main", "top/", max_keys=2)
    assert [o.name for o in page.objects] == ["a.txt"]  # the folder marker itself is not a file
    assert page.folders == [] and page.is_truncated
    rest = gateway.list_objects("main", "top/", token=page.next_token, max_keys=10)
    assert [o.name for o in rest.objects] == ["b.txt", "c.txt"] and not rest.is_truncated
    assert rest.folders == ["top/sub/"]


def test_multipart_upload_lifecycle(s3):
    gateway = make_gateway()
    upload_id = gateway.create_multipart_upload("main", "big.bin")
    part1 = s3.upload_part(Bucket=BUCKET, Key="big.bin", UploadId=upload_id, PartNumber=1, Body=b"a" * 5 * 2**20)
    part2 = s3.upload_part(Bucket=BUCKET, Key="big.bin", UploadId=upload_id, PartNumber=2, Body=b"b" * 10)
    assert [p.part_number for p in gateway.list_parts("main", "big.bin", upload_id)] == [1, 2]
    assert [u.upload_id for u in gateway.list_multipart_uploads("main")] == [upload_id]
    gateway.complete_multipart_upload("main", "big.bin", upload_id, [(2, part2["ETag"]), (1, part1["ETag"].strip('"'))])
    assert gateway.get_object_meta("main", "big.bin").size == 5 * 2**20 + 10
    assert gateway.list_multipart_uploads("main") == []


def test_abort_forgets_the_upload(s3):
    gateway = make_gateway()
    upload_id = gateway.create_multipart_upload("main", "gone.bin")
    gateway.abort_multipart_upload("main", "gone.bin", upload_id)
    with pytest.raises(ObjectNotFound, match="finished or aborted"):
        gateway.list_parts("main", "gone.bin", upload_id)


def test_part_numbers_are_bounded(s3):
    with pytest.raises(StorageRequestFailed, match="between 1 and 10000"):
        make_gateway().sign_upload_part("main", "a.bin", "id", 10001)


def test_copy_and_bulk_delete(s3):
    gateway = make_gateway()
    gateway.simple_upload("main", "a.txt", b"A")
    gateway.copy_object("main", "a.txt", "b/a-copy.txt")
    assert gateway.download_file("main", "b/a-copy.txt") == b"A"
    result = gateway.delete_objects("main", ["a.txt", "b/a-copy.txt"])
    assert sorted(result.deleted) == ["a.txt", "b/a-copy.txt"] and result.errors == {}
    assert gateway.list_objects("main").objects == []


def test_upload_file_checks_the_stored_size(s3):
    gateway = make_gateway()
    gateway.upload_file("main", "s.bin", io.BytesIO(b"12345"), 5)
    with pytest.raises(IntegrityFailure, match="5 bytes; 6 were expected"):
        gateway.upload_file("main", "t.bin", io.BytesIO(b"12345"), 6)


def test_download_to_local_renames_only_when_complete(s3, tmp_path):
    gateway = make_gateway()
    gateway.simple_upload("main", "f.bin", b"z" * 1000)
    target = tmp_path / "f.bin"
    assert gateway.download_file_to_local("main", "f.bin", target) == 1000
    assert target.read_bytes() == b"z" * 1000
    with pytest.raises(ObjectNotFound):
        gateway.download_file_to_local("main", "missing.bin", tmp_path / "missing.bin")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.bin"]  # no partial file left behind


def test_download_url_lifetime_is_bounded(s3):
    gateway = make_gateway()
    with pytest.raises(StorageRequestFailed, match="7 days"):
        gateway.get_download_url("main", "a.txt", 7 * 24 * 3600 + 1)
    url = gateway.get_download_url("main", "a.txt", 60, filename="résumé.pdf")
    assert "response-content-disposition=attachment" in url and "UTF-8%27%27r%25C3%25A9sum%25C3%25A9.pdf" in url


def test_available_oss_prefers_the_default_then_the_first_usable(s3):
    broken = ConnectionSpec(name="broken", bucket="no-such-bucket", access_key_id="k", secret_access_key="s",
                            is_default=True)
    good = ConnectionSpec(name="good", bucket=BUCKET, access_key_id="k", secret_access_key="s")
    assert make_gateway(broken, good).get_available_oss() == "good"
    assert make_gateway(good.__class__(**{**good.__dict__, "is_default": True})).get_available_oss() == "good"
    with pytest.raises(NoAvailableConnection):
        make_gateway(broken).get_available_oss()


def test_recent_health_is_the_probe_get_available_oss_keeps(s3, monkeypatch):
    """Readiness (/readyz) asks this; a probe made to choose a connection answers it, and the reverse."""
    good = ConnectionSpec(name="good", bucket=BUCKET, access_key_id="k", secret_access_key="s", is_default=True)
    gateway = make_gateway(good)
    probes = []
    probe = gateway._probe
    monkeypatch.setattr(gateway, "_probe", lambda spec, *, timeout: probes.append(timeout) or probe(spec, timeout=timeout))
    assert gateway.get_available_oss() == "good"
    report = gateway.recent_health("good", timeout=1.0)
    assert report.ok and report.detail == "bucket reachable"
    assert gateway.recent_health("good").ok and gateway.get_available_oss() == "good"
    assert probes == [2.0]


def test_health_names_a_missing_bucket(s3):
    spec = ConnectionSpec(name="x", bucket="no-such-bucket", access_key_id="k", secret_access_key="s")
    report = make_gateway(spec).check_health("x")
    assert not report.ok and report.detail == "no such bucket: 'no-such-bucket'"


def test_part_sizes_keep_huge_files_within_10000_parts():
    assert part_size_for(None) == 8 * 2**20
    assert part_size_for(1 * 2**30) == 8 * 2**20
    size = 5 * 2**40
    assert size / part_size_for(size) <= 10_000


FOLDER_HOLDS_NO_DATA = "A key ending in '/' is a folder; it cannot hold data."


def test_a_folder_key_holds_no_data_whatever_the_entry_point(s3):
    """Issue #11 item 12: SeaweedFS keeps only a 0-byte marker (or writes `a/b/b`) for a body sent to `a/b/`."""
    gateway = make_gateway()
    refused = [
        lambda: gateway.simple_upload("main", "a/b/", b"data"),
        lambda: gateway.simple_upload("main", "a/b/", io.BytesIO(b"data")),
        lambda: gateway.upload_file("main", "a/b/", io.BytesIO(b"data"), 4),
        lambda: gateway.upload_file("main", "a/b/", io.BytesIO(b"data")),
        lambda: gateway.get_upload_request("main", "a/b/", 60, size=4),
        lambda: gateway.create_multipart_upload("main", "a/b/"),
    ]
    for call in refused:
        with pytest.raises(InvalidKey, match=re.escape(FOLDER_HOLDS_NO_DATA)):
            call()
    assert gateway.list_objects("main", "a/").folders == []
    gateway.upload_file("main", "a/b/", io.BytesIO(b""), 0)
    gateway.simple_upload("main", "a/c/", b"")
    assert [gateway.get_object_meta("main", k).size for k in ("a/b/", "a/c/")] == [0, 0]


def test_an_upload_to_a_folder_key_is_signed_for_zero_bytes(s3):
    url = make_gateway().get_upload_request("main", "a/b/", 60).url
    assert "content-length" in parse_qs(urlsplit(url).query)["X-Amz-SignedHeaders"][0].split(";")


def test_a_long_name_is_signed_when_the_storage_is_not_known_to_limit_names(s3):
    """moto does not answer as SeaweedFS: its refusal, if any, is the storage's to give."""
    gateway = make_gateway()
    assert gateway.get_upload_request("main", "d/" + "a" * 904, 60, size=1).url


def test_a_long_name_is_refused_before_signing_when_the_storage_limits_names(s3):
    """Issue #11 item 13: the `Server` header is read once per connection, and only for a long name."""
    gateway = make_gateway()
    gateway.get_upload_request("main", "d/" + "a" * 255, 60, size=1)
    assert gateway._servers == {}, "an ordinary name asks the storage nothing"
    spec = gateway.registry.get("main")
    gateway._servers[spec.fingerprint] = "SeaweedFS 8000GB 4.48"
    long_name = "d/" + "a" * 256
    for call in (lambda: gateway.get_upload_request("main", long_name, 60, size=1),
                 lambda: gateway.simple_upload("main", long_name, b"x"),
                 lambda: gateway.upload_file("main", long_name, io.BytesIO(b"x"), 1),
                 lambda: gateway.create_multipart_upload("main", long_name),
                 lambda: gateway.copy_object("main", "d/a.txt", long_name),
                 lambda: gateway.simple_upload("main", long_name + "/", b"")):
        with pytest.raises(InvalidKey, match="accepts file and folder names of at most 255 bytes"):
            call()
