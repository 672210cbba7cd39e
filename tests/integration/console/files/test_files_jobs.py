"""The file manager starts background jobs: delete a selection, copy and move (rename), folder size; roles and CSRF.

Jobs run in this process (`run_pending_jobs`) against the real SeaweedFS: transactional, since the job's
threads read the connection record through their own database connections.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import unquote

import pytest
from django.test import Client

from console.files import selection
from console.jobs.models import Job
from console.jobs.worker import run_pending_jobs
from console.models import AuditEvent
from tests.integration.console.jobs.support import files_under, names_under, put
from tests.integration.files_support import url

pytestmark = pytest.mark.usefixtures("transactional_db", "seaweed_connection")


def run_all() -> Job:
    run_pending_jobs()
    return Job.objects.order_by("-pk").first()


def form_errors(html: str) -> list[str]:
    found = re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', html, re.S)
    return [unescape(re.sub(r"<[^>]+>", "", e)).strip() for e in found]


# --- delete a selection of files and folders ---


def test_deleting_ticked_files_and_folders_asks_with_the_count_then_a_job_deletes_them(as_editor, key_prefix):
    for name in ("a.txt", "b.txt", "box/c.txt", "box/sub/d.txt", "keep/e.txt"):
        put(key_prefix + name)
    ticked = {"prefix": key_prefix, "key": [key_prefix + "a.txt", key_prefix + "box/"]}
    confirm = as_editor.post(url("delete-selected/"), ticked).content.decode()
    assert "Delete 1 file and 1 folder?" in confirm and "That is <strong>3 files</strong>" in confirm
    assert not Job.objects.exists() and len(names_under(key_prefix)) == 5
    answer = as_editor.post(url("delete-selected/"), {**ticked, "confirm": "yes", "count": "3"})
    assert unquote(answer["Location"]) == f"/files/primary/?prefix={key_prefix}"
    job = run_all()
    assert (job.kind, job.state, job.objects_done, job.created_by.username) == ("delete", "done", 3, "editor")
    assert names_under(key_prefix) == ["b.txt", "keep/e.txt"]
    assert AuditEvent.objects.filter(kind="job.started", detail__job=job.pk).exists()


def test_a_folder_larger_than_one_listing_page_is_counted_as_at_least(as_editor, key_prefix, monkeypatch):
    monkeypatch.setattr(selection, "COUNT_PAGE", 2)
    for n in range(3):
        put(f"{key_prefix}box/f{n}.txt")
    confirm = as_editor.get(url(f"delete-folder/?prefix={key_prefix}box/")).content.decode()
    assert "It holds <strong>at least 2 files</strong>" in confirm and 'name="count"' not in confirm
    assert '<input type="hidden" name="at_least" value="2">' in confirm
    ticked = as_editor.post(url("delete-selected/"), {"prefix": key_prefix, "key": key_prefix + "box/"})
    assert "That is <strong>at least 2 files</strong>" in ticked.content.decode()
    assert '<input type="hidden" name="at_least" value="2">' in ticked.content.decode()


def test_a_delete_counted_as_at_least_raises_its_total_as_it_goes_and_ends_exact(as_editor, key_prefix, monkeypatch,
                                                                                  settings):
    from console.jobs.operations.delete import Delete
    from storage.s3.gateway import S3Gateway

    settings.JOBS_DELETE_BATCHES_IN_FLIGHT = 1
    monkeypatch.setattr(Delete, "page_size", 3)  # batches of three files
    for n in range(8):
        put(f"{key_prefix}box/f{n}.txt")
    as_editor.post(url("delete-folder/"), {"prefix": key_prefix + "box/", "at_least": "2"})
    job = Job.objects.get()
    assert (job.objects_total, job.objects_total_at_least) == (2, True)
    seen, real_delete = [], S3Gateway.delete_objects

    def delete(self, connection, keys):  # what the bar shows while each batch is deleted
        row = Job.objects.get(pk=job.pk)
        seen.append((row.objects_handled, row.objects_total, row.objects_total_at_least))
        return real_delete(self, connection, keys)

    monkeypatch.setattr(S3Gateway, "delete_objects", delete)
    job = run_all()
    assert len(seen) >= 4 and seen[:3] == [(0, 3, True), (3, 6, True), (6, 8, True)]  # at least what was listed
    assert all(total == 8 and not at_least for _, total, at_least in seen[3:])  # the clean-up: the end was reached
    assert (job.state, job.objects_done, job.objects_total, job.objects_total_at_least) == ("done", 8, 8, False)


# --- copy and move ---


def test_a_folder_is_copied_to_the_folder_a_person_types(as_editor, key_prefix):
    for name in ("src/a.txt", "src/sub/b.txt"):
        put(key_prefix + name)
    form = as_editor.get(url(f"copy-move/?key={key_prefix}src/")).content.decode()
    assert "Copy or move " + key_prefix + "src/" in form and "That is <strong>2 files</strong>" in form
    assert f'value="{key_prefix}"' in form and 'value="src"' in form  # the folder it is in, and its name
    answer = as_editor.post(url("copy-move/"), {"key": key_prefix + "src/", "prefix": key_prefix, "confirm": "yes",
                                                "op": "copy", "folder": f" /{key_prefix}backup ", "name": "src",
                                                "conflict": "keep_both"})
    assert answer.status_code == 302, form_errors(answer.content.decode())
    job = run_all()
    assert (job.kind, job.state, job.params["items"]) == ("copy", "done", [[key_prefix + "src/", key_prefix + "backup/src/"]])
    assert names_under(key_prefix) == ["backup/src/a.txt", "backup/src/sub/b.txt", "src/a.txt", "src/sub/b.txt"]


def test_a_selection_is_moved_into_a_folder_and_names_taken_there_are_skipped(as_editor, key_prefix):
    put(key_prefix + "a.txt", b"new a")
    put(key_prefix + "dir/b.txt", b"b")
    put(key_prefix + "dest/a.txt", b"old a")
    as_editor.post(url("copy-move/"), {"key": [key_prefix + "a.txt", key_prefix + "dir/"], "prefix": key_prefix,
                                       "confirm": "yes", "op": "move", "folder": key_prefix + "dest",
                                       "conflict": "skip"})
    job = run_all()
    assert (job.kind, job.objects_done, job.objects_skipped) == ("move", 1, 1)
    assert files_under(key_prefix) == {key_prefix + "a.txt": b"new a", key_prefix + "dest/a.txt": b"old a",
                                       key_prefix + "dest/dir/b.txt": b"b"}


def test_renaming_a_file_is_a_move_to_a_new_name_in_its_folder(as_editor, key_prefix):
    put(key_prefix + "old.txt", b"content")
    form = as_editor.get(url(f"rename/?key={key_prefix}old.txt")).content.decode()
    assert re.search(r'value="move"[^>]*checked', form) and 'value="old.txt"' in form
    as_editor.post(url("copy-move/"), {"key": key_prefix + "old.txt", "confirm": "yes", "op": "move",
                                       "folder": key_prefix, "name": "new.txt", "conflict": "keep_both"})
    assert run_all().state == "done"
    assert files_under(key_prefix) == {key_prefix + "new.txt": b"content"}


def test_a_file_copied_beside_itself_keeps_both(as_editor, key_prefix):
    put(key_prefix + "report.pdf", b"pdf")
    as_editor.post(url("copy-move/"), {"key": key_prefix + "report.pdf", "confirm": "yes", "op": "copy",
                                       "folder": key_prefix, "name": "report.pdf", "conflict": "keep_both"})
    assert run_all().state == "done"
    assert names_under(key_prefix) == ["report (2).pdf", "report.pdf"]


def test_a_folder_is_copied_to_another_connection_chosen_in_the_dialog(as_editor, key_prefix, other_connection):
    from storage.models import Connection

    Connection.objects.create(name="off", bucket="b", enabled=False)
    put(key_prefix + "src/a.txt", b"A")
    form = as_editor.get(url(f"copy-move/?key={key_prefix}src/")).content.decode()
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', form)
    assert options == [("primary", "primary (this one)"), ("other", "other")]  # not the disabled one
    assert re.search(r'<label for="id_to">To connection</label>', form)
    answer = as_editor.post(url("copy-move/"), {"key": key_prefix + "src/", "prefix": key_prefix, "confirm": "yes",
                                                "op": "copy", "to": "other", "folder": key_prefix + "backup",
                                                "name": "src", "conflict": "keep_both"})
    assert answer.status_code == 302, form_errors(answer.content.decode())
    job = run_all()
    assert (job.state, job.dest_connection, job.params["items"]) == ("done", "other", [[key_prefix + "src/",
                                                                                       key_prefix + "backup/src/"]])
    assert files_under(key_prefix, "other") == {key_prefix + "backup/src/a.txt": b"A"}
    page = as_editor.get(f"/jobs/{job.pk}/").content.decode()
    assert f"Copy from primary:{key_prefix}src/ to other:{key_prefix}backup/src/" in page
    assert f'to the connection <a href="/files/other/?prefix={key_prefix.rstrip("/")}%2Fbackup%2F">other' in page
    assert f"Copy from primary:{key_prefix}src/" in as_editor.get("/files/other/").content.decode()  # its panel


def test_a_name_that_exists_here_is_no_obstacle_in_another_connection(as_editor, key_prefix, other_connection):
    put(key_prefix + "a.txt", b"A")
    answer = as_editor.post(url("copy-move/"), {"key": key_prefix + "a.txt", "confirm": "yes", "op": "move",
                                                "to": "other", "folder": key_prefix, "name": "a.txt",
                                                "conflict": "skip"})
    assert answer.status_code == 302, form_errors(answer.content.decode())
    assert run_all().state == "done"
    assert files_under(key_prefix, "other") == {key_prefix + "a.txt": b"A"} and files_under(key_prefix) == {}


@pytest.mark.parametrize("to", ["ghost", "off"])
def test_an_unknown_or_disabled_connection_is_refused_in_the_form(as_editor, key_prefix, other_connection, to):
    from storage.models import Connection

    Connection.objects.create(name="off", bucket="b", enabled=False)
    put(key_prefix + "a.txt")
    answer = as_editor.post(url("copy-move/"), {"key": key_prefix + "a.txt", "confirm": "yes", "op": "copy",
                                                "to": to, "folder": "x", "name": "a.txt", "conflict": "skip"})
    assert answer.status_code == 200 and not Job.objects.exists()
    assert form_errors(answer.content.decode()) == [f"There is no enabled connection named “{to}”: choose one from "
                                                    "the list."]


@pytest.mark.parametrize("fields, field, message", [
    ({"op": "move", "folder": "{p}box/inner"}, "folder", "A folder cannot go inside itself"),
    ({"op": "copy", "folder": "{p}../up"}, "folder", "'.' and '..' are not folder names here"),
    ({"op": "copy", "folder": "{p}a//b"}, "folder", "empty folder name"),
    ({"op": "move", "folder": "{p}", "name": "box"}, "name", "is there already"),
    ({"op": "copy", "folder": "{p}", "name": "x/y"}, "name", "A name cannot contain '/'"),
    ({"op": "copy", "folder": "{p}", "name": "  "}, "name", "Give a name."),
    ({"op": "copy", "folder": "{p}", "name": "n" * 1050}, "name", "the limit is 1024"),
    ({"op": "sideways", "folder": "{p}"}, "op", "Select a valid choice"),
])
def test_impossible_destinations_are_explained_in_the_form_and_start_nothing(as_editor, key_prefix, fields, field,
                                                                              message):
    put(key_prefix + "box/a.txt")
    data = {"key": key_prefix + "box/", "prefix": key_prefix, "confirm": "yes", "conflict": "keep_both",
            "name": "box", **{k: v.replace("{p}", key_prefix) for k, v in fields.items()}}
    answer = as_editor.post(url("copy-move/"), data)
    html = answer.content.decode()
    assert answer.status_code == 200 and not Job.objects.exists()
    assert any(message in error for error in form_errors(html)), form_errors(html)
    assert re.search(rf'id="id_{field}[^"]*"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="id_{field}', html)


def test_a_bad_folder_and_a_bad_name_are_both_explained_at_once(as_editor, key_prefix):
    put(key_prefix + "a.txt")
    answer = as_editor.post(url("copy-move/"), {"key": key_prefix + "a.txt", "confirm": "yes", "op": "move",
                                                "folder": "a//b", "name": "x/y", "conflict": "skip"})
    errors = form_errors(answer.content.decode())
    assert len(errors) == 2 and "empty folder name" in errors[0] and "cannot contain '/'" in errors[1]


def test_copying_a_file_onto_itself_without_keep_both_is_refused(as_editor, key_prefix):
    put(key_prefix + "a.txt")
    answer = as_editor.post(url("copy-move/"), {"key": key_prefix + "a.txt", "confirm": "yes", "op": "copy",
                                                "folder": key_prefix, "name": "a.txt", "conflict": "skip"})
    assert "only makes sense with “keep both”" in " ".join(form_errors(answer.content.decode()))
    assert not Job.objects.exists()


def test_nothing_ticked_says_so_and_starts_nothing(as_editor, key_prefix):
    answer = as_editor.post(url("copy-move/"), {"prefix": key_prefix})
    assert answer.status_code == 200 and b"Nothing selected" in answer.content
    forged = as_editor.post(url("copy-move/"), {"prefix": key_prefix, "confirm": "yes", "op": "copy", "folder": "x",
                                                "conflict": "skip"})
    assert forged.status_code == 200 and b"Nothing selected" in forged.content and not Job.objects.exists()


# --- folder size ---


def test_a_viewer_computes_a_folder_size_and_the_folder_page_shows_it_with_when(as_viewer, key_prefix):
    for n in range(3):
        put(f"{key_prefix}box/f{n}.txt", b"12345")
    page = as_viewer.get(url(f"?prefix={key_prefix}box/")).content.decode()
    assert "Size not computed yet." in page and "Compute size" in page
    as_viewer.post(url("folder-size/"), {"prefix": key_prefix + "box/"})
    again = as_viewer.post(url("folder-size/"), {"prefix": key_prefix + "box/"})  # while the first is queued
    assert unquote(again["Location"]) == f"/files/primary/?prefix={key_prefix}box/"
    assert Job.objects.filter(kind="folder_size").count() == 1
    assert "Computing the size of this folder" in as_viewer.get(url(f"?prefix={key_prefix}box/")).content.decode()
    assert run_all().result == {"objects": 3, "bytes": 15}
    page = as_viewer.get(url(f"?prefix={key_prefix}box/")).content.decode()
    assert "<strong>3 files, 15\xa0bytes</strong>" in page and re.search(r"computed <time datetime=\"[^\"]+\"", page)
    assert "Compute again" in page


# --- who may do what ---


def test_viewers_see_no_changing_actions_and_a_forged_post_is_refused(as_viewer, key_prefix):
    put(key_prefix + "box/a.txt")
    page = as_viewer.get(url(f"?prefix={key_prefix}")).content.decode()
    for hidden in ("Copy or move selected", "Delete selected", 'name="key"', "Rename"):
        assert hidden not in page
    assert "Compute size" in page  # a viewer may count (console/jobs/services.ROLE_FOR)
    forged = [("copy-move/", {"key": key_prefix + "box/", "confirm": "yes", "op": "move", "folder": "x",
                              "conflict": "skip"}),
              ("delete-selected/", {"key": key_prefix + "box/", "confirm": "yes"}),
              ("delete-folder/", {"prefix": key_prefix + "box/"}),
              ("incomplete/abort-old/", {"days": "0", "confirm": "yes"})]
    assert [as_viewer.post(url(path), data).status_code for path, data in forged] == [403] * 4
    assert as_viewer.get(url(f"copy-move/?key={key_prefix}box/")).status_code == 403
    assert not Job.objects.exists() and names_under(key_prefix) == ["box/a.txt"]


def test_people_without_a_role_cannot_even_compute_a_size(as_outsider, key_prefix):
    assert as_outsider.post(url("folder-size/"), {"prefix": key_prefix}).status_code == 403
    assert not Job.objects.exists()


def test_the_form_posts_with_its_csrf_token_and_a_post_without_it_is_refused(users, key_prefix):
    put(key_prefix + "a.txt")
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["editor"])
    form = client.get(url(f"copy-move/?key={key_prefix}a.txt")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = {"key": key_prefix + "a.txt", "confirm": "yes", "op": "copy", "folder": key_prefix + "b",
            "name": "a.txt", "conflict": "keep_both"}
    assert client.post(url("copy-move/"), data).status_code == 403
    assert not Job.objects.exists()
    assert client.post(url("copy-move/"), {**data, "csrfmiddlewaretoken": token}).status_code == 302
    assert Job.objects.get().kind == "copy"


@pytest.mark.parametrize("path, fields", [
    ("delete-selected/", {"prefix": "", "key": "a.txt", "confirm": "yes"}),
    ("delete-folder/", {"prefix": "a/"}),
    ("copy-move/", {"key": "a.txt", "op": "copy", "folder": "b/", "name": "a.txt", "conflict": "skip",
                    "confirm": "yes"}),
    ("rename/", {"key": "a.txt", "op": "move", "folder": "", "name": "b.txt", "conflict": "skip", "confirm": "yes"}),
    ("folder-size/", {"prefix": "a/"}),
    ("incomplete/abort-old/", {"prefix": "", "days": "7", "confirm": "yes"}),
])
def test_no_job_starts_on_a_connection_that_is_missing_or_disabled(as_admin, path, fields):
    from storage.models import Connection

    Connection.objects.create(name="off", bucket="b", enabled=False)
    for name in ("off", "ghost"):
        answer = as_admin.post(f"/files/{name}/{path}", fields)
        assert answer.status_code == 404, (name, answer.status_code)
    assert not Job.objects.exists() and not AuditEvent.objects.filter(kind="job.started").exists()
