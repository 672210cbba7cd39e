"""The bucket pages against a real SeaweedFS: create a missing bucket, change settings after a preview, usage."""

from __future__ import annotations

import json
import secrets

import pytest
import requests
from django.contrib.auth.models import User

from console.access.models import Grant
from console.models import AuditEvent
from storage.factory import get_gateway
from storage.gateway import StorageRequestFailed
from storage.models import Connection
from tests.conftest import PASSWORD, add_connection, seaweed_spec


@pytest.fixture
def fresh(db, seaweedfs):
    """The connection "fresh", whose bucket does not exist yet."""
    spec = seaweed_spec(seaweedfs, name="fresh", bucket=f"bkt-{secrets.token_hex(4)}")
    add_connection(spec)
    return spec


def person(client, name: str, role: str, prefix: str = ""):
    user = User.objects.create_user(name, f"{name}@example.com", PASSWORD)
    Grant.objects.create(connection=Connection.objects.get(name="fresh"), user=user, role=role, prefix=prefix)
    client.force_login(user)
    return client


def test_the_no_such_bucket_message_offers_creating_it_to_whole_connection_managers_only(client, fresh, as_editor):
    seen_by_editor = as_editor.get("/files/fresh/").content.decode()
    assert "does not exist" in seen_by_editor and "A manager of this connection, or an admin, can create it" in seen_by_editor
    assert "/connections/fresh/bucket/create/" not in seen_by_editor
    assert as_editor.post("/connections/fresh/bucket/create/", {"versioning": "on"}).status_code == 403

    folder_manager = person(client, "fm", "manager", prefix="team/")
    assert folder_manager.post("/connections/fresh/bucket/create/", {}).status_code == 403

    manager = person(client, "boss", "manager")
    assert "/connections/fresh/bucket/create/" in manager.get("/files/fresh/").content.decode()
    assert "which does not exist" in manager.get("/connections/fresh/bucket/create/").content.decode()
    created = manager.post("/connections/fresh/bucket/create/", {"region": "us-east-1", "versioning": "on"})

    assert created.status_code == 302 and created["Location"] == "/files/fresh/"
    assert "Show deleted files" in manager.get("/files/fresh/").content.decode()  # not "no such bucket", kept
    assert get_gateway().get_bucket_versioning("fresh") == "Enabled"
    event = AuditEvent.objects.get(kind="bucket.created")
    assert (event.actor.username, event.target, event.detail["versioning"]) == ("boss", fresh.bucket, True)
    assert "exists already" in manager.get("/connections/fresh/bucket/create/").content.decode()


def test_creating_a_bucket_that_exists_already_is_not_sent_nor_recorded(as_admin, fresh, monkeypatch):
    gateway = get_gateway()
    gateway.create_bucket("fresh")
    # AWS answers 200 to creating a bucket you own already (us-east-1): the storage cannot be relied on to refuse.
    monkeypatch.setattr(type(gateway), "create_bucket", lambda *args, **kwargs: None)

    again = as_admin.post("/connections/fresh/bucket/create/", {"versioning": "on"})

    assert again.status_code == 200 and "exists already" in again.content.decode()
    assert not AuditEvent.objects.filter(kind="bucket.created").exists()


def test_a_bucket_made_whose_versioning_then_fails_is_recorded_and_said_as_such(as_admin, fresh, monkeypatch):
    def refuse(*args, **kwargs):
        raise StorageRequestFailed("The storage refused: InternalError.")

    monkeypatch.setattr(type(get_gateway()), "put_bucket_versioning", refuse)
    answer = as_admin.post("/connections/fresh/bucket/create/", {"versioning": "on"}).content.decode()

    assert "was created, but versioning could not be turned on" in answer
    event = AuditEvent.objects.get(kind="bucket.created")
    assert (event.target, event.detail["versioning"]) == (fresh.bucket, False)
    assert "does not exist" not in as_admin.get("/files/fresh/").content.decode()  # what was learnt is forgotten


