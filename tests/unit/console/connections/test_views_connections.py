"""The connections pages: list, health cell, create/edit with Test, default, enable, delete."""

from __future__ import annotations

import re

import pytest

from console.models import AuditEvent
from storage.gateway import HealthReport
from storage.models import Connection
from tests.unit.admin_support import BUCKET, SECRET, htmx, is_partial, make_connection, moto_s3  # noqa: F401

pytestmark = pytest.mark.usefixtures("moto_s3")

VALID = {"name": "backup", "endpoint": "", "public_endpoint": "", "region": "us-east-1", "bucket": BUCKET,
         "access_key_id": "AKIDNEW", "secret_access_key": "fresh-secret-value", "addressing_style": "auto",
         "use_ssl": "on", "verify_ssl": "on", "enabled": "on", "max_upload_size": "1000"}


def field_block(html: str, field: str) -> str:
    """The markup around one field: its label, input, help and errors."""
    start = html.index(f'for="id_{field}"')
    return html[start:html.index('<div class="field', start + 1) if '<div class="field' in html[start + 1:] else None]


def test_it_lists_connections_with_endpoint_bucket_default_and_state(as_admin):
    make_connection("primary", is_default=True, endpoint="s3.example.com:9000")
    make_connection("archive", enabled=False, bucket="archive-bucket")
    page = as_admin.get("/connections/").content.decode()
    assert re.search(r"primary</a> <span class=\"badge default\">default</span>", page)
    assert "s3.example.com:9000" in page and "archive-bucket" in page
    assert "disabled" in page and "AWS S3" in page
    assert "<footer" in page  # the full page


def test_it_returns_only_the_table_to_htmx(as_admin):
    make_connection("primary")
    response = as_admin.get("/connections/", **htmx())
    assert is_partial(response) and b'id="connections"' in response.content


def test_it_fills_the_health_cell_on_demand(as_admin):
    make_connection("primary")
    make_connection("gone", bucket="no-such-bucket")
    assert b"reachable" not in as_admin.get("/connections/").content  # nothing is checked up front
    ok = as_admin.get("/connections/primary/health/", **htmx())
    assert is_partial(ok) and re.search(rb"reachable, \d+ ms", ok.content)
    bad = as_admin.get("/connections/gone/health/", **htmx()).content.decode()
    assert "no such bucket: &#x27;no-such-bucket&#x27;" in bad


def test_it_shows_health_on_a_page_without_javascript(as_admin):
    make_connection("primary")
    response = as_admin.get("/connections/primary/health/")
    assert b"<footer" in response.content and b"reachable" in response.content


def test_it_checks_all_connections_with_one_link(as_admin):
    make_connection("primary")
    make_connection("second")
    page = as_admin.get("/connections/?check=all").content.decode()
    assert len(re.findall(r"reachable, \d+ ms", page)) == 2


def test_it_creates_a_connection_and_records_it(as_admin):
    response = as_admin.post("/connections/new/", VALID)
    assert response.status_code == 302 and response["Location"] == "/connections/"
    record = Connection.objects.get(name="backup")
    assert record.secret_access_key == "fresh-secret-value" and record.is_default  # the first one is default
    event = AuditEvent.objects.get(kind="connection.created")
    assert (event.actor_name, event.connection, event.address) == ("admin", "backup", "127.0.0.1")
    assert "fresh-secret-value" not in str(event.detail)
    assert "Connection &#x27;backup&#x27; was created." in as_admin.get("/connections/").content.decode()


def test_it_shows_messages_next_to_the_fields(as_admin):
    page = as_admin.post("/connections/new/", {**VALID, "name": "bad name!", "bucket": ""}).content.decode()
    assert "Use 1-63 letters" in field_block(page, "name")
    assert "This field is required." in field_block(page, "bucket")
    assert not Connection.objects.exists()


@pytest.mark.parametrize("endpoint", ["http://169.254.169.254", "http://[::ffff:169.254.169.254]",
                                      "ftp://s3.example.com", "https://u:p@s3.example.com"])
def test_it_refuses_endpoints_the_rules_forbid(as_admin, endpoint):
    page = as_admin.post("/connections/new/", {**VALID, "endpoint": endpoint}).content.decode()
    block = field_block(page, "endpoint")
    assert 'class="errorlist"' in block
    assert not Connection.objects.exists()


