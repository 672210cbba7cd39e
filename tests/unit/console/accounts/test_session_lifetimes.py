"""Sessions nobody signs in with do not pile up: a single sign-on start lives minutes, and workers clear the expired.

Anyone may open /oidc/authenticate/ (a bot, a link preview): each start keeps its state in a new session row.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from console.jobs.worker import Sweeper
from tests.conftest import PASSWORD


@pytest.fixture
def sso(settings, users):
    settings.OIDC_ISSUER, settings.OIDC_RP_CLIENT_ID = "https://idp.example/realms/corp", "oss-console"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://idp.example/auth"
    return settings


def lifetime(client: Client) -> dt.timedelta:
    """How long the client's session row has left."""
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return Session.objects.get(session_key=key).expire_date - timezone.now()


def test_a_single_sign_on_start_keeps_its_session_for_minutes_only(sso):
    visitor = Client()
    assert visitor.get("/oidc/authenticate/")["Location"].startswith("https://idp.example/auth?")
    assert dt.timedelta(minutes=14) < lifetime(visitor) <= dt.timedelta(seconds=sso.OIDC_STATE_SECONDS)


def test_signing_in_after_a_start_gives_the_session_its_full_life(sso):
    person = Client()
    person.get("/oidc/authenticate/")
    person.post("/accounts/login/", {"username": "editor", "password": PASSWORD})
    assert lifetime(person) > dt.timedelta(seconds=sso.SESSION_COOKIE_AGE - 60)


def test_a_signed_in_person_starting_single_sign_on_keeps_their_session_s_life(sso):
    person = Client()
    person.post("/accounts/login/", {"username": "editor", "password": PASSWORD})
    person.get("/oidc/authenticate/")
    assert lifetime(person) > dt.timedelta(seconds=sso.SESSION_COOKIE_AGE - 60)


def _session(expires_in: dt.timedelta) -> str:
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() + expires_in)
    return store.session_key


def test_the_workers_sweep_deletes_expired_sessions_every_so_often(db):
    expired, live = _session(-dt.timedelta(minutes=1)), _session(dt.timedelta(hours=1))
    sweeper = Sweeper()
    sweeper.tick()
    assert set(Session.objects.values_list("session_key", flat=True)) == {live}
    later = _session(-dt.timedelta(minutes=1))
    sweeper.tick()  # the next round, seconds later: not due yet
    assert Session.objects.filter(session_key=later).exists()
    sweeper.sessions_due = 0  # SESSION_CLEANUP_SECONDS later
    sweeper.tick()
    assert not Session.objects.filter(session_key=later).exists() and expired != later
