"""Behind a trusted reverse proxy, throttles and the audit log see each client, not the proxy."""

from __future__ import annotations

import ipaddress

import pytest
from django.test import Client

from console.client_address import forwarded_client
from console.shares import service

PROXY = [ipaddress.ip_network("10.0.0.0/24")]


@pytest.mark.parametrize("remote,forwarded,client", [
    ("10.0.0.5", "203.0.113.7", "203.0.113.7"),  # nginx appended what it saw
    ("10.0.0.5", "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # the client's own entry is not believed
    ("10.0.0.5", "203.0.113.7, 10.0.0.9", "203.0.113.7"),  # two proxies of ours
    ("198.51.100.1", "203.0.113.7", "198.51.100.1"),  # not from a trusted proxy: ignored
    ("10.0.0.5", "", "10.0.0.5"),
    ("10.0.0.5", "not-an-address", "10.0.0.5"),
    ("10.0.0.5", "203.0.113.7, garbage, 10.0.0.9", "10.0.0.9"),
])
def test_it_believes_only_what_trusted_proxies_wrote(remote, forwarded, client):
    assert forwarded_client(remote, forwarded, PROXY) == client


def test_without_trusted_proxies_the_header_is_ignored():
    assert forwarded_client("10.0.0.5", "203.0.113.7", []) == "10.0.0.5"


@pytest.fixture
def password_link(users, db):
    _share, token = service.create_share(user=users["editor"], kind="file", connection="primary", key="a.txt",
                                         password="right")
    return f"/s/{token}/"


def guess(remote: str, forwarded: str, link: str) -> int:
    return Client(REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded).post(link, {"password": "wrong"}).status_code


def test_one_clients_wrong_passwords_do_not_lock_out_another_behind_the_proxy(settings, password_link):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    for _ in range(service.PASSWORD_ATTEMPTS):
        assert guess("10.0.0.5", "203.0.113.7", password_link) == 404
    assert guess("10.0.0.5", "203.0.113.7", password_link) == 429
    assert guess("10.0.0.5", "198.51.100.20", password_link) == 404  # someone else, through the same proxy


def test_a_client_cannot_pretend_to_be_many_without_a_trusted_proxy(password_link):
    for number in range(service.PASSWORD_ATTEMPTS):
        assert guess("198.51.100.1", f"203.0.113.{number}", password_link) == 404
    assert guess("198.51.100.1", "203.0.113.99", password_link) == 429


def test_sign_in_lockout_is_per_client_behind_the_proxy(settings, users):
    from tests.conftest import PASSWORD

    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]

    def sign_in(forwarded: str, password: str) -> int:
        client = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded)
        return client.post("/accounts/login/", {"username": "editor", "password": password}).status_code

    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("203.0.113.7", "wrong")
    assert sign_in("203.0.113.7", PASSWORD) != 302  # the guesser is locked out
    assert sign_in("198.51.100.20", PASSWORD) == 302  # the editor, elsewhere, signs in
