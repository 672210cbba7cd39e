"""Attack pass on #17: policies that open the bucket to anyone must be said to be public before they apply."""

from __future__ import annotations

from console.connections.views.bucket_changes import _policy_warnings
from storage import bucket_policy

WHOLE_BUCKET = "arn:aws:s3:::b/*"


def _policy(**statement) -> dict:
    base = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": WHOLE_BUCKET}
    return bucket_policy.parse(bucket_policy.dumps({"Version": "2012-10-17", "Statement": [{**base, **statement}]}))


def test_a_condition_that_narrows_nothing_still_leaves_the_bucket_public():
    # Any IP at all, or any referer: a condition, but anyone on the internet still reads every file.
    for condition in ({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}, {"StringLike": {"aws:Referer": "*"}}):
        policy = _policy(Principal="*", Condition=condition)
        warnings, _ = _policy_warnings(policy)
        assert bucket_policy.public_statements(policy), condition
        assert any("anyone on the internet" in w for w in warnings), condition


def test_allowing_everyone_but_one_principal_is_public():
    policy = _policy(NotPrincipal={"AWS": "arn:aws:iam::123456789012:user/someone"})
    warnings, _ = _policy_warnings(policy)
    assert any("anyone on the internet" in w for w in warnings)


def test_a_condition_the_console_cannot_read_is_warned_about_as_maybe_public():
    policy = _policy(Principal="*", Condition={"StringEquals": {"s3:ExistingObjectTag/share": "yes"}})
    warnings, _ = _policy_warnings(policy)
    assert any("public unless the condition narrows it" in w for w in warnings)
