"""Bucket settings as S3 documents: lifecycle rules, object lock, and policies checked before they are sent."""

from __future__ import annotations

import json

import pytest

from storage import bucket_policy
from storage.bucket_documents import (
    InvalidSetting,
    LifecycleRule,
    ObjectLock,
    lifecycle_document,
    lock_document,
    rule_from_document,
)


def test_a_rule_with_settings_the_console_does_not_edit_keeps_them_when_saved_again():
    stored = {"ID": "archive", "Status": "Enabled", "Filter": {"And": {"Prefix": "logs/", "Tags": [{"Key": "k", "Value": "v"}]}},
              "Transitions": [{"Days": 30, "StorageClass": "GLACIER"}], "Expiration": {"Days": 365}}
    rule = rule_from_document(stored)
    assert (rule.expire_days, rule.prefix, sorted(rule.extra)) == (365, "", ["Filter", "Transitions"])
    assert lifecycle_document([rule]) == {"Rules": [stored]}


def test_rules_that_s3_would_refuse_are_refused_in_plain_words():
    with pytest.raises(InvalidSetting, match="does nothing"):
        lifecycle_document([LifecycleRule("x", prefix="a/")])
    with pytest.raises(InvalidSetting, match="between 1 and"):
        lifecycle_document([LifecycleRule("x", expire_days=0)])
    with pytest.raises(InvalidSetting, match="same name"):
        lifecycle_document([LifecycleRule("x", expire_days=1), LifecycleRule("x", noncurrent_days=2)])


def test_a_default_retention_needs_a_mode_and_one_period():
    assert lock_document(ObjectLock(True)) == {"ObjectLockEnabled": "Enabled"}
    assert lock_document(ObjectLock(True, "COMPLIANCE", days=3))["Rule"] == {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 3}}
    with pytest.raises(InvalidSetting, match="days or of years"):
        lock_document(ObjectLock(True, "GOVERNANCE"))
    with pytest.raises(InvalidSetting, match="cannot be turned off"):
        lock_document(ObjectLock(False))


@pytest.mark.parametrize(("text", "says"), [
    ("{", "not JSON"), ("[]", "JSON object"), ('{"Statement": []}', "at least one"),
    ('{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}', "Principal"),
    ('{"Statement": [{"Effect": "Permit", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}', "Effect"),
])
def test_a_policy_that_is_not_one_is_refused_saying_why(text, says):
    with pytest.raises(InvalidSetting, match=says):
        bucket_policy.parse(text)


def test_a_public_folder_is_added_found_again_and_removed_leaving_the_rest():
    own = {"Sid": "Mine", "Effect": "Deny", "Principal": {"AWS": ["arn:aws:iam::1:user/x"]}, "Action": "s3:*",
           "Resource": "arn:aws:s3:::b/*"}
    policy = bucket_policy.with_public_prefix({"Version": "2012-10-17", "Statement": [own]}, "b", "pub lic/é/")
    assert bucket_policy.public_prefixes(policy) == ["pub lic/é/"]
    assert bucket_policy.public_statements(policy)[0]["Resource"] == ["arn:aws:s3:::b/pub lic/é/*"]
    assert bucket_policy.parse(json.dumps(policy)) == policy
    assert bucket_policy.without_public_prefix(policy, "pub lic/é/") == {"Version": "2012-10-17", "Statement": [own]}
    assert bucket_policy.without_public_prefix(bucket_policy.with_public_prefix(None, "b", "p/"), "p/") is None


@pytest.mark.parametrize("prefix", ["", "file.txt", "*/", "a?/", "${aws:username}/"])
def test_only_a_plain_folder_is_made_public(prefix):
    with pytest.raises(InvalidSetting):
        bucket_policy.with_public_prefix(None, "b", prefix)


def test_a_deny_on_everyone_is_taken_for_a_possible_lockout():
    deny = {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*", "Resource": "*"}
    deny_but = {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}, "Action": "s3:*", "Resource": "*"}
    narrow = {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::1:user/x"}, "Action": "s3:*", "Resource": "*"}
    assert bucket_policy.lockout_statements({"Statement": [deny, deny_but, narrow]}) == [deny, deny_but]


def test_a_stored_policy_is_read_leniently_and_junk_is_said_not_crashed_on():
    assert bucket_policy.stored("") is None
    odd = bucket_policy.stored('{"Statement": ["junk", {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]}')
    assert len(bucket_policy.public_statements(odd)) == 1
    with pytest.raises(InvalidSetting, match="not a JSON object"):
        bucket_policy.stored("<xml/>")


def _anyone_reads(condition=None) -> dict:
    statement = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
    return {"Statement": [{**statement, "Condition": condition} if condition else statement]}


@pytest.mark.parametrize("condition", [
    {"IpAddress": {"aws:SourceIp": "0.0.0.0/1"}},  # half the internet
    {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}},  # all but one network
    {"StringEqualsIfExists": {"aws:SourceVpc": "vpc-1"}},  # an anonymous caller has no VPC: it passes
    {"StringLike": {"aws:UserAgent": "curl/*"}},  # the caller writes it
    {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "0.0.0.0/0"]}},  # any one of the values lets a caller in
])
def test_a_condition_that_anyone_meets_leaves_a_statement_public(condition):
    assert bucket_policy.public_statements(_anyone_reads(condition))


def test_a_condition_on_a_network_or_an_account_narrows_who_is_let_in():
    for condition in ({"IpAddress": {"aws:SourceIp": ["10.1.0.0/16"]}}, {"StringEquals": {"aws:SourceVpce": "vpce-1"}}):
        policy = _anyone_reads(condition)
        assert not bucket_policy.public_statements(policy) and not bucket_policy.maybe_public_statements(policy)


@pytest.mark.parametrize("condition", [
    {"StringEquals": {"s3:ExistingObjectTag/share": "yes"}},
    {"Null": {"aws:SourceIp": "false"}},  # true of every caller
    {"ForAllValues:StringEquals": {"aws:PrincipalArn": "arn:aws:iam::1:root"}},  # true of a caller without it
])
def test_a_condition_the_console_cannot_read_is_maybe_public_not_silently_private(condition):
    policy = _anyone_reads(condition)
    assert not bucket_policy.public_statements(policy)
    assert bucket_policy.maybe_public_statements(policy)
