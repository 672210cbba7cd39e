"""Attack pass on #17 (the bucket pages), against a real SeaweedFS: what a manager is shown before a change
must say what the change does, and what the storage said it cannot do must not be done by a direct POST."""

from __future__ import annotations

import html
import json
import secrets

import pytest

from storage.factory import get_gateway
from tests.conftest import add_connection, seaweed_spec


@pytest.fixture
def fresh(db, seaweedfs):
    """The connection "fresh" with a bucket of its own, created without object lock."""
    spec = seaweed_spec(seaweedfs, name="fresh", bucket=f"atk-{secrets.token_hex(4)}")
    add_connection(spec)
    get_gateway().create_bucket("fresh")
    return spec


def test_a_direct_post_cannot_turn_object_lock_on_when_the_page_says_it_is_off(as_admin, fresh):
    page = as_admin.get("/connections/fresh/bucket/").content.decode()
    assert "only when a bucket is created" in page and "/bucket/lock/" not in page

    get_gateway().put_bucket_versioning("fresh", "Enabled")  # as S3 needs before it turns lock on later
    as_admin.post("/connections/fresh/bucket/lock/", {"mode": "", "confirmed": "yes"})

    assert get_gateway().get_object_lock("fresh").enabled is False  # irreversible on S3: refused, not sent


def test_a_hundred_years_of_compliance_retention_is_said_as_such_and_needs_a_tick(as_admin, seaweedfs, db):
    spec = seaweed_spec(seaweedfs, name="locked", bucket=f"atk-{secrets.token_hex(4)}")
    add_connection(spec)
    get_gateway().create_bucket("locked", object_lock=True)

    preview = as_admin.post("/connections/locked/bucket/lock/", {"mode": "COMPLIANCE", "days": "36500"}).content.decode()

    assert "100 years" in preview or "2126" in preview  # how long, in words a person reads, not only "36500"
    assert 'name="understood"' in preview
    as_admin.post("/connections/locked/bucket/lock/", {"mode": "COMPLIANCE", "days": "36500", "confirmed": "yes"})
    assert get_gateway().get_object_lock("locked").mode == ""  # not applied without the tick


def test_a_rule_deleting_every_file_of_the_bucket_is_warned_about_and_needs_a_tick(as_admin, fresh):
    rule = {"action": "expire", "prefix": "", "days": "1"}
    preview = as_admin.post("/connections/fresh/bucket/lifecycle/", rule).content.decode()

    assert 'class="banner warning" role="alert"' in preview  # as the policy page warns, not only in the heading
    assert 'name="understood"' in preview


def test_a_rule_for_a_prefix_without_a_slash_does_not_call_it_a_folder(as_admin, fresh):
    # "logs" also matches "logs-keep/contract.pdf": "Files under logs are deleted" hides that.
    preview = as_admin.post("/connections/fresh/bucket/lifecycle/",
                            {"action": "expire", "prefix": "logs", "days": "1"}, follow=True).content.decode()
    assert "Files under logs are deleted" not in preview


def test_the_confirm_heading_writes_out_invisible_characters_of_a_folder(as_admin, fresh):
    spoof = "invoices/\u202efdp.exe/"
    preview = as_admin.post("/connections/fresh/bucket/public/", {"prefix": spoof}).content.decode()
    assert "anyone on the internet" in preview
    assert "\u202e" not in preview.split("<h1>")[1].split("</h1>")[0]


def test_a_policy_changed_since_the_preview_is_not_overwritten_blindly(as_admin, fresh):
    def policy(sid: str) -> str:
        return json.dumps({"Version": "2012-10-17", "Statement": [{
            "Sid": sid, "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{fresh.bucket}/{sid}/*"}]})

    preview = as_admin.post("/connections/fresh/bucket/policy/", {"policy": policy("mine")}).content.decode()
    get_gateway().put_bucket_policy("fresh", policy("theirs"))  # someone else, meanwhile

    # The confirm form as the preview rendered it (its hidden fields, whatever they are), sent back as it was.
    confirm = preview.split('<form method="post"')[1].split("</form>")[0]
    fields = {part.split('"')[0]: html.unescape(part.split('value="', 1)[1].split('"')[0])
              for part in confirm.split('<input type="hidden" name="')[1:]}
    assert fields["confirmed"] == "yes" and "mine" in fields["policy"]
    as_admin.post("/connections/fresh/bucket/policy/", fields)

    assert "theirs" in get_gateway().get_bucket_policy("fresh")


def test_a_rule_the_console_would_not_write_itself_can_still_be_removed(as_admin, fresh):
    # Another tool set a rule beyond the console's own bound (a 200-year expiry): the page lists it; removing it works.
    gateway = get_gateway().gateway_for("fresh")  # the S3 gateway itself: another tool's rule, set with boto3
    gateway._client(gateway._spec("fresh")).put_bucket_lifecycle_configuration(
        Bucket=fresh.bucket, LifecycleConfiguration={"Rules": [
            {"ID": "old-tool", "Status": "Enabled", "Filter": {"Prefix": "x/"}, "Expiration": {"Days": 73000}}]})
    assert "old-tool" in as_admin.get("/connections/fresh/bucket/").content.decode()

    preview = as_admin.post("/connections/fresh/bucket/lifecycle/", {"remove": "old-tool"})

    assert preview.status_code == 200 and "Remove the lifecycle rule old-tool" in preview.content.decode()
