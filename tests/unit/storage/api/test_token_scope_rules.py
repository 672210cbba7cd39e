"""A service token's folder and read-only flag: the rules, and that every protocol verb declares what it does."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, get_resolver

from storage.api import scope
from storage.api.errors import ApiError
from storage.service_tokens import issue_token

KEY_WRITES = {"upload", "initmultiupload", "uploadpart", "completeupload", "delete", "ext-abort", "ext-copy",
              "ext-delete"}


def _refusal(call) -> tuple[int, int] | None:
    try:
        call()
    except ApiError as e:
        return e.status, e.code
    return None


@pytest.mark.parametrize(("key", "reached"), [
    ("team/a.txt", True), ("team/", True), ("team/sub/deep/b", True),
    ("team2/a.txt", False), ("team", False), ("teamwork.txt", False), ("Team/a.txt", False), ("x/team/a", False),
])
def test_a_folder_reaches_only_the_keys_under_it(key, reached):
    assert (_refusal(lambda: scope.reach("team/", key)) is None) is reached


@pytest.mark.parametrize(("asked", "delimiter", "listed"), [
    ("team/", "/", "team/"), ("team/sub/", "", "team/sub/"),  # inside: as asked
    ("", "/", ["team/"]), ("", "", "team/"), ("te", "/", ["team/"]), ("team", "", "team/"),  # above: clipped
    ("a/", "/", None), ("team2/", "/", None), ("teamwork", "", None),  # beside: 404
])
def test_a_listing_above_the_folder_shows_the_way_down_and_beside_it_nothing(asked, delimiter, listed):
    if listed is None:
        assert _refusal(lambda: scope.listing_prefix("team/", asked, delimiter)) == (404, 404031003)
    else:
        assert scope.listing_prefix("team/", asked, delimiter) == listed


def test_the_way_down_stops_at_the_first_delimiter_of_what_is_left():
    assert scope.listing_prefix("a/b/c/", "a/", "/") == ["a/b/"]
    assert scope.listing_prefix("my-team/", "", "-") == ["my-"]


def test_a_read_only_token_may_read_but_not_write_nor_change_bucket_settings():
    def allow(access, method):
        return _refusal(lambda: scope.allow("", True, access, method, "a.txt"))

    assert allow(scope.READ, "GET") is None and allow(scope.BUCKET, "GET") is None
    assert allow(scope.WRITE, "GET") == (403, 403031002)
    assert allow(scope.BUCKET, "PUT") == (403, 403031002)


def test_outside_the_folder_comes_before_read_only():
    assert _refusal(lambda: scope.allow("team/", True, scope.WRITE, "GET", "team2/x")) == (404, 404031003)


def _protocol_views() -> dict[str, object]:
    """Each protocol URL's view, by its name without "ossgateway-" ("upload", "ext-list" ...)."""
    api = next(r for r in get_resolver().url_patterns if str(r.pattern) == "api/ossgateway/v1/")
    return {p.name.removeprefix("ossgateway-"): p.callback for p in api.url_patterns
            if isinstance(p, URLPattern) and p.name != "ossgateway-not-found"}


def test_every_protocol_verb_declares_what_it_does_to_keys():
    views = _protocol_views()
    assert {"upload", "download", "head", "delete", "ext-list", "ext-parts", "ext-uploads", "ext-cors"} <= set(views)
    for verb, view in views.items():
        assert view.api_access in (scope.READ, scope.WRITE, scope.BUCKET, scope.NONE), verb
        assert (view.api_access == scope.WRITE) is (verb in KEY_WRITES), verb
    for verb in ("download", "head", "ext-list", "ext-parts", "ext-uploads"):
        assert views[verb].api_access == scope.READ, verb
    assert views["ext-cors"].api_access == scope.BUCKET


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["team", "/team/", "a//b/", "a/../b/"])
def test_a_token_prefix_must_be_a_folder(prefix):
    with pytest.raises(ValueError):
        issue_token("bad", prefix=prefix)


@pytest.mark.django_db
def test_a_folder_token_names_its_connections():
    with pytest.raises(ValueError, match="name the connections"):
        issue_token("everywhere", prefix="team/")


@pytest.mark.django_db
def test_a_token_keeps_its_folder_and_read_only_flag():
    record = issue_token("ok", prefix="team/", read_only=True, connections=[]).record
    assert (record.prefix, record.read_only) == ("team/", True)
