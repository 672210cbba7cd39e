"""Who may call the OSS Gateway Manager API: service tokens, their scope, the CIDR opt-in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from storage.models import ServiceToken
from storage.service_tokens import hash_token, issue_token, revoke
from tests.unit import api_fixtures
from tests.unit.api_fixtures import API

api = api_fixtures.api
connection = api_fixtures.connection
other_connection = api_fixtures.other_connection
token = api_fixtures.token

pytestmark = pytest.mark.django_db
SIGN = "/download/primary/a.txt"


def test_without_a_token_the_answer_is_401_with_a_bearer_challenge(client, connection):
    response = client.get(API + SIGN)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == 401031001


@pytest.mark.parametrize("header", ["Bearer osc_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz", "osc_x"])
def test_a_bad_token_is_a_401(client, connection, header):
    response = client.get(API + SIGN, headers={"Authorization": header})
    assert response.status_code == 401


def test_a_good_token_works_and_is_noted_as_used(api, connection, token):
    assert api("GET", SIGN).status_code == 200
    assert ServiceToken.objects.get(token_hash=hash_token(token)).last_used_at is not None


def test_an_expired_token_is_a_403(api, connection):
    issued = issue_token("short-lived", expires_days=1)
    ServiceToken.objects.filter(pk=issued.record.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = api("GET", SIGN, token_value=issued.raw)
    assert response.status_code == 403
    assert "expired" in response.json()["message"]


def test_a_revoked_token_is_a_403(api, connection):
    issued = issue_token("leaked")
    assert api("GET", SIGN, token_value=issued.raw).status_code == 200
    revoke(issued.record)
    response = api("GET", SIGN, token_value=issued.raw)
    assert response.status_code == 403
    assert "revoked" in response.json()["message"]


def test_a_token_scoped_to_another_connection_is_a_403(api, other_connection):
    issued = issue_token("archive only", connections=[other_connection])
    assert api("GET", "/download/archive/a.txt", token_value=issued.raw).status_code == 200
    response = api("GET", SIGN, token_value=issued.raw)
    assert response.status_code == 403
    assert "primary" in response.json()["message"]


def test_a_scoped_token_sees_only_its_storages_and_no_default_outside_them(api, other_connection):
    issued = issue_token("archive only", connections=[other_connection])
    listed = api("GET", "/objectstorageinfo?app=as", token_value=issued.raw).json()
    assert [s["id"] for s in listed] == ["archive"]
    default = api("GET", "/default-storage", token_value=issued.raw)
    assert default.status_code == 404 and default.json()["code"] == 404031002


def test_only_the_hash_is_stored(token):
    record = ServiceToken.objects.get()
    assert record.token_hash == hash_token(token) and token not in (record.token_hash, record.hint)
    assert len(token) >= 40 and token.startswith(record.hint)


@override_settings(OSSGATEWAY_API_TRUSTED_CIDRS=["10.0.0.0/8", "127.0.0.1/32"])
def test_trusted_networks_need_no_token_when_opted_in(client, connection):
    assert client.get(API + SIGN, REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get(API + SIGN, REMOTE_ADDR="192.168.1.5").status_code == 401


@override_settings(OSSGATEWAY_API_TRUSTED_CIDRS=["10.0.0.0/8"])
def test_a_bad_token_from_a_trusted_network_is_still_refused(client, connection):
    response = client.get(API + SIGN, REMOTE_ADDR="10.1.2.3", headers={"Authorization": "Bearer osc_wrong"})
    assert response.status_code == 401


def test_trusted_networks_are_off_by_default(client, connection):
    from django.conf import settings

    assert settings.OSSGATEWAY_API_TRUSTED_CIDRS == []
    assert client.get(API + SIGN, REMOTE_ADDR="127.0.0.1").status_code == 401


def test_the_openapi_description_is_public(client):
    response = client.get(API + "/openapi.json")
    assert response.status_code == 200 and response.json()["openapi"].startswith("3.")
