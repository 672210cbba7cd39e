"""The single sign-on rules that need no provider: which groups a claim gives, which name an account gets."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client, RequestFactory

from console.accounts.oidc import groups, identity
from console.accounts.oidc.backend import OidcBackend


@pytest.fixture
def claim_rules(settings):
    settings.OIDC_GROUPS_CLAIM = "groups"
    settings.OIDC_GROUP_MAP = {"corp-admins": ["admin"], "readers": ["viewer", "team-a"]}
    settings.OIDC_GROUPS_BY_NAME = True
    return settings


@pytest.mark.parametrize(("claim", "wanted"), [
    (["team-b", "readers"], {"team-b", "viewer", "team-a"}),
    ("team-b", {"team-b"}),  # one string is one group
    (["ADMIN", "Editor", " viewer ", "corp-admins"], {"admin"}),  # role groups only through the map
    ([" team-c ", "", "x" * 151, 42, None], {"team-c"}),
    ({"team-d": True}, set()),  # not a list: no groups at all
    (None, set()),
])
def test_a_claim_gives_its_groups_and_never_a_role_by_name(claim_rules, claim, wanted):
    assert groups.wanted_names({"groups": claim}) == wanted


@pytest.mark.parametrize("value", ["ａｄｍｉｎ", "Ｖｉｅｗｅｒ", "admin\u200b", "\u202enimda", "аdmin", "line\nbreak"])
def test_no_group_is_joined_by_a_name_that_passes_for_another(claim_rules, value):
    # full width, a zero-width space, a right-to-left override, a Cyrillic "а", a line break
    assert groups.wanted_names({"groups": [value]}) == set()


def test_groups_named_in_any_script_are_joined(claim_rules):
    names = ["José's team", "数据组", "データ班", "команда", "데이터팀", "李-lab"]
    assert groups.wanted_names({"groups": names}) == set(names)


def test_only_mapped_groups_count_when_names_are_off(claim_rules):
    claim_rules.OIDC_GROUPS_BY_NAME = False
    assert groups.wanted_names({"groups": ["team-b", "readers"]}) == {"viewer", "team-a"}


@pytest.mark.parametrize(("claims", "sub", "name"), [
    ({"preferred_username": "alice"}, "s-1", "alice"),
    ({"preferred_username": "alice smith"}, "s-1", "s-1"),  # not a valid user name: the subject
    ({}, "248289761001", "248289761001"),
    ({"preferred_username": "a b"}, "c/d", "oidc-"),  # neither: a name made from the subject
])
def test_an_account_is_named_from_the_claim_else_the_subject(settings, claims, sub, name):
    settings.OIDC_USERNAME_CLAIM = "preferred_username"
    assert identity.wanted_username(claims, sub).startswith(name)


def test_a_taken_name_is_never_reused_whatever_its_case(db, settings):
    settings.OIDC_USERNAME_CLAIM = "preferred_username"
    User.objects.create_user("Bob")
    User.objects.create_user("bob-2")
    account = identity.account_for("https://idp.example", "sub-bob", {"preferred_username": "bob"})
    assert account.user.username == "bob-3" and User.objects.count() == 3
    assert identity.account_for("https://idp.example", "sub-bob", {"preferred_username": "Bob"}).pk == account.pk


@pytest.mark.parametrize(("local", "claimed", "given"), [
    ("admin", "ａｄｍｉｎ", "admin-2"),  # full width: Django stores it as "admin"
    ("admin", "ＡＤＭＩＮ", "ADMIN-2"),
    ("Émile", "émile", "émile-2"),  # a case SQLite's own comparison does not fold
])
def test_a_name_that_reads_like_a_taken_one_is_never_given(db, settings, local, claimed, given):
    settings.OIDC_USERNAME_CLAIM = "preferred_username"
    User.objects.create_user(local)
    assert identity.account_for("https://idp.example", "sub-x", {"preferred_username": claimed}).user.username == given


def test_the_same_subject_at_another_issuer_is_another_person(db, settings):
    settings.OIDC_USERNAME_CLAIM = "preferred_username"
    first = identity.account_for("https://idp.example/realms/corp", "1", {"preferred_username": "alice"})
    other = identity.account_for("https://idp.example/realms/guests", "1", {"preferred_username": "alice"})
    assert other.user.pk != first.user.pk and other.user.username == "alice-2"


def test_a_name_mixing_scripts_is_not_used(db, settings):
    settings.OIDC_USERNAME_CLAIM = "preferred_username"
    account = identity.account_for("https://idp.example", "248289761001", {"preferred_username": "аdmin"})
    assert account.user.username == "248289761001"  # the subject, not a Cyrillic "а" beside Latin letters


def test_a_password_form_posted_to_a_url_with_a_code_starts_no_exchange(settings):
    settings.OIDC_ISSUER = "http://127.0.0.1:9/o"  # were it tried, this would fail loudly
    request = RequestFactory().post("/accounts/login/?code=stolen&state=whatever")
    assert OidcBackend().authenticate(request, username="alice", password="secret") is None


def test_an_https_provider_s_discovery_may_not_send_anyone_to_plain_http(db, settings, monkeypatch):
    from console.accounts.oidc import provider

    settings.OIDC_ISSUER, settings.OIDC_RP_CLIENT_ID = "https://idp.example/realms/corp", "oss-console"
    document = {"issuer": settings.OIDC_ISSUER, "authorization_endpoint": "http://idp.example/auth"}
    monkeypatch.setattr(provider, "discovery", lambda: document)
    response = Client().get("/oidc/authenticate/")
    assert response.status_code == 503 and "names no https:// authorization_endpoint" in response.content.decode()
    document["authorization_endpoint"] = "https://idp.example/auth"
    assert Client().get("/oidc/authenticate/")["Location"].startswith("https://idp.example/auth?")
