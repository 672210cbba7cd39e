"""Every key of the special-key corpus round-trips through the endpoint: listed (v1 and v2, url-encoded as
boto3 asks) and read back, byte for byte."""

from __future__ import annotations

import pytest

from storage.factory import get_gateway
from tests.integration.special_keys import SPECIAL_NAMES

pytestmark = pytest.mark.django_db(transaction=True)


def test_special_keys_list_and_read_back(s3, key_prefix):
    keys = sorted(key_prefix + name for name in SPECIAL_NAMES)
    for key in keys:
        get_gateway().simple_upload("primary", key, key.encode())
    listed_v2 = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(
        Bucket="primary", Prefix=key_prefix, PaginationConfig={"PageSize": 25}) for o in page.get("Contents", [])]
    listed_v1 = [o["Key"] for page in s3.get_paginator("list_objects").paginate(
        Bucket="primary", Prefix=key_prefix, PaginationConfig={"PageSize": 25}) for o in page.get("Contents", [])]
    assert sorted(listed_v2) == keys and sorted(listed_v1) == keys
    for key in keys:
        assert s3.get_object(Bucket="primary", Key=key)["Body"].read() == key.encode(), key
        assert s3.head_object(Bucket="primary", Key=key)["ContentLength"] == len(key.encode())


def test_special_folders_are_common_prefixes(s3, key_prefix):
    names = ["space dir/a", "plus+dir/a", "percent%dir/a", "ünï/a", "emoji-🎉/a"]
    for name in names:
        get_gateway().simple_upload("primary", key_prefix + name, b"x")
    answer = s3.list_objects_v2(Bucket="primary", Prefix=key_prefix, Delimiter="/")
    assert sorted(p["Prefix"] for p in answer["CommonPrefixes"]) == sorted(
        key_prefix + name.split("/")[0] + "/" for name in names)
    first = s3.list_objects(Bucket="primary", Prefix=key_prefix, Delimiter="/", MaxKeys=2)
    rest = s3.list_objects(Bucket="primary", Prefix=key_prefix, Delimiter="/", Marker=first["NextMarker"])
    assert sorted(p["Prefix"] for p in first["CommonPrefixes"] + rest["CommonPrefixes"]) == sorted(
        key_prefix + name.split("/")[0] + "/" for name in names)


def test_without_url_encoding_names_are_escaped_xml(s3, key_prefix):
    from botocore.handlers import set_list_objects_encoding_type_url

    keys = sorted(key_prefix + name for name in ("a<b>.txt", "and&amp.txt", "quote\"'.txt", "plus+ space.txt",
                                                  "dir <&>/x"))
    for key in keys:
        get_gateway().simple_upload("primary", key, b"x")
    s3.meta.events.unregister("before-parameter-build.s3.ListObjectsV2", set_list_objects_encoding_type_url)
    answer = s3.list_objects_v2(Bucket="primary", Prefix=key_prefix, Delimiter="/")
    assert "EncodingType" not in answer
    listed = sorted([o["Key"] for o in answer["Contents"]] + [p["Prefix"] for p in answer["CommonPrefixes"]])
    assert listed == sorted(k if "/x" not in k else f"{key_prefix}dir <&>/" for k in keys)
