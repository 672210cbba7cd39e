"""Every URL × {anonymous, no role, viewer, editor, admin}, generated from the URL configuration.

The role a URL needs comes from its view's `required_role` (set by `role_required`). A view
without one must be on the allowlist in url_walk.py, with its reason, so that a new URL
cannot be left open by accident: this test fails naming it.
"""

from __future__ import annotations

from types import ModuleType

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import path

from console import urls as real_urls
from console.roles import ADMIN, EDITOR, VIEWER
from tests.unit.admin_support import make_connection, moto_s3  # noqa: F401
from tests.unit.url_walk import PUBLIC_NAMES, SIGNED_IN_NAMES, Route, all_routes

PEOPLE = ("outsider", "viewer", "editor", "admin")  # weakest first: nothing runs before refusals
RANK = {None: 0, VIEWER: 1, EDITOR: 2, ADMIN: 3}
HELD = {"outsider": None, "viewer": VIEWER, "editor": EDITOR, "admin": ADMIN}
ROUTES = all_routes()


def _request(client: Client, url: str):
    """GET, or POST when the view only takes POST (or another method)."""
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    return response


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))


@pytest.fixture
def world(users, moto_s3):  # noqa: F811
    """Something for every plausible argument to point at."""
    make_connection("primary", is_default=True)
    return users


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def check_route(route: Route, people: dict) -> list[str]:
    """What is wrong with how this route treats each kind of person (empty when all is right)."""
    url = route.url()
    anonymous = _request(_client(), url)
    problems = [] if _is_login_redirect(anonymous) else [f"anonymous got {anonymous.status_code}, not the sign-in page"]
    for person in PEOPLE:
        response = _request(_client(people[person]), url)
        if route.signed_in_only or RANK[HELD[person]] >= RANK[route.required_role]:
            if response.status_code == 403 or _is_login_redirect(response):
                problems.append(f"{person} holds the {route.required_role or 'signed-in'} role yet got "
                                f"{response.status_code}")
        elif response.status_code != 403:
            problems.append(f"{person} should be refused (403), got {response.status_code}")
    return problems


GUARDED = [r for r in ROUTES if r.required_role or r.signed_in_only]
UNGUARDED = [r for r in ROUTES if not (r.required_role or r.signed_in_only)]


@pytest.mark.parametrize("route", GUARDED, ids=str)
def test_it_gives_each_role_what_the_view_declares(route: Route, world):
    assert check_route(route, world) == [], str(route)


@pytest.mark.parametrize("route", UNGUARDED, ids=str)
def test_it_allows_no_url_without_a_role_unless_it_is_on_the_allowlist(route: Route):
    assert route.public_reason, (f"{route} has no required_role and is not on the allowlist of public URLs "
                                 "(tests/unit/url_walk.py): decorate its view with console.roles.role_required(...)")


def test_it_notices_a_view_that_forgot_its_role(world, settings):
    """The matrix can fail: a view checked only for sign-in, or not at all, is caught."""
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse

    from console.roles import role_required

    def page(request):
        return HttpResponse("ok")

    def check(view) -> list[str]:
        urlconf = ModuleType("forgot_urls")
        urlconf.urlpatterns = [path("forgot/", view), *real_urls.urlpatterns]
        settings.ROOT_URLCONF = urlconf
        return check_route(Route("forgot/", "forgot", view), world)

    assert check(role_required(ADMIN)(page)) == []  # correctly guarded: no problem
    assert "anonymous got 200, not the sign-in page" in check(page)
    lying = role_required(VIEWER)(page)
    lying.required_role = ADMIN  # claims admin, lets viewers in
    assert "viewer should be refused (403), got 200" in check(lying)
    assert not Route("forgot/", "forgot", login_required(page)).public_reason  # not on the allowlist


def test_it_knows_the_admin_console_urls_need_the_admin_role():
    by_name = {r.name: r for r in ROUTES}
    for name in ("connection_list", "connection_cors", "edition", "user_list", "config_export", "audit_log"):
        assert by_name[name].required_role == ADMIN, name


def test_it_keeps_the_allowlist_honest():
    """Every named entry on the allowlist exists, so a stale entry cannot hide a renamed URL."""
    names = {r.name for r in ROUTES}
    assert set(PUBLIC_NAMES) | set(SIGNED_IN_NAMES) <= names
