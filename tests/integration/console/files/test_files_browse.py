"""Browsing a connection: folders then files, pages, filter, one S3 call per page, failures as banners."""

from __future__ import annotations

import pytest
from botocore.endpoint import Endpoint
from django.db import connection as db
from django.test.utils import CaptureQueriesContext

from console.files.views import browse
from storage.factory import get_gateway
from storage.models import Connection
from tests.integration.files_support import url

pytestmark = pytest.mark.usefixtures("seaweed_connection")


def put(key: str, data: bytes = b"x") -> None:
    get_gateway().simple_upload("primary", key, data)


@pytest.fixture
def s3_calls(monkeypatch):
    """Every HTTP request any boto3 client makes, by operation name."""
    calls: list[str] = []
    original = Endpoint.make_request

    def counting(self, operation_model, request_dict):
        calls.append(operation_model.name)
        return original(self, operation_model, request_dict)

    monkeypatch.setattr(Endpoint, "make_request", counting)
    return calls


def test_it_lists_folders_then_files_with_sizes_and_a_breadcrumb(as_viewer, key_prefix):
    put(key_prefix + "b-file.txt", b"x" * 2048)
    put(key_prefix + "a-folder/inside.txt")
    page = as_viewer.get(url(f"?prefix={key_prefix}"))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("a-folder/") < html.index("b-file.txt")
    assert "2.0\xa0KB" in html
    assert 'aria-label="Breadcrumb"' in html and f">{key_prefix[:-1]}</a>" in html
    assert "inside.txt" not in html  # it is inside the folder


def test_the_prefix_without_a_trailing_slash_means_the_folder(as_viewer, key_prefix):
    put(key_prefix + "one.txt")
    assert b"one.txt" in as_viewer.get(url(f"?prefix={key_prefix[:-1]}")).content


def test_the_first_page_costs_one_listing_call_and_five_queries(as_viewer, key_prefix, s3_calls):
    put(key_prefix + "one.txt")
    as_viewer.get(url(f"?prefix={key_prefix}"))  # warm: the edition row is made on first use
    s3_calls.clear()
    with CaptureQueriesContext(db) as queries:
        page = as_viewer.get(url(f"?prefix={key_prefix}"))
    assert page.status_code == 200
    assert s3_calls == ["ListObjectsV2"]
    assert len(queries.captured_queries) <= 5, [q["sql"][:80] for q in queries.captured_queries]


def test_load_more_continues_the_listing_and_htmx_gets_only_rows(as_viewer, key_prefix, monkeypatch):
    monkeypatch.setattr(browse, "PAGE_SIZE", 2)
    for name in ("a.txt", "b.txt", "c.txt"):
        put(key_prefix + name)
    first = as_viewer.get(url(f"?prefix={key_prefix}")).content.decode()
    assert "a.txt" in first and "b.txt" in first and "c.txt" not in first
    more = first.split('hx-get="')[-1].split('"')[0].replace("&amp;", "&")
    assert "token=" in more
    rows = as_viewer.get(more, headers={"HX-Request": "true"})
    html = rows.content.decode()
    assert "c.txt" in html and "a.txt" not in html
    assert "<table" not in html and "<html" not in html
    full_page = as_viewer.get(more).content.decode()  # the same link without JavaScript: a page
    assert "c.txt" in full_page and "<html" in full_page


def test_filter_keeps_names_starting_with_the_text(as_viewer, key_prefix):
    for name in ("report-1.txt", "report-2.txt", "photo.jpg"):
        put(key_prefix + name)
    html = as_viewer.get(url(f"?prefix={key_prefix}&q=report")).content.decode()
    assert "report-1.txt" in html and "report-2.txt" in html and "photo.jpg" not in html
    partial = as_viewer.get(url(f"?prefix={key_prefix}&q=photo"), headers={"HX-Request": "true",
                                                                            "HX-Target": "listing"})
    assert b"photo.jpg" in partial.content and b"<html" not in partial.content


def test_an_unreachable_storage_shows_the_cause_not_a_500(as_viewer, seaweed_connection):
    from storage.dev.seaweedfs import free_port

    Connection.objects.filter(pk=seaweed_connection.pk).update(endpoint=f"http://127.0.0.1:{free_port()}")
    page = as_viewer.get(url(""))
    assert page.status_code == 503
    assert b"connection refused" in page.content and b'role="alert"' in page.content
    htmx = as_viewer.get(url(""), headers={"HX-Request": "true", "HX-Target": "listing"})
    assert htmx.status_code == 200 and b"connection refused" in htmx.content


def test_an_unknown_connection_is_a_404(as_viewer):
    assert as_viewer.get("/files/nope/").status_code == 404


def test_the_files_index_links_each_connection(as_viewer):
    html = as_viewer.get("/files/").content.decode()
    assert 'href="/files/primary/"' in html


def test_viewers_see_no_upload_or_delete_controls_editors_do(as_viewer, as_editor, key_prefix):
    put(key_prefix + "one.txt")
    viewer = as_viewer.get(url(f"?prefix={key_prefix}")).content.decode()
    editor = as_editor.get(url(f"?prefix={key_prefix}")).content.decode()
    assert "upload-config" not in viewer and "Delete selected" not in viewer and "Download" in viewer
    assert "upload-config" in editor and "Delete selected" in editor


def test_people_without_a_role_cannot_browse(as_outsider, client):
    assert as_outsider.get(url("")).status_code == 404  # no role on the connection: as if it did not exist
    assert client.get(url("")).status_code == 302
