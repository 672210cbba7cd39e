"""A provider answer the console must not trust: a clear page, nobody signed in, an audit entry saying why."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client

from console.models import AuditEvent
from tests.integration.oidc_support import IDP_PASSWORD, local_path, provider_answer, sign_in, sso  # noqa: F401

FAULTS = {
    "bad-signature": "the ID token&#x27;s signature does not match the provider&#x27;s keys",
    "wrong-audience": "the ID token was issued for another application",
    "expired": "the ID token has expired",
    "wrong-nonce": "the ID token does not belong to this sign-in (nonce mismatch)",
    "wrong-issuer": "the ID token comes from another issuer",
    "issued-in-future": "the ID token is dated in the future",
    "shared-audience": "the ID token was issued for another application (its authorized party (azp)",
    "foreign-azp": "the ID token was issued for another application (its authorized party (azp)",
    "alg-none": "the ID token is signed with a key the provider does not publish",
    "hs256-public-key": "the ID token is signed with a key the provider does not publish",
}


def assert_refused(response, client: Client, status: int, words: str) -> None:
    page = response.content.decode()
    assert response.status_code == status, page[:800]
    assert "Sign-in refused" in page and words in page
    assert client.get("/jobs/").status_code == 302  # still signed out: to the sign-in page
    failure = AuditEvent.objects.filter(kind="auth.sign_in_failed").latest("id")
    assert failure.detail["method"] == "oidc" and words.replace("&#x27;", "'") in failure.detail["reason"]


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_it_refuses_an_id_token_it_cannot_trust(db, sso, fault):  # noqa: F811
    sso.person("alice", IDP_PASSWORD, ["readers"])
    sso.fault(fault)
    client = Client()
    assert_refused(sign_in(client, "alice"), client, 403, FAULTS[fault])
    assert not User.objects.filter(username="alice").exists()


def test_it_refuses_a_subject_longer_than_openid_connect_allows(db, sso):  # noqa: F811
    sso.person("alice", IDP_PASSWORD, ["readers"], claims={"sub": "s" * 256})
    client = Client()
    assert_refused(sign_in(client, "alice"), client, 403, "no subject, or one longer than 255 characters")
    assert not User.objects.filter(username="alice").exists()


def test_it_refuses_a_replayed_answer(db, sso):  # noqa: F811
    sso.person("alice", IDP_PASSWORD, ["readers"])
    client = Client()
    answer = local_path(provider_answer(client, "alice"))
    assert client.get(answer).status_code == 302
    again = client.get(answer)  # the same browser, still signed in: the state was spent by the first use
    assert again.status_code == 400 and "already used" in again.content.decode()
    client.post("/accounts/logout/")
    assert_refused(client.get(answer), client, 400, "already used")
    elsewhere = Client()  # the same answer in another browser: its session never started this sign-in
    assert_refused(elsewhere.get(answer), elsewhere, 400, "started in another browser")


def test_it_refuses_an_answer_whose_state_it_never_gave(db, sso):  # noqa: F811
    client = Client()
    client.get("/oidc/authenticate/")
    assert_refused(client.get("/oidc/callback/", {"code": "x", "state": "made-up"}), client, 400, "already used")


def test_it_says_when_the_provider_refuses_the_code(db, sso):  # noqa: F811
    client = Client()
    state = parse_qs(urlsplit(client.get("/oidc/authenticate/")["Location"]).query)["state"][0]
    response = client.get("/oidc/callback/", {"code": "forged-code", "state": state})
    assert_refused(response, client, 403, "the provider refused the sign-in code or its token (invalid_grant)")


def test_it_says_when_the_provider_did_not_sign_the_person_in(db, sso):  # noqa: F811
    client = Client()
    response = client.get("/oidc/callback/", {"error": "access_denied", "state": "whatever"})
    assert_refused(response, client, 403, "the provider did not sign you in (access_denied)")
    made_up = client.get("/oidc/callback/", {"error": "Your account is locked, call +1 555 0100", "state": "x"})
    assert "call +1" not in made_up.content.decode() and "(an error without a code)" in made_up.content.decode()


def test_it_says_when_the_provider_cannot_be_reached(db, sso, settings):  # noqa: F811
    from console.accounts.oidc import provider

    settings.OIDC_ISSUER = "http://127.0.0.1:9/o"  # nothing listens on the discard port
    provider.forget()
    client = Client()
    response = client.get("/oidc/authenticate/")
    assert_refused(response, client, 503, "the provider cannot be reached")


def test_it_offers_no_single_sign_on_when_none_is_set_up(db, settings):
    settings.OIDC_ISSUER = ""
    assert Client().get("/oidc/authenticate/").status_code == 404
    assert Client().get("/oidc/callback/", {"code": "x", "state": "y"}).status_code == 404
    assert "Sign in with" not in Client().get("/accounts/login/").content.decode()
