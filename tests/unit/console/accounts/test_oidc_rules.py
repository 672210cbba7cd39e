"""The single sign-on rules that need no provider: which groups a claim gives, which name an account gets."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import RequestFactory

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


def test_a_password_form_posted_to_a_url_with_a_code_starts_no_exchange(settings):
    settings.OIDC_ISSUER = "http://127.0.0.1:9/o"  # were it tried, this would fail loudly
    request = RequestFactory().post("/accounts/login/?code=stolen&state=whatever")
    assert OidcBackend().authenticate(request, username="alice", password="secret") is None
