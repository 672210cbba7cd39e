"""LOCAL_LOGIN=false: single sign-on only; the break-glass link made on the server still lets a superuser in."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from console.models import AuditEvent
from tests.conftest import PASSWORD


@pytest.fixture
def sso_only(settings, users):
    settings.OIDC_ISSUER = "https://idp.example/realms/corp"
    settings.OIDC_PROVIDER_NAME = "Corp SSO"
    settings.LOCAL_LOGIN = False
    return users


def break_glass_link(*args: str) -> str:
    out = io.StringIO()
    call_command("break_glass", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def test_the_sign_in_page_offers_only_single_sign_on(sso_only):
    page = Client().get("/accounts/login/?next=/jobs/").content.decode()
    assert 'href="/oidc/authenticate/?next=/jobs/">Sign in with Corp SSO</a>' in page
    assert 'name="password"' not in page


def test_it_refuses_a_password_even_a_right_one(sso_only):
    client = Client()
    response = client.post("/accounts/login/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 403 and "Password sign-in is turned off here." in response.content.decode()
    assert client.get("/jobs/").status_code == 302
    failure = AuditEvent.objects.get(kind="auth.sign_in_failed")
    assert (failure.target, failure.detail["reason"]) == ("admin", "password sign-in is turned off")


def test_django_admin_sends_people_to_the_one_sign_in_page(sso_only):
    response = Client().get("/django-admin/login/?next=/django-admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/django-admin/"


def split_link(link: str, base: str = "") -> tuple[str, str]:
    """The address a browser asks for, and the code after "#" that it never sends."""
    path, _, code = link.removeprefix(base).partition("#")
    return path, code


def test_a_break_glass_link_signs_a_superuser_in_once(sso_only):
    link = break_glass_link("root", "--create", "--base-url", "https://console.example/")
    path, code = split_link(link, "https://console.example")
    assert path == "/accounts/break-glass/" and code
    client = Client()
    assert "Break-glass code" in client.get(path).content.decode()  # a GET (a link preview) spends nothing
    assert client.post(path, {"code": code})["Location"] == "/"
    assert client.get("/users/").status_code == 200
    signed_in = AuditEvent.objects.get(kind="auth.signed_in")
    assert (signed_in.actor_name, signed_in.detail["method"]) == ("root", "break-glass")
    assert AuditEvent.objects.filter(kind="auth.break_glass_issued", target="root").exists()
    again = Client().post(path, {"code": code})
    assert again.status_code == 400 and "does not work any more" in again.content.decode()


def test_the_break_glass_code_is_never_in_an_address_a_server_sees(sso_only):
    """Access logs (gunicorn, nginx, runserver) hold request lines: the code is only after "#", which browsers
    never send, and an address holding it is not an address of the console."""
    path, code = split_link(break_glass_link("root", "--create"))
    assert code not in path and "?" not in path
    for address in (f"/accounts/break-glass/{code}/", f"/accounts/break-glass/?code={code}"):
        assert Client().post(address).status_code in (400, 404), address
    assert not User.objects.get(username="root").last_login
    page = Client().get(path).content.decode()
    assert 'name="code" type="password"' in page and "js/break_glass.js" in page  # moved into the form by script


def test_a_break_glass_link_expires(sso_only, settings, monkeypatch):
    path, code = split_link(break_glass_link("root", "--create"))
    later = __import__("time").time() + settings.BREAK_GLASS_MINUTES * 60 + 5
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert Client().post(path, {"code": code}).status_code == 400
    assert not User.objects.get(username="root").last_login


def test_break_glass_is_only_for_superusers(sso_only):
    with pytest.raises(CommandError, match="not an active superuser"):
        break_glass_link("editor")
    with pytest.raises(CommandError, match="no user 'nobody'"):
        break_glass_link("nobody")


def test_a_forged_break_glass_link_does_nothing(sso_only):
    User.objects.create_superuser("root", "", None)
    assert Client().post("/accounts/break-glass/", {"code": "eyJ1c2VyIjoxfQ:forged:sig"}).status_code == 400


def test_no_code_path_signs_in_with_a_password(sso_only, rf):
    from django.contrib.auth import authenticate

    request = rf.post("/elsewhere/")
    assert authenticate(request, username="admin", password=PASSWORD) is None