def test_it_refuses_private_endpoints_in_production(as_admin, settings):
    settings.ALLOW_PRIVATE_ENDPOINTS = False
    page = as_admin.post("/connections/new/", {**VALID, "endpoint": "http://10.0.0.8:9000"}).content.decode()
    assert "ALLOW_PRIVATE_ENDPOINTS is off" in field_block(page, "endpoint")
    settings.ALLOW_PRIVATE_ENDPOINTS = True
    assert as_admin.post("/connections/new/", {**VALID, "endpoint": "http://10.0.0.8:9000"}).status_code == 302


def test_it_never_renders_the_secret_back(as_admin):
    make_connection("primary")
    page = as_admin.get("/connections/primary/edit/").content.decode()
    assert SECRET not in page
    secret_input = re.search(r"<input[^>]*name=\"secret_access_key\"[^>]*>", page).group(0)
    assert 'type="password"' in secret_input and "value=" not in secret_input
    assert "leave blank to keep" in page and "A secret is stored." in page
    invalid = as_admin.post("/connections/primary/edit/", {**VALID, "name": "primary", "bucket": "",
                                                           "secret_access_key": "typed-but-invalid"})
    assert b"typed-but-invalid" not in invalid.content and SECRET.encode() not in invalid.content


def test_it_keeps_the_secret_when_the_field_is_left_blank(as_admin):
    make_connection("primary")
    as_admin.post("/connections/primary/edit/", {**VALID, "name": "primary", "secret_access_key": "",
                                                 "region": "eu-west-1"})
    record = Connection.objects.get(name="primary")
    assert record.secret_access_key == SECRET and record.region == "eu-west-1"
    event = AuditEvent.objects.get(kind="connection.updated")
    assert "secret_access_key" not in event.detail["changed"] and "region" in event.detail["changed"]


def test_it_replaces_the_secret_and_says_so_without_its_value(as_admin):
    make_connection("primary")
    as_admin.post("/connections/primary/edit/", {**VALID, "name": "primary", "secret_access_key": "new-one"})
    assert Connection.objects.get(name="primary").secret_access_key == "new-one"
    event = AuditEvent.objects.get(kind="connection.updated")
    assert "secret_access_key" in event.detail["changed"] and "new-one" not in str(event.detail)


def test_it_does_not_rename_a_connection(as_admin):
    make_connection("primary")
    as_admin.post("/connections/primary/edit/", {**VALID, "name": "renamed"})
    assert Connection.objects.filter(name="primary").exists() and not Connection.objects.filter(name="renamed")


def test_it_tests_unsaved_values_without_saving(as_admin):
    response = as_admin.post("/connections/new/", {**VALID, "action": "test"}, **htmx())
    assert is_partial(response) and b"Test passed" in response.content
    assert not Connection.objects.exists()
    failed = as_admin.post("/connections/new/", {**VALID, "bucket": "missing-bucket", "action": "test"}, **htmx())
    assert b"Test failed: no such bucket" in failed.content


def test_it_tests_without_javascript_on_the_full_page(as_admin):
    response = as_admin.post("/connections/new/", {**VALID, "action": "test"})
    page = response.content.decode()
    assert "<footer" in page and "Test passed" in page and 'value="backup"' in page
    assert not Connection.objects.exists()


def test_it_tests_an_edit_with_the_stored_secret_when_left_blank(as_admin, monkeypatch):
    make_connection("primary")
    seen = []

    def check_health(gateway, oss_id, *, timeout):
        seen.append(gateway.registry.get(oss_id))
        return HealthReport(True, 1.0, "bucket reachable")

    monkeypatch.setattr("storage.s3.gateway.S3Gateway.check_health", check_health)
    as_admin.post("/connections/primary/edit/", {**VALID, "name": "primary", "secret_access_key": "",
                                                 "action": "test"}, **htmx())
    assert seen[0].secret_access_key == SECRET and seen[0].access_key_id == "AKIDNEW"


def test_it_sends_invalid_test_values_back_to_the_form(as_admin):
    response = as_admin.post("/connections/new/", {**VALID, "endpoint": "ftp://x", "action": "test"}, **htmx())
    assert response["HX-Retarget"] == "#connection-form" and response["HX-Reswap"] == "outerHTML"
    assert b"Only http and https" in response.content


def test_it_switches_the_default_in_one_click(as_admin):
    make_connection("primary", is_default=True)
    make_connection("second")
    response = as_admin.post("/connections/second/default/", **htmx())
    assert is_partial(response) and b"is now the default connection" in response.content
    assert list(Connection.objects.filter(is_default=True).values_list("name", flat=True)) == ["second"]
    event = AuditEvent.objects.get(kind="connection.default")
    assert event.detail == {"previous": "primary"}