def test_a_bucket_is_not_created_in_a_region_the_connection_would_not_reach(as_admin, fresh):
    refused = as_admin.post("/connections/fresh/bucket/create/", {"region": "eu-west-1"}).content.decode()

    assert "works in the region us-east-1" in refused and "would not be reached" in refused
    assert "which does not exist" in refused  # nothing was created; the form is offered again


def test_versioning_is_shown_as_its_document_then_changed_and_audited(as_admin, fresh):
    get_gateway().create_bucket("fresh")
    assert "Show deleted files" not in as_admin.get("/files/fresh/").content.decode()  # and kept a minute
    page = as_admin.get("/connections/fresh/bucket/").content.decode()
    assert "never turned on" in page and "Enable versioning" in page

    preview = as_admin.post("/connections/fresh/bucket/versioning/", {"status": "Enabled"}).content.decode()
    assert "&quot;Status&quot;: &quot;Enabled&quot;" in preview
    assert get_gateway().get_bucket_versioning("fresh") == ""  # nothing yet: only shown

    as_admin.post("/connections/fresh/bucket/versioning/", {"status": "Enabled", "confirmed": "yes"})
    assert get_gateway().get_bucket_versioning("fresh") == "Enabled"
    assert AuditEvent.objects.get(kind="bucket.versioning").detail["document"] == {"Status": "Enabled"}
    assert "Show deleted files" in as_admin.get("/files/fresh/").content.decode()  # at once, not a minute later
    suspend = as_admin.post("/connections/fresh/bucket/versioning/", {"status": "Suspended"}).content.decode()
    assert "Suspending never deletes anything" in suspend


def test_a_lifecycle_rule_is_added_in_plain_words_and_removed(as_admin, fresh):
    get_gateway().create_bucket("fresh")
    rule = {"action": "abort_uploads", "prefix": "", "days": "7"}
    preview = as_admin.post("/connections/fresh/bucket/lifecycle/", rule).content.decode()
    assert "AbortIncompleteMultipartUpload" in preview and "DaysAfterInitiation&quot;: 7" in preview
    seen = preview.split('name="seen" value="')[1].split('"')[0]

    as_admin.post("/connections/fresh/bucket/lifecycle/", {**rule, "seen": seen, "confirmed": "yes"})
    [stored] = get_gateway().get_bucket_lifecycle("fresh")
    assert (stored.id, stored.abort_uploads_days) == ("abort-uploads-all", 7)
    page = as_admin.get("/connections/fresh/bucket/").content.decode()
    assert "Uploads in the whole bucket still incomplete 7 days after they started are aborted" in page

    stale = as_admin.post("/connections/fresh/bucket/lifecycle/", {**rule, "seen": seen, "confirmed": "yes"})
    assert stale.status_code == 302 and len(get_gateway().get_bucket_lifecycle("fresh")) == 1  # changed meanwhile

    removal = as_admin.post("/connections/fresh/bucket/lifecycle/", {"remove": "abort-uploads-all"}).content.decode()
    seen = removal.split('name="seen" value="')[1].split('"')[0]
    as_admin.post("/connections/fresh/bucket/lifecycle/", {"remove": "abort-uploads-all", "seen": seen, "confirmed": "yes"})
    assert get_gateway().get_bucket_lifecycle("fresh") == []
    assert AuditEvent.objects.filter(kind="bucket.lifecycle").count() == 2


def seen_in(preview) -> str:
    """The fingerprint a confirm page sends back: what the setting was when the preview was shown."""
    return preview.content.decode().split('name="seen" value="')[1].split('"')[0]


def anonymous_get(spec, key: str) -> int:
    return requests.get(f"{spec.endpoint}/{spec.bucket}/{key}", timeout=10).status_code


