"""Bucket settings through the gateway against a real SeaweedFS: created, probed, versioned, lifecycle, policy."""

from __future__ import annotations

import json
import secrets

import pytest
import requests

from storage import bucket_policy
from storage.bucket_documents import LifecycleRule, ObjectLock
from storage.factory import get_gateway
from storage.gateway import BucketNotFound, InvalidRequest
from tests.conftest import add_connection, seaweed_spec


@pytest.fixture
def fresh(db, seaweedfs):
    """A connection whose bucket does not exist yet."""
    spec = seaweed_spec(seaweedfs, name="fresh", bucket=f"bkt-{secrets.token_hex(4)}")
    add_connection(spec)
    return spec


def test_a_missing_bucket_is_said_to_be_missing_then_created_versioned(fresh):
    gateway = get_gateway()
    with pytest.raises(BucketNotFound):
        gateway.list_objects("fresh", "")
    with pytest.raises(BucketNotFound):
        gateway.bucket_support("fresh")

    gateway.create_bucket("fresh", region="us-east-1", versioning=True)

    assert gateway.list_objects("fresh", "").objects == []
    assert gateway.get_bucket_versioning("fresh") == "Enabled"
    support = gateway.bucket_support("fresh")
    assert [f for f in ("versioning", "tagging", "lifecycle", "policy") if not support.supports(f)] == []
    assert "only when a bucket is created" in support.why_not("object_lock")


def test_versioning_is_suspended_and_enabled_again(fresh):
    gateway = get_gateway()
    gateway.create_bucket("fresh")
    gateway.put_bucket_versioning("fresh", "Enabled")
    gateway.put_bucket_versioning("fresh", "Suspended")
    assert gateway.get_bucket_versioning("fresh") == "Suspended"
    gateway.put_bucket_versioning("fresh", "Enabled")
    assert gateway.get_bucket_versioning("fresh") == "Enabled"


def test_lifecycle_rules_are_written_and_read_back_equal_then_removed(fresh):
    gateway = get_gateway()
    gateway.create_bucket("fresh", versioning=True)
    assert gateway.get_bucket_lifecycle("fresh") == []
    rules = [LifecycleRule("logs", prefix="logs/", expire_days=30),
             LifecycleRule("old-versions", noncurrent_days=7),
             LifecycleRule("stale-uploads", abort_uploads_days=3, enabled=False)]

    gateway.put_bucket_lifecycle("fresh", rules)
    assert gateway.get_bucket_lifecycle("fresh") == rules

    gateway.put_bucket_lifecycle("fresh", [])
    assert gateway.get_bucket_lifecycle("fresh") == []
    with pytest.raises(InvalidRequest, match="does nothing"):
        gateway.put_bucket_lifecycle("fresh", [LifecycleRule("empty")])


def anonymous_get(spec, key: str) -> int:
    return requests.get(f"{spec.endpoint}/{spec.bucket}/{key}", timeout=10).status_code


def test_a_public_prefix_is_readable_by_anyone_and_nothing_else_is_until_undone(fresh):
    gateway = get_gateway()
    gateway.create_bucket("fresh")
    for key in ("public/a.txt", "private/a.txt", "publicity.txt"):
        gateway.put_object("fresh", key, b"hello")
    assert gateway.get_bucket_policy("fresh") == ""

    policy = bucket_policy.with_public_prefix(None, fresh.bucket, "public/")
    gateway.put_bucket_policy("fresh", bucket_policy.dumps(policy))

    assert anonymous_get(fresh, "public/a.txt") == 200
    assert anonymous_get(fresh, "private/a.txt") == 403
    assert anonymous_get(fresh, "publicity.txt") == 403
    stored = json.loads(gateway.get_bucket_policy("fresh"))
    assert bucket_policy.public_prefixes(stored) == ["public/"]

    gateway.put_bucket_policy("fresh", "")
    assert anonymous_get(fresh, "public/a.txt") == 403
    assert gateway.get_bucket_policy("fresh") == ""


def test_object_lock_is_chosen_at_creation_and_its_default_retention_changed(fresh):
    gateway = get_gateway()
    gateway.create_bucket("fresh", object_lock=True)
    assert gateway.bucket_support("fresh").supports("object_lock")
    assert gateway.get_object_lock("fresh") == ObjectLock(True)

    gateway.put_object_lock("fresh", ObjectLock(True, "GOVERNANCE", days=2))
    assert gateway.get_object_lock("fresh") == ObjectLock(True, "GOVERNANCE", days=2)