def test_it_makes_a_new_connection_the_default_when_asked(as_admin):
    make_connection("primary", is_default=True)
    as_admin.post("/connections/new/", {**VALID, "make_default": "on"})
    assert Connection.objects.get(is_default=True).name == "backup"


def test_it_enables_and_disables_but_never_the_default(as_admin):
    make_connection("primary", is_default=True)
    make_connection("second")
    response = as_admin.post("/connections/second/enabled/", {"enabled": "false"})
    assert response.status_code == 302 and not Connection.objects.get(name="second").enabled
    refused = as_admin.post("/connections/primary/enabled/", {"enabled": "false"}, **htmx())
    assert b"make another one the default before disabling it" in refused.content
    assert Connection.objects.get(name="primary").enabled
    as_admin.post("/connections/second/enabled/", {"enabled": "true"}, **htmx())
    assert Connection.objects.get(name="second").enabled
    assert [e.kind for e in AuditEvent.objects.order_by("id")] == ["connection.disabled", "connection.enabled"]


def test_it_asks_before_deleting(as_admin):
    make_connection("primary", is_default=True)
    make_connection("second")
    page = as_admin.get("/connections/second/delete/").content.decode()
    assert "Delete second?" in page and 'method="post"' in page
    assert Connection.objects.filter(name="second").exists()
    assert as_admin.post("/connections/second/delete/").status_code == 302
    assert not Connection.objects.filter(name="second").exists()
    assert AuditEvent.objects.get(kind="connection.deleted").connection == "second"


def test_it_does_not_delete_the_default_until_another_is_default(as_admin):
    make_connection("primary", is_default=True)
    make_connection("second")
    page = as_admin.post("/connections/primary/delete/").content.decode()
    assert "Make another connection the default first" in page
    assert Connection.objects.filter(name="primary").exists()
    as_admin.post("/connections/second/default/")
    as_admin.post("/connections/primary/delete/")
    assert not Connection.objects.filter(name="primary").exists()


def test_it_answers_404_for_an_unknown_connection(as_admin):
    assert as_admin.get("/connections/ghost/edit/").status_code == 404


def test_it_keeps_the_default_enabled_in_the_edit_form(as_admin):
    make_connection("primary", is_default=True)
    data = {k: v for k, v in VALID.items() if k != "enabled"}
    page = as_admin.post("/connections/primary/edit/", {**data, "name": "primary"}).content.decode()
    assert "The default connection must stay enabled." in field_block(page, "enabled")
    assert Connection.objects.get(name="primary").enabled


# --- connections the start-up s3.yaml manages ---

MANAGED_BY = "/conf/s3.yaml"
REASON = ("is managed by /conf/s3.yaml (S3_CONFIG), which is loaded at every start: a change made here would "
          "be undone at the next start. Change the file instead.")


@pytest.fixture
def s3_config(settings):
    settings.S3_CONFIG = MANAGED_BY  # the file the next start loads again


def managed(name: str = "primary", **values) -> Connection:
    return make_connection(name, managed_by=MANAGED_BY, **values)


def test_it_shows_a_managed_connection_locked_with_the_reason(as_admin, s3_config):
    managed("primary", endpoint="s3.example.com:9000")
    page = as_admin.get("/connections/primary/edit/").content.decode()
    assert f"&#x27;primary&#x27; {REASON.replace(chr(39), '&#x27;')}" in page
    assert '<span class="badge locked">locked</span>' in page
    assert re.search(r'<input type="text" name="endpoint" value="s3.example.com:9000"[^>]* disabled', page)
    assert ">Save</button>" not in page and "Test these values" not in page
    assert 'href="/connections/primary/health/">Check health</a>' in page


def test_it_refuses_to_save_a_managed_connection(as_admin, s3_config):
    managed("primary", endpoint="s3.example.com:9000")
    response = as_admin.post("/connections/primary/edit/", {**VALID, "name": "primary", "endpoint": "evil.example"})
    assert response.status_code == 409
    assert "Not saved. &#x27;primary&#x27; is managed by /conf/s3.yaml" in response.content.decode()
    assert Connection.objects.get(name="primary").endpoint == "s3.example.com:9000"
    assert not AuditEvent.objects.filter(kind="connection.updated").exists()
    tested = as_admin.post("/connections/primary/edit/", {**VALID, "action": "test"}, **htmx())
    assert tested.status_code == 200 and b"Not saved." in tested.content  # htmx shows it in place