def test_one_click_makes_a_folder_public_with_a_warning_and_undoes_it(as_admin, fresh):
    gateway = get_gateway()
    gateway.create_bucket("fresh")
    gateway.put_object("fresh", "public/a.txt", b"hello")
    gateway.put_object("fresh", "private/a.txt", b"hello")

    preview = as_admin.post("/connections/fresh/bucket/public/", {"prefix": "public/"})
    assert "anyone on the internet, without a key" in preview.content.decode()
    assert "s3:GetObject" in preview.content.decode()
    assert anonymous_get(fresh, "public/a.txt") == 403
    as_admin.post("/connections/fresh/bucket/public/", {"prefix": "public/", "seen": seen_in(preview), "confirmed": "yes"})
    assert (anonymous_get(fresh, "public/a.txt"), anonymous_get(fresh, "private/a.txt")) == (200, 403)
    page = as_admin.get("/connections/fresh/bucket/").content.decode()
    assert "Public access" in page
    editor_box = page.split('name="policy"')[1].split("</textarea>")[0]
    assert "ConsolePublicRead" in editor_box and "arn:aws:s3:::" in editor_box  # the JSON to edit is the current one

    undo = {"prefix": "public/", "undo": "on"}
    preview = as_admin.post("/connections/fresh/bucket/public/", undo)
    as_admin.post("/connections/fresh/bucket/public/", {**undo, "seen": seen_in(preview), "confirmed": "yes"})
    assert anonymous_get(fresh, "public/a.txt") == 403
    assert gateway.get_bucket_policy("fresh") == ""
    assert AuditEvent.objects.filter(kind="bucket.policy").count() == 2


def test_a_policy_is_checked_and_one_that_may_lock_the_console_out_needs_a_tick(as_admin, fresh):
    get_gateway().create_bucket("fresh")
    refused = as_admin.post("/connections/fresh/bucket/policy/", {"policy": '{"Statement": [{"Effect": "Maybe"}]}'},
                            follow=True).content.decode()
    assert "The policy was not applied" in refused and "must be" in refused
    odd = as_admin.post("/connections/fresh/bucket/public/", {"prefix": "a/../"}, follow=True).content.decode()
    assert "path segment" in odd
    deny_all = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*",
                           "Action": "s3:*", "Resource": f"arn:aws:s3:::{fresh.bucket}/*"}]})

    seen = seen_in(as_admin.post("/connections/fresh/bucket/policy/", {"policy": deny_all}))
    warned = as_admin.post("/connections/fresh/bucket/policy/",
                           {"policy": deny_all, "seen": seen, "confirmed": "yes"}).content.decode()

    assert "may include the key this console uses" in warned and 'name="understood"' in warned
    assert get_gateway().get_bucket_policy("fresh") == ""  # not applied without the tick


def test_the_connections_page_and_its_health_check_offer_creating_a_missing_bucket(as_admin, fresh):
    health = as_admin.get("/connections/fresh/health/").content.decode()
    assert "no such bucket" in health and "/connections/fresh/bucket/create/" in health
    assert "/connections/fresh/bucket/create/" in as_admin.get("/connections/fresh/edit/").content.decode()
    settings_page = as_admin.get("/connections/fresh/bucket/").content.decode()
    assert "does not exist" in settings_page and "/connections/fresh/bucket/create/" in settings_page

    get_gateway().create_bucket("fresh")
    assert "/bucket/create/" not in as_admin.get("/connections/fresh/health/").content.decode()


def test_a_governance_retention_is_said_with_its_end_and_who_can_still_delete(as_admin, fresh):
    get_gateway().create_bucket("fresh", object_lock=True)

    preview = as_admin.post("/connections/fresh/bucket/lock/", {"mode": "GOVERNANCE", "days": "400"}).content.decode()

    assert "400 days (about 1 year), until" in preview and "bypass governance retention" in preview
    assert 'name="understood"' not in preview  # it can be undone by who holds that permission: no tick
