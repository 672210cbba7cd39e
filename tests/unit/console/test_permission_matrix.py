"""Every URL × the seven kinds of people of issue #15, each answer asserted exactly.

People (tests/unit/access_world.py): anonymous, a person with no grant, an editor limited to A:team/, a viewer,
an editor and a manager of connection A, and an admin. Each URL is asked the way its page asks it, about
A's docs/readme.txt (outside team/), so a request that is let through succeeds (200, 302, or the answer the
endpoint gives a good request) and a refusal can only be the refusal: a sign-in redirect for anonymous people
(401 from the token-authenticated API), 404 where the person may see nothing (never saying whether it exists),
403 where they see it but their role is too weak. tests/unit/console/test_prefix_limits.py asks the same URLs
inside and around team/.

A URL with no row here fails the test that walks the URL configuration, so no URL is left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import ModuleType

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import path

from console import urls as real_urls
from tests.unit.access_world import PEOPLE, World
from tests.unit.url_walk import PUBLIC_NAMES, SIGNED_IN_NAMES, Route, all_routes

ROUTES = all_routes()
KEY, FOLDER = "docs/readme.txt", "docs/"


@dataclass(frozen=True)
class Ask:
    """How a page asks a URL: the method, the query, and a form or a JSON body."""

    method: str = "GET"
    query: dict = field(default_factory=dict)
    form: dict | None = None
    json: dict | None = None
    headers: dict | None = None

    def send(self, client, url: str):
        if self.query:
            url += "?" + "&".join(f"{k}={v}" for k, v in self.query.items())
        if self.json is not None:
            return client.generic(self.method, url, __import__("json").dumps(self.json),
                                  content_type="application/json", headers=self.headers)
        if self.method == "POST":
            return client.post(url, self.form or {}, headers=self.headers)
        return client.generic(self.method, url, headers=self.headers)


GET, POST = Ask(), Ask("POST")
KEY_Q = {"key": KEY}
BIG_Q = {"key": "docs/big.bin"}

# How each URL is asked (GET when not listed).
ASKS = {
    "user_role": Ask("POST", form={"role": "viewer"}),
    "user_active": Ask("POST", form={"active": "false"}),
    "user_link": POST,
    "connection_default": POST,
    "connection_enabled": Ask("POST", form={"enabled": "true"}),
    "edition_test_manager": POST,
    "config_import": POST,
    "config_import_apply": POST,
    "token_create": Ask("POST", form={"name": "made by the matrix"}),
    "token_revoke": POST,
    "s3key_service_create": Ask("POST", form={"name": "matrix", "scope": "all", "access": "read-write"}),
    "files_browse": Ask(query={"prefix": FOLDER}),
    "files_search": Ask(query={"prefix": FOLDER, "q": "readme"}),
    "files_search_stream": Ask(query={"prefix": FOLDER, "q": "readme"}),
    "files_object": Ask(query=KEY_Q),
    "files_download": Ask(query=KEY_Q),
    "files_preview": Ask(query=KEY_Q),
    "files_zip_entries": Ask(query={"prefix": FOLDER}, headers={"X-Zip-Entries": "1"}),  # as its script does
    "files_thumbnail": Ask(query={"t": "{vouch}", "key": "docs/pic.png"}),  # as the person's gallery made it
    "files_delete": Ask(query=KEY_Q),
    "files_new_folder": Ask(query={"prefix": FOLDER}),
    "files_delete_selected": Ask("POST", form=KEY_Q),
    "files_delete_folder": Ask(query={"prefix": FOLDER}),
    "files_transfer": Ask(query=KEY_Q),
    "files_rename": Ask(query=KEY_Q),
    "files_folder_size": Ask("POST", form={"prefix": FOLDER}),
    "files_incomplete_abort": Ask("POST", form={"key": "docs/big.bin", "upload_id": "{upload}"}),
    "files_incomplete_abort_old": Ask("POST", form={"prefix": FOLDER, "days": "1"}),
    "files_s3_params": Ask("POST", json={"prefix": FOLDER, "filename": "new.txt", "size": 3, "type": "text/plain"}),
    "files_s3_ping": POST,
    "files_s3_multipart": Ask("POST", json={"prefix": FOLDER, "filename": "new.bin", "size": 10}),
    "files_s3_upload": Ask(query=BIG_Q),
    "files_s3_complete": Ask("POST", query=BIG_Q, json={"parts": [{"PartNumber": 1, "ETag": "x"}]}),
    "files_s3_sign_parts": Ask("POST", query=BIG_Q, json={"parts": [1, 2]}),
    "files_s3_sign_part": Ask("POST", query=BIG_Q),
    "files_s3_uploaded": Ask("POST", json={"key": KEY}),
    "files_s3_exists": Ask("POST", json={"prefix": FOLDER, "paths": ["readme.txt"]}),
    "files_s3_instant": Ask("POST", json={"prefix": FOLDER, "filename": "new.bin", "size": 10, "sha256": "0" * 64}),
    "share_new": Ask(query={"connection": "primary", **KEY_Q}),
    # Versions, deleted files, metadata and tags (#17): A's bucket keeps no versions; "null" is a version id.
    "files_versions": Ask(query=KEY_Q),
    "files_version_download": Ask(query={**KEY_Q, "version": "null"}),
    "files_version_preview": Ask(query={**KEY_Q, "version": "null"}),
    "files_version_restore": Ask("POST", form={**KEY_Q, "version": "null"}),
    "files_version_delete": Ask(query={**KEY_Q, "version": "null"}),
    "files_deleted": Ask(query={"prefix": FOLDER}),
    "files_recover": Ask("POST", form={**KEY_Q, "version": "null"}),
    "files_metadata": Ask(query=KEY_Q),
    "share_revoke": POST,
    "job_cancel": POST,
    "job_resume": POST,
    "job_retry": POST,
    # Grants and groups (console/teams): a grant on docs/ of A, a group with it.
    "connection_access": Ask(query={"folder": FOLDER}),
    "connection_who": Ask(query={"folder": FOLDER}),
    "grant_role": Ask("POST", form={"role": "viewer"}),
    "grant_remove": POST,
    "group_rename": Ask("POST", form={"name": "matrix-renamed"}),
    "group_member_add": POST,
    "group_member_remove": POST,
    # The bucket (#17): each change answers with its preview (nothing applied without "confirmed").
    "connection_bucket_usage": POST,
    "connection_bucket_versioning": Ask("POST", form={"status": "Enabled"}),
    "connection_bucket_lifecycle": Ask("POST", form={"action": "expire", "prefix": FOLDER, "days": "3"}),
    "connection_bucket_policy": Ask("POST", form={"policy": ""}),
    "connection_bucket_public": Ask("POST", form={"prefix": FOLDER}),
    "connection_bucket_lock": Ask("POST", form={"mode": ""}),
}

# The exact answers, in the order of PEOPLE:
#            anonymous nogrant team viewer editor manager admin
ADMIN_PAGE = "302 403 403 403 403 403 200"
API = "401 401 401 401 401 401 401"  # the protocol API takes service tokens, never a session
EXPECTED = {
    "home": "302 200 200 200 200 200 200",
    "your_settings": "302 200 200 200 200 200 200",
    "user_list": ADMIN_PAGE, "user_create": ADMIN_PAGE,
    "user_role": "302 403 403 403 403 403 302", "user_active": "302 403 403 403 403 403 302",
    "user_link": ADMIN_PAGE,
    "connection_list": ADMIN_PAGE, "connection_create": ADMIN_PAGE, "connection_edit": ADMIN_PAGE,
    "connection_health": ADMIN_PAGE, "connection_default": "302 403 403 403 403 403 302",
    "connection_enabled": "302 403 403 403 403 403 302", "connection_delete": ADMIN_PAGE,
    "connection_cors": "302 404 403 403 403 200 200",
    # Groups of connections: admins; the world's "primary" is no group, so its group page is 404 to them.
    "connection_group_create": ADMIN_PAGE, "connection_group_edit": "302 403 403 403 403 403 404",
    # The bucket's settings (#17): a manager of the whole connection, like its CORS.
    **dict.fromkeys(("connection_bucket", "connection_bucket_create", "connection_bucket_versioning",
                     "connection_bucket_lifecycle", "connection_bucket_policy", "connection_bucket_public"),
                    "302 404 403 403 403 200 200"),
    # The world's bucket has no object lock: who may manage it is let in, and sent back to the page saying so.
    "connection_bucket_lock": "302 404 403 403 403 302 302",
    "connection_bucket_usage": "302 404 403 403 403 302 302",
    "edition": ADMIN_PAGE, "edition_test_manager": ADMIN_PAGE,
    "config_io": ADMIN_PAGE, "config_import": ADMIN_PAGE, "config_import_apply": ADMIN_PAGE,
    "config_export": ADMIN_PAGE,
    "token_list": ADMIN_PAGE, "token_create": ADMIN_PAGE, "token_revoke": "302 403 403 403 403 403 302",
    # S3 access keys: a person's own (who holds a role anywhere; the world's key is a service's, so 404 to them
    # all); services' keys: admins.
    "s3key_create": "302 403 200 200 200 200 200", "s3key_revoke": "302 403 404 404 404 404 404",
    "s3key_service_list": ADMIN_PAGE, "s3key_service_create": ADMIN_PAGE, "s3key_service_revoke": ADMIN_PAGE,
    "audit_log": "302 403 403 403 403 200 200",
    "files_index": "302 403 200 200 200 200 200",
    "files_browse": "302 404 404 200 200 200 200",
    "files_search": "302 404 404 200 200 200 200",
    "files_search_stream": "302 404 404 200 200 200 200",
    "files_object": "302 404 404 200 200 200 200",
    "files_download": "302 404 404 302 302 302 302",
    "files_preview": "302 404 404 302 302 302 302",
    "files_zip_entries": "302 404 404 200 200 200 200",
    "files_thumbnail": "302 404 404 302 302 302 302",
    "files_delete": "302 404 404 403 200 200 200",
    "files_new_folder": "302 404 404 403 200 200 200",
    "files_delete_selected": "302 404 404 403 200 200 200",
    "files_delete_folder": "302 404 404 403 200 200 200",
    "files_transfer": "302 404 404 403 200 200 200",
    "files_rename": "302 404 404 403 200 200 200",
    "files_folder_size": "302 404 404 302 302 302 302",
    "files_incomplete": "302 404 403 403 403 200 200",
    "files_incomplete_abort": "302 404 403 403 403 302 302",
    "files_incomplete_abort_old": "302 404 403 403 403 200 200",
    "files_s3_params": "302 404 404 403 200 200 200",
    "files_s3_ping": "302 404 200 403 200 200 200",
    "files_s3_multipart": "302 404 404 403 200 200 200",
    "files_s3_upload": "302 404 404 403 200 200 200",
    "files_s3_complete": "302 404 404 403 409 409 409",  # let through: the parts given are not the parts stored
    "files_s3_sign_parts": "302 404 404 403 200 200 200",
    "files_s3_sign_part": "302 404 404 403 200 200 200",
    "files_s3_uploaded": "302 404 404 403 200 200 200",
    "files_s3_exists": "302 404 200 403 200 200 200",  # team: answered, naming nothing outside team/
    "files_s3_instant": "302 404 404 403 200 200 200",  # let through: {"copied": false}, nothing stored matches
    "files_s3_cors": "302 404 403 403 403 200 200",  # the bucket's CORS: a connection's settings, managers only
    "files_versions": "302 404 404 200 200 200 200",
    "files_version_download": "302 404 404 302 302 302 302",
    "files_version_preview": "302 404 404 302 302 302 302",
    "files_version_restore": "302 404 404 403 302 302 302",
    "files_version_delete": "302 404 404 403 403 200 200",  # a manager's at the file: it cannot be undone
    "files_deleted": "302 404 404 200 200 200 200",
    "files_recover": "302 404 404 403 302 302 302",
    "files_metadata": "302 404 404 403 200 200 200",
    "share_list": "302 403 200 403 200 200 200",
    "share_new": "302 403 404 403 200 200 200",
    "share_revoke": "302 403 302 403 302 302 302",
    "job_list": "302 403 200 200 200 200 200",
    "jobs_panel": "302 404 200 200 200 200 200",
    # The job is the editor's: nobody else but an admin is told it exists.
    "job_detail": "302 403 404 404 200 404 200",
    "job_cancel": "302 403 404 404 302 404 302",
    "job_resume": "302 403 404 404 302 404 302",
    "job_retry": "302 403 404 404 302 404 302",
    # Grants and groups: a connection's managers (404 to who sees nothing on it); groups and people: admins.
    "connection_access": "302 404 403 403 403 200 200",
    "connection_who": "302 404 403 403 403 200 200",
    "grant_role": "302 403 403 403 403 302 302",  # 403 to who manages nothing anywhere
    "grant_remove": "302 403 403 403 403 302 404",  # the manager removed it: the admin finds none
    "group_list": ADMIN_PAGE, "group_detail": ADMIN_PAGE, "group_delete": ADMIN_PAGE, "user_detail": ADMIN_PAGE,
    "group_rename": "302 403 403 403 403 403 302", "group_member_add": "302 403 403 403 403 403 302",
    "group_member_remove": "302 403 403 403 403 403 302",
    "ossgateway-openapi": "200 200 200 200 200 200 200",  # the description of the API, public
    **{r.name: API for r in ROUTES if r.route.startswith("api/") and r.name not in ("ossgateway-openapi",
                                                                                       "ossgateway-not-found")},
}
MATRIX = [r for r in ROUTES if r.name in EXPECTED]


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def answers(route: Route, world: World, ask: Ask | None = None) -> dict[str, int | str]:
    """What each kind of person gets; an anonymous redirect elsewhere than the sign-in page is not a 302."""
    got = {}
    for person in PEOPLE:
        client, url = world.client(person), route.url(**world.values)
        for method in ("GET", "POST", "DELETE"):  # a URL not in ASKS: the method it takes
            response = _fill(ask or ASKS.get(route.name) or Ask(method), world, person).send(client, url)
            if response.status_code != 405 or ask or route.name in ASKS:
                break
        status = response.status_code
        got[person] = "302 elsewhere" if person == "anonymous" and status == 302 and not _is_login_redirect(
            response) else status
    return got


def _fill(ask: Ask, world: World, person: str) -> Ask:
    if "{vouch}" in ask.query.values():  # a gallery's thumbnail link, made for this person
        from urllib.parse import parse_qs, unquote, urlsplit

        from console.files import thumbnails

        user = world.people[person]
        link = thumbnails.link(user.pk if user else None, "primary", unquote(ask.query["key"]))
        return replace(ask, query={**ask.query, "t": parse_qs(urlsplit(link).query)["t"][0]})
    if ask.form and "{upload}" in ask.form.values():
        return replace(ask, form={k: world.uploads["docs/big.bin"] if v == "{upload}" else v
                                  for k, v in ask.form.items()})
    return ask


@pytest.mark.parametrize("route", MATRIX, ids=str)
def test_it_answers_each_kind_of_person_exactly(route: Route, matrix_world):
    if route.name.startswith("user_") and "<int:pk>" in route.route:
        matrix_world.values["pk"] = matrix_world.people["nogrant"].pk
    expected = dict(zip(PEOPLE, (int(code) for code in EXPECTED[route.name].split()), strict=True))
    assert answers(route, matrix_world) == expected, str(route)


GUARDED = [r for r in ROUTES if r.required_role or r.signed_in_only]
UNGUARDED = [r for r in ROUTES if not (r.required_role or r.signed_in_only)]


SETTINGS = [r for r in ROUTES if getattr(r.callback, "access_scope", None) == "whole connection"]


def test_the_connections_settings_are_read_and_changed_only_through_whole_connection_views():
    """A bucket has one set of CORS rules: every URL that reads or writes them is a settings view."""
    assert {"connection_cors", "files_s3_cors"} <= {r.name for r in SETTINGS}


@pytest.mark.parametrize("route", SETTINGS, ids=str)
def test_a_manager_of_a_folder_may_not_read_or_change_the_connections_settings(route: Route, matrix_world):
    from django.contrib.auth.models import User

    from tests.unit.access_world import grant

    lead = User.objects.create_user("team-lead")
    grant(lead, "manager", "team/")
    matrix_world.people["lead"] = lead
    asks = {"GET": GET, "POST": POST}
    for method in ("GET", "POST"):
        got = asks[method].send(matrix_world.client("lead"), route.url(**matrix_world.values)).status_code
        assert got in (403, 405), f"{method} {route}: {got}"
    assert answers(route, matrix_world)["manager"] in (200, 302)


@pytest.mark.parametrize("route", GUARDED, ids=str)
def test_every_guarded_url_has_its_row_in_the_matrix(route: Route):
    assert route.name in EXPECTED, f"{route}: add its exact answers (and how to ask it) to the matrix"


@pytest.mark.parametrize("route", UNGUARDED, ids=str)
def test_it_allows_no_url_without_a_role_unless_it_is_on_the_allowlist(route: Route):
    assert route.public_reason, (f"{route} has no required_role and is not on the allowlist of public URLs "
                                 "(tests/unit/url_walk.py): guard its view with console.access.decorators "
                                 "(connection_view, role_anywhere) or console.roles.role_required(ADMIN)")


def test_it_notices_a_view_that_forgot_a_check(matrix_world, settings):
    """The matrix can fail: a view open to all, or checking the connection but not the key, is caught."""
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse

    from console.access import rules
    from console.access.decorators import connection_view

    def page(request, connection):
        return HttpResponse("ok")

    def checked(request, connection):
        rules.require(request.user, "viewer", connection, request.GET["key"])
        return HttpResponse("ok")

    def answered(view) -> dict:
        urlconf = ModuleType("forgot_urls")
        urlconf.urlpatterns = [path("forgot/<str:connection>/", view), *real_urls.urlpatterns]
        settings.ROOT_URLCONF = urlconf
        return answers(Route("forgot/<str:connection>/", "forgot", view), matrix_world, Ask(query={"key": KEY}))

    right = {"anonymous": 302, "nogrant": 404, "team": 404, "viewer": 200, "editor": 200, "manager": 200,
             "admin": 200}
    assert answered(connection_view("viewer")(checked)) == right
    assert answered(connection_view("viewer")(page))["team"] == 200  # the key unchecked: team/ sees docs/
    assert answered(page)["anonymous"] == 200
    assert answered(login_required(page))["nogrant"] == 200
    assert not Route("forgot/", "forgot", login_required(page)).public_reason  # not on the allowlist


def test_it_keeps_the_allowlist_and_the_matrix_honest():
    """Every named entry on the allowlist and in the matrix exists, so a stale one cannot hide a renamed URL."""
    names = {r.name for r in ROUTES}
    assert set(PUBLIC_NAMES) | set(SIGNED_IN_NAMES) <= names
    assert set(EXPECTED) | set(ASKS) <= names
