"""What a manager of a connection (or of one folder of it) gets: its audit entries, its incomplete uploads, its CORS."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.urls import reverse

from console import audit
from tests.unit.access_world import grant


def _events():
    for connection, target in (("primary", "docs/a.txt"), ("primary", "ops/b.txt"), ("primary", "ops2/c.txt"),
                               ("other", "ops/d.txt")):
        audit.record(None, "object.deleted", connection=connection, target=target)


def _audit_targets(client) -> set[str]:
    page = client.get(reverse("audit_log")).content.decode()
    return {t for t in ("docs/a.txt", "ops/b.txt", "ops2/c.txt", "ops/d.txt") if t in page}


def test_managers_read_the_audit_entries_of_what_they_manage(matrix_world):
    from storage.models import Connection

    Connection.objects.create(name="other", bucket="b", access_key_id="k", secret_access_key="s")
    _events()
    ops = User.objects.create_user("ops-manager")
    grant(ops, "manager", "ops/")
    grant(ops, "editor", "ops/", connection="other")  # an editor there: not that connection's log
    assert _audit_targets(matrix_world.client("admin")) == {"docs/a.txt", "ops/b.txt", "ops2/c.txt", "ops/d.txt"}
    assert _audit_targets(matrix_world.client("manager")) == {"docs/a.txt", "ops/b.txt", "ops2/c.txt"}
    assert _audit_targets(matrix_world.client_for(ops)) == {"ops/b.txt"}
    assert matrix_world.client("editor").get(reverse("audit_log")).status_code == 403


def test_a_manager_of_a_folder_sees_and_aborts_only_the_uploads_into_it(matrix_world):
    lead = User.objects.create_user("team-lead")
    grant(lead, "manager", "team/")
    client = matrix_world.client_for(lead)
    page = client.get(reverse("files_incomplete", args=["primary"])).content.decode()
    assert "team/big.bin" in page and "docs/big.bin" not in page
    refused = client.post(reverse("files_incomplete_abort", args=["primary"]),
                          {"key": "docs/big.bin", "upload_id": matrix_world.uploads["docs/big.bin"]})
    assert refused.status_code == 404
    old = client.post(reverse("files_incomplete_abort_old", args=["primary"]), {"prefix": "", "days": "0"})
    assert old.status_code == 403  # the whole bucket's uploads: the top is seen on the way down, not managed
    # a bucket has one set of CORS rules: a manager of the whole connection's
    assert client.get(reverse("connection_cors", args=["primary"])).status_code == 403
    assert matrix_world.client("manager").get(reverse("connection_cors", args=["primary"])).status_code == 200


def test_a_folder_manager_reads_no_audit_entry_of_a_folder_named_like_theirs_in_other_letters(matrix_world):
    """SQLite's LIKE ignores case: "ops/" must not reach "OPS/" nor "Ops/" (other folders, other people's work)."""
    for target in ("ops/b.txt", "OPS/payroll.csv", "Ops/board-minutes.txt"):
        audit.record(None, "object.deleted", connection="primary", target=target)
    ops = User.objects.create_user("ops-manager")
    grant(ops, "manager", "ops/")
    page = matrix_world.client_for(ops).get(reverse("audit_log")).content.decode()
    assert "ops/b.txt" in page
    assert "payroll" not in page and "board-minutes" not in page
    filtered = matrix_world.client("admin").get(reverse("audit_log"), {"folder": "ops/"}).content.decode()
    assert "ops/b.txt" in filtered and "payroll" not in filtered  # the admin's folder filter means that folder too


def test_a_folder_managers_folder_suggestions_name_no_folder_outside_theirs(matrix_world, moto_world_s3):
    """?folder= on the access page pre-fills the form; it must not list what another folder holds."""
    from tests.unit.admin_support import BUCKET

    moto_world_s3.put_object(Bucket=BUCKET, Key="docs/private-plans/a.txt", Body=b"x")
    lead = User.objects.create_user("team-lead")
    grant(lead, "manager", "team/")
    client = matrix_world.client_for(lead)
    page = client.get(reverse("connection_access", args=["primary"]), {"folder": "docs/"}).content.decode()
    assert "private-plans" not in page
    assert "team/sub/" in page  # their own folders are still suggested
    admin = matrix_world.client("admin").get(reverse("connection_access", args=["primary"]), {"folder": "docs/"})
    assert "docs/private-plans/" in admin.content.decode()


def test_the_upload_widget_links_the_cors_page_only_for_who_may_open_it(matrix_world):
    cors_page = reverse("connection_cors", args=["primary"])
    browse = reverse("files_browse", args=["primary"])
    assert cors_page not in matrix_world.client("editor").get(browse).content.decode()
    assert cors_page in matrix_world.client("manager").get(browse).content.decode()


def offered(page: str) -> set[str]:
    """The names the grant form's "Who" field suggests."""
    import re

    found = re.search(r'<datalist id="holder-choices">(.*?)</datalist>', page)
    return set(re.findall(r'<option value="([^"]*)">', found[1])) if found else set()


