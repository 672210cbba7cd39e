"""The audit log reads grant and group changes as sentences, and is filtered by folder as well as connection."""

from __future__ import annotations

from console import audit
from console.models import AuditEvent


def event(kind, *, who=None, connection="", target="", **detail) -> AuditEvent:
    return audit.record(None, kind, connection=connection, target=target, actor=who, **detail)


def test_grant_changes_read_as_sentences_with_their_folder_or_the_whole_bucket(as_admin, users):
    event("grant.added", who=users["admin"], connection="primary", target="team/", group="finance", role="editor")
    event("grant.changed", who=users["admin"], connection="primary", user="pat", role="editor", previous="viewer")
    event("grant.removed", who=users["admin"], connection="primary", target="team/", group="finance",
          role="editor", reason="the group finance was deleted")
    page = as_admin.get("/audit/").content.decode()
    assert "Gave the group finance the editor role." in page
    assert "Changed pat&#x27;s role from viewer to editor." in page
    assert "Took away the group finance&#x27;s editor role (the group finance was deleted)." in page
    assert '<span class="target">team/</span>' in page and '<span class="target">the whole bucket</span>' in page
    assert "<dt>role</dt>" not in page, "read as sentences, not raw details"


def test_group_changes_read_as_sentences(as_admin, users):
    event("group.renamed", who=users["admin"], target="finance-eu", previous="finance")
    event("group.deleted", who=users["admin"], target="finance-eu", grants=1, members=3)
    event("group.member_added", who=users["admin"], target="ops", user="pat")
    page = as_admin.get("/audit/").content.decode()
    assert "Renamed the group; it was called finance." in page
    assert "Deleted the group with its 1 grant; its 3 members kept their accounts." in page
    assert "Added pat." in page


def test_the_folder_filter_keeps_what_was_done_in_that_folder_and_below(as_admin, users):
    for target in ("team/a.txt", "team/sub/b.txt", "team2/c.txt", "team", "other/team/d.txt"):
        event("object.downloaded", who=users["viewer"], connection="primary", target=target)
    page = as_admin.get("/audit/?connection=primary&folder=team").content.decode()
    assert "2 events match the filter" in page
    assert "team/a.txt" in page and "team/sub/b.txt" in page and "team2/c.txt" not in page
    refused = as_admin.get("/audit/?folder=a/../b").content.decode()
    assert "This cannot be a folder" in refused and "0 events" in refused
