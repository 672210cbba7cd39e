"""s3.yaml from the browser: upload, preview, apply in one go; export with or without secrets."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile

from console.models import AuditEvent
from storage.models import Connection
from tests.unit.admin_support import SECRET, htmx, is_partial, make_connection

FILE = """default: backup
connections:
  - name: primary
    endpoint: s3.example.com
    region: eu-west-1
    bucketName: console-unit
  - name: backup
    endpoint: backup.example.com:9000
    accessKeyID: AKIDBACKUP
    secretAccessKey: imported-secret-value
    bucketName: backup-bucket
"""


def upload(client, text: str = FILE, *, prune: bool = False, **headers):
    data = {"file": SimpleUploadedFile("s3.yaml", text.encode(), content_type="application/yaml")}
    if prune:
        data["prune"] = "on"
    return client.post("/config/import/", data, **headers)


def session_text() -> str:
    return " ".join(str(s.get_decoded()) + s.session_data for s in Session.objects.all())


def test_it_previews_what_a_file_changes_without_writing(as_admin):
    make_connection("primary", is_default=True, endpoint="s3.example.com")
    make_connection("old")
    page = upload(as_admin, prune=True).content.decode()
    assert "1 created, 1 updated, 0 unchanged, 1 removed; default changes" in page
    assert "<code>primary</code> (region, access_key_id)" in page and "<code>old</code>" in page
    assert "becomes <code>backup</code>" in page
    assert sorted(Connection.objects.values_list("name", flat=True)) == ["old", "primary"]


def test_it_keeps_the_pending_file_encrypted_in_the_session(as_admin):
    upload(as_admin)
    assert "imported-secret-value" not in session_text()
    assert Session.objects.count() == 1


def test_it_applies_the_previewed_file_in_one_go(as_admin):
    make_connection("primary", is_default=True, endpoint="s3.example.com")
    upload(as_admin)
    response = as_admin.post("/config/import/apply/")
    assert response.status_code == 302 and response["Location"] == "/connections/"
    backup = Connection.objects.get(name="backup")
    assert backup.is_default and backup.secret_access_key == "imported-secret-value"
    assert Connection.objects.get(name="primary").secret_access_key == SECRET  # no secret in the file: kept
    event = AuditEvent.objects.get(kind="config.imported")
    assert event.detail["created"] == ["backup"] and "imported-secret-value" not in str(event.detail)
    assert b"Nothing to apply" not in as_admin.post("/config/import/apply/").content
    assert b"There is no previewed file" in as_admin.post("/config/import/apply/").content


def test_it_applies_through_htmx_with_a_client_redirect(as_admin):
    upload(as_admin, **htmx())
    response = as_admin.post("/config/import/apply/", **htmx())
    assert response["HX-Redirect"] == "/connections/"


def test_it_returns_the_import_region_to_htmx(as_admin):
    response = upload(as_admin, **htmx())
    assert is_partial(response) and b'id="import"' in response.content and b"Apply these changes" in response.content


def test_it_explains_a_bad_file_with_its_line(as_admin):
    response = upload(as_admin, FILE.replace("bucketName: backup-bucket", "bucket: backup-bucket"), **htmx())
    assert response.status_code == 200
    assert b"s3.yaml:11: unknown key &#x27;bucket&#x27;" in response.content
    assert not Connection.objects.exists()


def test_it_refuses_a_file_pointing_at_a_metadata_address(as_admin):
    page = upload(as_admin, FILE.replace("backup.example.com:9000", "http://169.254.169.254")).content.decode()
    assert "s3.yaml:7: key &#x27;endpoint&#x27; of connection &#x27;backup&#x27;" in page
    assert b"Apply these changes" not in upload(as_admin, FILE.replace("s3.example.com", "ftp://x")).content


def test_it_previews_again_when_connections_changed_meanwhile(as_admin):
    upload(as_admin)
    make_connection("primary", endpoint="s3.example.com", region="eu-west-1")
    page = as_admin.post("/config/import/apply/").content.decode()
    assert "The connections changed since the preview" in page
    assert not Connection.objects.filter(name="backup").exists()
    as_admin.post("/config/import/apply/")
    assert Connection.objects.filter(name="backup").exists()


def test_it_exports_without_secrets_by_default_and_records_each_export(as_admin):
    make_connection("primary", is_default=True)
    response = as_admin.get("/config/export/")
    assert response["Content-Disposition"] == 'attachment; filename="s3.yaml"'
    text = response.content.decode()
    assert "name: primary" in text and SECRET not in text and "secretAccessKey" not in text
    posted = as_admin.post("/config/export/", {}).content.decode()
    assert SECRET not in posted
    exports = AuditEvent.objects.filter(kind="config.exported")
    assert [(e.actor_name, e.detail) for e in exports] == [("admin", {"scope": "without secret keys"})] * 2


def test_it_exports_secrets_only_when_the_box_is_ticked_and_records_it(as_admin):
    make_connection("primary", is_default=True)
    page = as_admin.get("/config/").content.decode()
    assert "Include secret access keys" in page and "gives full access to the storage" in page
    text = as_admin.post("/config/export/", {"include_secrets": "on"}).content.decode()
    assert SECRET in text
    assert AuditEvent.objects.get(kind="config.exported").detail == {"scope": "with secret keys"}


def test_it_refuses_a_file_that_would_change_what_the_startup_file_manages(as_admin, settings):
    settings.S3_CONFIG = "/conf/s3.yaml"
    make_connection("backup", endpoint="old.example.com:9000", bucket="backup-bucket", managed_by="/conf/s3.yaml")
    page = upload(as_admin).content.decode()
    assert ("s3.yaml:7: &#x27;backup&#x27; is managed by /conf/s3.yaml (S3_CONFIG), which is loaded at every "
            "start: a change made here would be undone at the next start. Change the file instead.") in page
    assert "Apply these changes" not in page
    assert not Connection.objects.filter(name="primary").exists()


def test_the_export_command_is_audited_without_a_secret(db, tmp_path, capsys):
    from django.core.management import call_command

    make_connection("primary", is_default=True)
    make_connection("backup")
    call_command("export_s3_config", "--include-secrets", "-o", str(tmp_path / "s3.yaml"))
    call_command("export_s3_config")
    assert SECRET in (tmp_path / "s3.yaml").read_text() and SECRET not in capsys.readouterr().out
    exports = AuditEvent.objects.filter(kind="config.exported").order_by("pk")
    assert [(e.actor, e.actor_name, e.detail) for e in exports] == [
        (None, "command line", {"scope": "with secret keys", "connections": ["backup", "primary"],
                                "destination": "a file"}),
        (None, "command line", {"scope": "without secret keys", "connections": ["backup", "primary"],
                                "destination": "standard output"}),
    ]
    assert not AuditEvent.objects.filter(detail__icontains=SECRET).exists()
