"""The audit log page: who, when, what, from where; filters in the URL; pages."""

from __future__ import annotations

import datetime as dt

from console import audit
from console.models import AuditEvent
from tests.unit.admin_support import htmx, is_partial


def event(kind, *, who=None, connection="", target="", at=None, address="10.1.2.3", **detail):
    item = audit.record(None, kind, connection=connection, target=target, actor=who, **detail)
    AuditEvent.objects.filter(pk=item.pk).update(address=address, **({"at": at} if at else {}))
    return item


def test_it_shows_who_when_what_and_from_where(as_admin, users):
    event("connection.updated", who=users["admin"], connection="primary", target="primary",
          changed=["region", "secret_access_key"])
    page = as_admin.get("/audit/").content.decode()
    assert "connection.updated" in page and "primary" in page and "10.1.2.3" in page
    assert "region, secret_access_key" in page and ">admin<" in page


def test_it_filters_by_kind_user_connection_and_date(as_admin, users):
    old = dt.datetime(2024, 1, 10, 12, tzinfo=dt.UTC)
    event("connection.created", who=users["admin"], connection="primary", target="t-created")
    event("connection.deleted", who=users["editor"], connection="archive", target="t-deleted")
    event("user.created", who=users["admin"], target="t-old", at=old)
    assert "t-deleted" not in as_admin.get("/audit/?kind=connection.created").content.decode()
    by_user = as_admin.get("/audit/?user=editor").content.decode()
    assert "t-deleted" in by_user and "t-created" not in by_user
    by_connection = as_admin.get("/audit/?connection=primary").content.decode()
    assert "t-created" in by_connection and "t-deleted" not in by_connection
    by_date = as_admin.get("/audit/?since=2024-01-01&until=2024-01-31").content.decode()
    assert "t-old" in by_date and "t-created" not in by_date
    assert "1 event match the filter" in by_date


def test_it_says_when_the_dates_are_upside_down(as_admin, users):
    page = as_admin.get("/audit/?since=2024-02-01&until=2024-01-01").content.decode()
    assert "The end date is before the start date." in page


def test_it_pages_and_keeps_the_filter_in_the_links(as_admin, users):
    for i in range(60):
        event("connection.updated", who=users["admin"], connection="primary", target=f"n{i}")
    first = as_admin.get("/audit/?connection=primary").content.decode()
    assert "Page 1 of 2" in first and "?connection=primary&amp;page=2" in first
    second = as_admin.get("/audit/?connection=primary&page=2").content.decode()
    assert "Page 2 of 2" in second and second.count('data-label="What"') == 10


def test_it_returns_the_results_alone_to_htmx(as_admin, users):
    event("connection.created", who=users["admin"], target="x")
    response = as_admin.get("/audit/?kind=connection.created", **htmx())
    assert is_partial(response) and b'id="audit-results"' in response.content


def test_it_records_changes_made_through_the_console(as_admin, users):
    as_admin.post("/users/new/", {"username": "someone", "role": "viewer"})
    page = as_admin.get("/audit/?kind=user.created").content.decode()
    assert "someone" in page and "127.0.0.1" in page


def test_job_events_read_as_sentences_with_a_link_to_the_job(as_admin, users):
    from console.jobs import services
    from console.jobs.auditing import record_end
    from console.jobs.models import Job
    from storage.models import Connection

    Connection.objects.create(name="primary", endpoint="http://127.0.0.1:9", bucket="jobs", is_default=True)
    job = services.start_job(users["editor"], Job.Kind.COPY, "primary", items=[["a/", "b/"]], objects_total=1200)
    Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED, objects_done=1198, objects_failed=2,
                                         bytes_done=1024 ** 2, last_error="2 objects failed; each is listed.")
    record_end(Job.objects.get(pk=job.pk))
    services.cancel_job(users["editor"], services.start_job(users["editor"], Job.Kind.DELETE, "primary", items=["c/"]))
    page = as_admin.get("/audit/").content.decode()
    assert f"Copy job {job.pk} started (1,200 objects counted beforehand)." in page
    assert (f"Copy job {job.pk} failed: 1,198 of 1,200 objects done (1.0\xa0MB), 2 failed. "
            "2 objects failed; each is listed.") in page
    assert f"Delete job {job.pk + 1} cancelled: 0 objects done." in page
    assert f"Cancel asked for delete job {job.pk + 1}." in page
    assert f'<a href="/jobs/{job.pk}/">Job {job.pk}</a>' in page
    assert "<dt>job_kind</dt>" not in page and "None" not in page  # no raw details


def test_sign_ins_and_outs_read_as_sentences_that_say_how(as_admin, users):
    event("auth.signed_in", who=users["editor"], target="editor", method="oidc", provider="Corp SSO",
          joined=["team-a", "viewer"], left=["team-b"])
    event("auth.signed_in", who=users["viewer"], target="viewer", method="password")
    event("auth.sign_in_failed", target="mallory", method="oidc",
          reason="the ID token was issued for another application")
    event("auth.signed_out", who=users["editor"], target="editor", method="oidc")
    page = as_admin.get("/audit/").content.decode()
    assert "Signed in through Corp SSO; joined team-a, viewer; left team-b." in page
    assert "Signed in with a password." in page
    assert "Sign-in through single sign-on failed: the ID token was issued for another application." in page
    assert "Signed out (the session began at the provider)." in page
    assert "<dt>method</dt>" not in page and "/jobs/None" not in page