def test_it_refuses_to_delete_or_disable_a_managed_connection(as_admin, s3_config):
    make_connection("primary")
    managed("second")
    page = as_admin.get("/connections/second/delete/").content.decode()
    assert "cannot be deleted here" in page and 'class="danger"' not in page
    assert as_admin.post("/connections/second/delete/").status_code == 409
    refused = as_admin.post("/connections/second/enabled/", {"enabled": "false"}, **htmx()).content.decode()
    assert "is managed by /conf/s3.yaml" in refused
    second = Connection.objects.get(name="second")
    assert second.enabled and not AuditEvent.objects.exists()


def test_it_marks_managed_connections_in_the_list_and_offers_only_what_works(as_admin, s3_config):
    make_connection("primary")
    managed("second")
    page = as_admin.get("/connections/").content.decode()
    row = page[page.index('href="/connections/second/edit/"'):]
    row = row[:row.index("</tr>")]
    assert '<span class="badge locked" title="&#x27;second&#x27; is managed by /conf/s3.yaml' in row
    assert ">View<" in row and "/connections/second/delete/" not in row and "/connections/second/enabled/" not in row
    assert "/connections/second/health/" in row and "/connections/second/cors/" in row


def test_a_mark_left_by_a_file_no_longer_loaded_locks_nothing(as_admin, settings):
    settings.S3_CONFIG = "/conf/other.yaml"
    managed("primary")
    page = as_admin.get("/connections/primary/edit/").content.decode()
    assert "is managed by" not in page and ">Save</button>" in page


def test_the_django_admin_shows_a_managed_connection_but_cannot_change_or_delete_it(as_admin, s3_config, users):
    """Found by an attack pass: /django-admin/ changed and deleted what the start-up file manages."""
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    record = managed("second")
    changed = as_admin.post(f"/django-admin/storage/connection/{record.pk}/change/",
                            {"name": "second", "endpoint": "evil.example.com", "bucket": "other"})
    assert changed.status_code == 403
    assert as_admin.post(f"/django-admin/storage/connection/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    record.refresh_from_db()
    assert record.bucket != "other"
    assert as_admin.get(f"/django-admin/storage/connection/{record.pk}/change/").status_code == 200  # still shown


def test_the_default_stays_where_the_start_up_file_put_it(as_admin, s3_config):
    """Found by an attack pass: 'Make default' moved every user off the file's default until the next start."""
    managed("primary", is_default=True)
    make_connection("other")
    refused = as_admin.post("/connections/other/default/", **htmx()).content.decode()
    assert "comes from the start-up file" in refused
    assert Connection.objects.get(is_default=True).name == "primary"


@pytest.mark.parametrize(("endpoint", "box", "saved"), [
    ("http://s3.example.com:9000", "on", False), ("https://s3.example.com", "", True),
    ("s3.example.com:9000", "", False), ("s3.example.com:9000", "on", True),
])
def test_the_endpoints_scheme_decides_use_tls_over_the_box(as_admin, endpoint, box, saved, monkeypatch):
    monkeypatch.setattr("console.connections.forms.connection_endpoint_errors", lambda *a, **kw: {})
    values = {**VALID, "endpoint": endpoint, "use_ssl": box}
    as_admin.post("/connections/new/", {k: v for k, v in values.items() if v != ""} | {"endpoint": endpoint})
    assert Connection.objects.get(name="backup").use_ssl is saved


def test_the_largest_upload_is_typed_and_shown_with_its_unit(as_admin):
    as_admin.post("/connections/new/", {**VALID, "max_upload_size": "1.5 GB"})
    assert Connection.objects.get(name="backup").max_upload_size == 1024**3 * 3 // 2
    page = as_admin.get("/connections/backup/edit/").content.decode()
    assert 'value="1.5 GB"' in field_block(page, "max_upload_size")
    assert "1 MB = 1,024 KB" in field_block(page, "max_upload_size")
    answer = as_admin.post("/connections/backup/edit/", {**VALID, "max_upload_size": "lots"}).content.decode()
    assert "“lots” is not a size: write a number and a unit, such as 500 MB or 1.5 GB." in answer


def test_instant_uploads_are_off_until_ticked_and_the_box_says_what_they_do(as_admin):
    as_admin.post("/connections/new/", VALID)
    assert Connection.objects.get(name="backup").instant_uploads is False
    page = as_admin.get("/connections/backup/edit/").content.decode()
    assert "SHA-256" in field_block(page, "instant_uploads") and "trust each other" in field_block(page, "instant_uploads")
    as_admin.post("/connections/backup/edit/", {**VALID, "instant_uploads": "on"})
    assert Connection.objects.get(name="backup").instant_uploads is True
