"""The special-key corpus (tests/integration/special_keys.py) through each tool: every key round-trips exactly."""

from __future__ import annotations

import hashlib

import pytest

from tests.integration.s3tools.support import tree_digests
from tests.integration.special_keys import SPECIAL_NAMES

pytestmark = pytest.mark.integration


def body_of(name: str) -> bytes:
    return hashlib.sha256(name.encode()).digest() * 3 + name.encode()


def listed(endpoint, prefix: str) -> list[str]:
    pages = endpoint.boto3().get_paginator("list_objects_v2").paginate(Bucket=endpoint.bucket, Prefix=prefix)
    return sorted(o["Key"][len(prefix):] for page in pages for o in page.get("Contents", []))


def corpus_on_disk(root):
    for name in SPECIAL_NAMES:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body_of(name))
    return root


def test_boto3_puts_lists_and_reads_every_special_key(endpoint, key_prefix):
    client = endpoint.boto3()
    for name in SPECIAL_NAMES:
        client.put_object(Bucket=endpoint.bucket, Key=key_prefix + name, Body=body_of(name))
    assert listed(endpoint, key_prefix) == sorted(SPECIAL_NAMES)
    for name in SPECIAL_NAMES:
        got = client.get_object(Bucket=endpoint.bucket, Key=key_prefix + name)["Body"].read()
        assert got == body_of(name), name
        head = client.head_object(Bucket=endpoint.bucket, Key=key_prefix + name)
        assert head["ContentLength"] == len(body_of(name)), name
    ranged = client.get_object(Bucket=endpoint.bucket, Key=key_prefix + SPECIAL_NAMES[0], Range="bytes=3-9")
    assert ranged["Body"].read() == body_of(SPECIAL_NAMES[0])[3:10]


def test_aws_cli_syncs_the_corpus_up_and_down(endpoint, key_prefix, tmp_path):
    up = corpus_on_disk(tmp_path / "up")
    endpoint.aws("s3", "sync", str(up), f"s3://{endpoint.bucket}/{key_prefix}")
    assert listed(endpoint, key_prefix) == sorted(SPECIAL_NAMES)
    down = tmp_path / "down"
    endpoint.aws("s3", "sync", f"s3://{endpoint.bucket}/{key_prefix}", str(down))
    assert tree_digests(down) == tree_digests(up)


def test_rclone_copies_the_corpus_up_and_down(endpoint, key_prefix, tmp_path):
    up = corpus_on_disk(tmp_path / "up")
    endpoint.rclone("copy", str(up), endpoint.remote(key_prefix))
    assert listed(endpoint, key_prefix) == sorted(SPECIAL_NAMES)
    endpoint.rclone("check", str(up), endpoint.remote(key_prefix))
    down = tmp_path / "down"
    endpoint.rclone("copy", endpoint.remote(key_prefix), str(down))
    assert tree_digests(down) == tree_digests(up)
