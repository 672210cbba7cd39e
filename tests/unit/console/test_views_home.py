"""The landing page: storages with the default marked; admins also get the way to manage them."""

from __future__ import annotations

from tests.unit.admin_support import make_connection


def test_it_lists_storages_with_the_default_marked(as_viewer):
    make_connection("primary", is_default=True)
    make_connection("archive", enabled=False)
    page = as_viewer.get("/").content.decode()
    assert '<a href="/files/primary/">primary</a>' in page and "badge default" in page
    assert "archive" in page and "disabled" in page
    assert "/connections/" not in page and "Administration" not in page


def test_it_gives_admins_the_way_to_manage(as_admin):
    make_connection("primary", is_default=True)
    page = as_admin.get("/").content.decode()
    for url in ("/connections/new/", "/connections/primary/edit/", "/connections/primary/cors/", "/edition/",
                "/users/", "/config/", "/audit/"):
        assert f'href="{url}"' in page, url


def test_it_tells_people_without_a_role_how_to_get_one(as_outsider):
    make_connection("primary", is_default=True)
    page = as_outsider.get("/").content.decode()
    assert "have no role yet" in page and '<a href="/files/primary/">' not in page


def test_it_invites_admins_to_add_the_first_connection(as_admin):
    page = as_admin.get("/").content.decode()
    assert "No connections yet." in page and "import an s3.yaml" in page
