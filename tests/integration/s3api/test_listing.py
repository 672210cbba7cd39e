"""ListObjects v1 and v2 through the endpoint, over the real SeaweedFS, as boto3 sees them."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from console.s3api.keys import issue_key
from storage.factory import get_gateway
from tests.integration.s3api.conftest import client_for

pytestmark = pytest.mark.django_db(transaction=True)


def put(connection, key: str, data: bytes = b"x") -> None:
    get_gateway().simple_upload(connection.name, key, data)


@pytest.fixture
def tree(s3_endpoint, key_prefix):
    """Under a fresh folder: three files at the top, two folders (one of two files, one of one)."""
    _url, connection = s3_endpoint
    keys = [f"{key_prefix}{name}" for name in ("a.txt", "b.txt", "c.txt", "d/1.txt", "d/2.txt", "e/1.txt")]
    for key in keys:
        put(connection, key, key.encode())
    return key_prefix, keys


def test_v2_lists_keys_sizes_etags_and_folders(s3, tree):
    prefix, keys = tree
    flat = s3.list_objects_v2(Bucket="primary", Prefix=prefix)
    assert [o["Key"] for o in flat["Contents"]] == keys
    assert flat["KeyCount"] == 6 and flat["IsTruncated"] is False
    first = flat["Contents"][0]
    assert first["Size"] == len(keys[0]) and first["ETag"].startswith('"') and first["StorageClass"] == "STANDARD"
    assert first["LastModified"].year >= 2024
    head = s3.head_object(Bucket="primary", Key=keys[0])
    assert first["ETag"] == head["ETag"]

    folded = s3.list_objects_v2(Bucket="primary", Prefix=prefix, Delimiter="/")
    assert [o["Key"] for o in folded["Contents"]] == keys[:3]
    assert [p["Prefix"] for p in folded["CommonPrefixes"]] == [f"{prefix}d/", f"{prefix}e/"]
    assert folded["KeyCount"] == 5 and folded["Delimiter"] == "/"


def test_v2_pages_with_continuation_tokens(s3, tree):
    prefix, keys = tree
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket="primary", Prefix=prefix,
                                                          PaginationConfig={"PageSize": 2})
    seen = [[o["Key"] for o in page.get("Contents", [])] for page in pages]
    assert seen == [keys[0:2], keys[2:4], keys[4:6]]

    first = s3.list_objects_v2(Bucket="primary", Prefix=prefix, MaxKeys=2)
    assert first["IsTruncated"] is True and first["MaxKeys"] == 2 and first["KeyCount"] == 2
    assert first["NextContinuationToken"]


def test_v2_starts_after_a_key(s3, tree):
    prefix, keys = tree
    answer = s3.list_objects_v2(Bucket="primary", Prefix=prefix, StartAfter=keys[2])
    assert [o["Key"] for o in answer["Contents"]] == keys[3:]
    assert answer["StartAfter"] == keys[2]


def test_v2_owner_only_when_fetched(s3, tree):
    prefix, _keys = tree
    assert "Owner" not in s3.list_objects_v2(Bucket="primary", Prefix=prefix)["Contents"][0]
    owned = s3.list_objects_v2(Bucket="primary", Prefix=prefix, FetchOwner=True)["Contents"][0]
    assert owned["Owner"]["DisplayName"] == "tests" and len(owned["Owner"]["ID"]) == 64


def test_v1_pages_with_markers_over_keys_and_folders(s3, tree):
    prefix, keys = tree
    pages = s3.get_paginator("list_objects").paginate(Bucket="primary", Prefix=prefix, Delimiter="/",
                                                       PaginationConfig={"PageSize": 2})
    names = []
    for page in pages:
        names += [o["Key"] for o in page.get("Contents", [])] + [p["Prefix"] for p in page.get("CommonPrefixes", [])]
    assert names == [*keys[:3], f"{prefix}d/", f"{prefix}e/"]

    first = s3.list_objects(Bucket="primary", Prefix=prefix, MaxKeys=4, Delimiter="/")
    assert first["IsTruncated"] is True and first["NextMarker"] == f"{prefix}d/"
    rest = s3.list_objects(Bucket="primary", Prefix=prefix, Delimiter="/", Marker=first["NextMarker"])
    assert [p["Prefix"] for p in rest["CommonPrefixes"]] == [f"{prefix}e/"] and "Contents" not in rest
    assert rest["Marker"] == f"{prefix}d/"
    assert s3.list_objects(Bucket="primary", Prefix=prefix)["Contents"][0]["Owner"]["DisplayName"] == "tests"


def test_max_keys_above_1000_is_1000_and_bad_ones_are_refused(s3, tree):
    prefix, _keys = tree
    assert s3.list_objects_v2(Bucket="primary", Prefix=prefix, MaxKeys=5000)["MaxKeys"] == 1000
    empty = s3.list_objects_v2(Bucket="primary", Prefix=prefix, MaxKeys=0)
    assert empty["KeyCount"] == 0 and empty["IsTruncated"] is False
    for bad in (-1, "many"):
        with pytest.raises(ClientError) as raised:
            s3.list_objects_v2(Bucket="primary", Prefix=prefix, MaxKeys=bad) if bad == -1 else \
                _raw_list(s3, f"list-type=2&max-keys={bad}")
        assert raised.value.response["Error"]["Code"] == "InvalidArgument"


def _raw_list(s3, query: str):
    """A listing with a query boto3 would not send (it validates max-keys)."""
    def add_query(request, **_):
        request.url += ("&" if "?" in request.url else "?") + query

    s3.meta.events.register_first("before-sign.s3.ListObjects", add_query)
    try:
        return s3.list_objects(Bucket="primary")
    finally:
        s3.meta.events.unregister("before-sign.s3.ListObjects", add_query)


def test_a_tampered_continuation_token_is_refused(s3, tree):
    prefix, _keys = tree
    token = s3.list_objects_v2(Bucket="primary", Prefix=prefix, MaxKeys=2)["NextContinuationToken"]
    with pytest.raises(ClientError) as raised:
        s3.list_objects_v2(Bucket="primary", Prefix=prefix, ContinuationToken=token[:-2] + "xx")
    assert raised.value.response["Error"]["Code"] == "InvalidArgument"
    with pytest.raises(ClientError) as raised:  # a token made for one prefix, replayed with another
        s3.list_objects_v2(Bucket="primary", Prefix="", ContinuationToken=token)
    assert raised.value.response["Error"]["Code"] == "InvalidArgument"


def test_a_missing_bucket_is_no_such_bucket(s3):
    with pytest.raises(ClientError) as raised:
        s3.list_objects_v2(Bucket="elsewhere")
    assert raised.value.response["Error"]["Code"] == "NoSuchBucket"


# --- a key limited to a folder ---


@pytest.fixture
def team(s3_endpoint, key_prefix):
    """A key limited to `<prefix>team/`, and objects inside and outside that folder."""
    url, connection = s3_endpoint
    for key in ("team/a.txt", "team/sub/b.txt", "other/secret.txt", "top.txt"):
        put(connection, key_prefix + key)
    issued = issue_key("team", connections=[connection], prefix=f"{key_prefix}team/")
    return client_for(url, issued), key_prefix


def names_in(answer) -> list[str]:
    return [o["Key"] for o in answer.get("Contents", [])] + [p["Prefix"] for p in answer.get("CommonPrefixes", [])]


def test_a_folder_key_sees_only_its_folder(team):
    client, base = team
    assert names_in(client.list_objects_v2(Bucket="primary", Prefix=base)) == [
        f"{base}team/a.txt", f"{base}team/sub/b.txt"]
    assert names_in(client.list_objects_v2(Bucket="primary", Prefix=base, Delimiter="/")) == [f"{base}team/"]
    assert names_in(client.list_objects_v2(Bucket="primary", Delimiter="/")) == [base]
    with pytest.raises(ClientError) as raised:  # beside its folder: refused, as an S3 policy on s3:prefix does
        client.list_objects_v2(Bucket="primary", Prefix=f"{base}other/")
    assert raised.value.response["Error"]["Code"] == "AccessDenied"
    assert names_in(client.list_objects(Bucket="primary", Prefix=f"{base}team/", Delimiter="/")) == [
        f"{base}team/a.txt", f"{base}team/sub/"]
    everything = [o["Key"] for page in client.get_paginator("list_objects_v2").paginate(
        Bucket="primary", PaginationConfig={"PageSize": 1}) for o in page.get("Contents", [])]
    assert everything == [f"{base}team/a.txt", f"{base}team/sub/b.txt"]


def test_a_folder_keys_token_does_not_open_a_wider_listing(team, s3):
    client, base = team
    token = client.list_objects_v2(Bucket="primary", Prefix=f"{base}team/", MaxKeys=1)["NextContinuationToken"]
    replayed = client.list_objects_v2(Bucket="primary", Prefix=base, ContinuationToken=token)
    assert names_in(replayed) == [f"{base}team/sub/b.txt"]  # the same folder's listing: never wider
    assert names_in(client.list_objects_v2(Bucket="primary", Prefix=base, Delimiter="/", ContinuationToken=token)) \
        == [f"{base}team/"]
    with pytest.raises(ClientError) as raised:  # the folder's token, for a listing of its subfolders
        client.list_objects_v2(Bucket="primary", Prefix=f"{base}team/", Delimiter="/", ContinuationToken=token)
    assert raised.value.response["Error"]["Code"] == "InvalidArgument"
    wide = s3.list_objects_v2(Bucket="primary", Prefix=base, MaxKeys=1)["NextContinuationToken"]
    with pytest.raises(ClientError) as raised:  # another key's token, for a prefix it may list
        client.list_objects_v2(Bucket="primary", Prefix=base, ContinuationToken=wide)
    assert raised.value.response["Error"]["Code"] == "InvalidArgument"


def test_v1_pages_resume_in_the_storages_order(s3, s3_endpoint, key_prefix):
    """SeaweedFS walks a folder's keys before a sibling's that sort earlier ("x/y" before "x (2).txt"): the
    NextMarker is the page's last key as the storage listed it, so no key comes twice or never."""
    _url, connection = s3_endpoint
    keys = [key_prefix + name for name in ("x/y", "x (2).txt", "x/z", "x0", "w.txt")]
    for key in keys:
        put(connection, key)
    listed = [o["Key"] for page in s3.get_paginator("list_objects").paginate(
        Bucket="primary", Prefix=key_prefix, PaginationConfig={"PageSize": 2}) for o in page.get("Contents", [])]
    assert sorted(listed) == sorted(keys)