def test_a_manager_picks_people_by_exact_name_and_never_sees_the_directory(matrix_world):
    from django.contrib.auth.models import Group

    from console.access.models import Grant

    User.objects.create_user("zed-stranger", "zed@corp.example")
    Group.objects.create(name="secret-project")
    access = reverse("connection_access", args=["primary"])
    page = matrix_world.client("manager").get(access).content.decode()
    assert "zed-stranger" not in page and "zed@corp.example" not in page and "secret-project" not in page
    assert "nogrant" not in page  # signed in, holding nothing here: not the manager's to see
    assert offered(page) == {"matrix", "team", "viewer", "editor", "manager"}  # the holders of A's grants
    admin_page = matrix_world.client("admin").get(access).content.decode()
    assert "zed-stranger" in admin_page and "secret-project" in admin_page  # admins keep the whole list

    client = matrix_world.client("manager")
    for who, folder in (("zed@corp.example", "docs/"), ("secret-project", "team/"), ("group:secret-project", "x/")):
        answer = client.post(access, {"holder": who, "connection": "primary", "role": "viewer", "folder": folder})
        assert answer.status_code == 302, who
    assert {(str(g.user or g.group), g.prefix) for g in Grant.objects.filter(role="viewer", prefix__in=(
        "docs/", "team/", "x/")).exclude(group__name="matrix")} == {
        ("zed-stranger", "docs/"), ("secret-project", "team/"), ("secret-project", "x/")}
    refused = client.post(access, {"holder": "zed", "connection": "primary", "role": "viewer"}).content.decode()
    assert "No active person has that user name or email address" in refused


def test_a_folder_manager_is_offered_only_the_holders_of_grants_in_their_folder(matrix_world):
    lead = User.objects.create_user("team-lead")
    grant(lead, "manager", "team/")
    page = matrix_world.client_for(lead).get(reverse("connection_access", args=["primary"])).content.decode()
    assert offered(page) == {"team", "team-lead"}  # not the holders of docs/ nor of the whole bucket


def test_a_refused_grant_form_never_says_whether_a_typed_name_exists(matrix_world):
    """A folder manager types names with a folder they do not manage (or no folder at all): the refusal must read
    the same for a real person, a real email and a made-up name, or the form is a free directory lookup."""
    import re

    User.objects.create_user("zed-stranger", "zed@corp.example")
    lead = User.objects.create_user("team-lead")
    grant(lead, "manager", "team/")
    client, access = matrix_world.client_for(lead), reverse("connection_access", args=["primary"])
    for folder in ("docs/", "", "a//b"):
        pages = {who: re.sub(r'value="[^"]*"|[A-Za-z0-9]{64}', "", client.post(access, {
            "holder": who, "connection": "primary", "role": "viewer", "folder": folder}).content.decode())
            for who in ("zed-stranger", "zed@corp.example", "no-such-person")}
        assert "No active person has that user name" not in pages["no-such-person"], folder
        assert pages["zed-stranger"] == pages["zed@corp.example"] == pages["no-such-person"], folder
    inside = client.post(access, {"holder": "no-such-person", "connection": "primary", "role": "viewer",
                                  "folder": "team/"}).content.decode()
    assert "No active person has that user name" in inside  # where they may grant, a typo is still explained
