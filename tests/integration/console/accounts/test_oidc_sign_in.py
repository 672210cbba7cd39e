"""Single sign-on against a real OpenID Connect provider: accounts, group sync, and what is never allowed."""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.test import Client

from console.accounts.models import OidcAccount
from console.models import AuditEvent
from console.roles import role_of
from tests.conftest import PASSWORD
from tests.integration.oidc_support import CONSOLE, IDP_PASSWORD, sign_in, sso  # noqa: F401


def groups_of(username: str) -> set[str]:
    return set(User.objects.get(username=username).groups.values_list("name", flat=True))


def test_it_creates_the_account_at_first_sign_in_with_the_groups_of_the_claim(db, sso):  # noqa: F811
    sub = sso.person("alice", IDP_PASSWORD, ["data-team", "readers"], email="alice@corp.example")
    client = Client()
    response = sign_in(client, "alice", next_url="/jobs/")
    assert response.status_code == 302 and response["Location"] == "/jobs/"
    alice = User.objects.get(username="alice")
    assert (alice.email, alice.has_usable_password()) == ("alice@corp.example", False)
    assert alice.oidc_account.subject == sub and alice.oidc_account.issuer == sso.issuer
    assert groups_of("alice") == {"data-team", "viewer"}  # "readers" through OIDC_GROUP_MAP
    assert client.get("/jobs/").status_code == 200 and role_of(alice) == "viewer"
    event = AuditEvent.objects.get(kind="auth.signed_in")
    assert (event.actor, event.detail["method"], event.detail["joined"]) == (alice, "oidc", ["data-team", "viewer"])


def test_it_leaves_the_groups_the_claim_drops_and_the_person_loses_access(db, sso):  # noqa: F811
    sso.person("alice", IDP_PASSWORD, ["data-team", "readers"])
    assert sign_in(Client(), "alice").status_code == 302
    sso.person("alice", IDP_PASSWORD, [])  # removed from every group at the provider
    client = Client()
    assert sign_in(client, "alice").status_code == 302
    assert groups_of("alice") == set()
    assert client.get("/jobs/").status_code == 403
    assert AuditEvent.objects.filter(kind="auth.signed_in").latest("id").detail["left"] == ["data-team", "viewer"]


def test_it_leaves_memberships_made_in_the_console_alone(db, sso):  # noqa: F811
    sso.person("alice", IDP_PASSWORD, ["data-team"])
    assert sign_in(Client(), "alice").status_code == 302
    User.objects.get(username="alice").groups.add(Group.objects.create(name="auditors"))
    sso.person("alice", IDP_PASSWORD, [])
    assert sign_in(Client(), "alice").status_code == 302
    assert groups_of("alice") == {"auditors"}


def test_it_never_joins_a_role_group_because_a_provider_group_has_its_name(db, sso):  # noqa: F811
    sso.person("mallory", IDP_PASSWORD, ["admin", "Editor", " viewer"])
    client = Client()
    assert sign_in(client, "mallory").status_code == 302
    assert groups_of("mallory") == set() and role_of(User.objects.get(username="mallory")) is None
    assert client.get("/jobs/").status_code == 403


def test_it_joins_a_role_group_only_through_the_map(db, sso, settings):  # noqa: F811
    settings.OIDC_GROUP_MAP = {"console-admins": ["admin"]}
    sso.person("carol", IDP_PASSWORD, ["console-admins"])
    client = Client()
    assert sign_in(client, "carol").status_code == 302
    assert role_of(User.objects.get(username="carol")) == "admin" and client.get("/users/").status_code == 200


def test_it_never_signs_a_provider_person_into_a_local_account_of_the_same_name_or_email(db, sso):  # noqa: F811
    local = User.objects.create_superuser("bob", "bob@corp.example", PASSWORD)
    sso.person("bob", IDP_PASSWORD, [], email="bob@corp.example")
    client = Client()
    assert sign_in(client, "bob").status_code == 302
    assert client.get("/users/").status_code == 403  # not the local superuser
    newcomer = OidcAccount.objects.get().user
    assert newcomer.username == "bob-2" and newcomer.pk != local.pk and not newcomer.is_superuser
    assert not OidcAccount.objects.filter(user=local).exists()
    assert sign_in(Client(), "bob").status_code == 302 and User.objects.filter(username__startswith="bob").count() == 2


def test_it_accepts_a_token_shared_with_another_audience_when_we_are_its_authorized_party(db, sso):  # noqa: F811
    sso.person("alice", IDP_PASSWORD, ["readers"])
    sso.fault("shared-audience-for-us")
    client = Client()
    assert sign_in(client, "alice").status_code == 302 and client.get("/jobs/").status_code == 200


def test_a_provider_name_in_full_width_neither_fails_nor_passes_for_a_local_account(db, sso):  # noqa: F811
    User.objects.create_superuser("admin", "", PASSWORD)
    sso.person("mallory", IDP_PASSWORD, [], claims={"preferred_username": "ａｄｍｉｎ"})
    client = Client()
    assert sign_in(client, "mallory").status_code == 302  # before: no free user name, sign-in refused
    assert OidcAccount.objects.get().user.username == "admin-2" and client.get("/users/").status_code == 403


def test_it_refuses_a_deactivated_account(db, sso):  # noqa: F811
    sso.person("dave", IDP_PASSWORD, ["data-team"])
    assert sign_in(Client(), "dave").status_code == 302
    User.objects.filter(username="dave").update(is_active=False)
    client = Client()
    response = sign_in(client, "dave")
    assert response.status_code == 403 and "this account is deactivated" in response.content.decode()
    assert client.get("/").status_code == 302  # to the sign-in page


def test_it_goes_only_to_a_next_page_of_its_own(db, sso):  # noqa: F811
    sso.person("alice", IDP_PASSWORD, ["readers"])
    for wanted in ("https://evil.example/steal", "//evil.example/", "/\\evil.example"):
        response = sign_in(Client(), "alice", next_url=wanted)
        assert response.status_code == 302 and response["Location"] == "/", wanted


def test_it_signs_out_at_the_provider_too(db, sso):  # noqa: F811
    sso.person("alice", IDP_PASSWORD, ["readers"])
    client = Client()
    sign_in(client, "alice")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"].startswith(f"{sso.issuer}/logout/?client_id=oss-console")
    assert "id_token_hint=" in response["Location"] and "post_logout_redirect_uri=" in response["Location"]
    assert client.get("/jobs/").status_code == 302
    event = AuditEvent.objects.get(kind="auth.signed_out")
    assert (event.actor_name, event.detail["method"]) == ("alice", "oidc")


def test_it_never_logs_or_shows_the_client_secret(db, sso, caplog):  # noqa: F811
    caplog.set_level("DEBUG")
    sso.person("alice", IDP_PASSWORD, ["readers"])
    client = Client()
    pages = [sign_in(client, "alice", next_url="/jobs/"), client.get("/jobs/"), client.get("/accounts/login/")]
    sso.fault("bad-signature")
    pages.append(sign_in(Client(), "alice"))
    shown = "".join(p.content.decode() for p in pages) + caplog.text
    assert sso.client_secret not in shown and sso.client_secret[:12] not in shown
    assert not any(sso.client_secret in str(e.detail) for e in AuditEvent.objects.all())


def test_a_deactivated_person_s_session_ends_at_once(db, sso):  # noqa: F811
    sso.person("dave", IDP_PASSWORD, ["readers"])
    client = Client()
    sign_in(client, "dave")
    assert client.get("/jobs/").status_code == 200
    User.objects.filter(username="dave").update(is_active=False)
    assert client.get("/jobs/").status_code == 302  # to the sign-in page
