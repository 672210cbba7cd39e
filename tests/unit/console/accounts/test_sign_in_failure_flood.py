"""Failed sign-ins cost a stranger nothing (a callback answer needs no session, no CSRF token): counted, not stored each."""

from __future__ import annotations

import pytest
from django.db.models import Sum
from django.test import Client

from console.accounts.signins import FAILURES_PER_ADDRESS
from console.models import AuditEvent

ATTACKER, COLLEAGUE = "203.0.113.7", "198.51.100.20"
FLOOD = FAILURES_PER_ADDRESS * 3


@pytest.fixture
def sso(settings):
    settings.OIDC_ISSUER = "https://idp.example/realms/corp"  # never reached: no answer here gets that far
    settings.OIDC_PROVIDER_NAME = "Corp SSO"


def failures(address: str | None = None):
    events = AuditEvent.objects.filter(kind="auth.sign_in_failed")
    return events.filter(address=address) if address else events


def counted(address: str) -> int:
    """Every failure from the address: the stored events and the repeats counted on them."""
    events = failures(address)
    return events.count() + (events.aggregate(n=Sum("repeats"))["n"] or 0)


def test_a_flood_of_made_up_answers_is_counted_not_stored_one_by_one(db, sso):
    stranger = Client(REMOTE_ADDR=ATTACKER)
    for n in range(FLOOD):  # made-up states, and provider error codes that differ each time
        stranger.get("/oidc/callback/", {"state": f"s{n}", "code": "x"} if n % 2 else {"error": f"e{n}"})
    assert failures(ATTACKER).count() <= FAILURES_PER_ADDRESS
    assert counted(ATTACKER) == FLOOD


def test_the_same_failure_again_is_one_event_with_a_count_the_audit_page_shows(db, sso, as_admin):
    stranger = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(3):
        stranger.get("/oidc/callback/", {"state": "made-up", "code": "x"})
    event = failures(ATTACKER).get()
    assert event.repeats == 2 and "already used" in event.detail["reason"]
    assert "and 2 more times from this address" in as_admin.get("/audit/").content.decode()


def test_a_flood_from_one_address_leaves_everyone_else_s_failures_whole(db, sso):
    stranger = Client(REMOTE_ADDR=ATTACKER)
    for n in range(FLOOD):
        stranger.get("/oidc/callback/", {"error": f"e{n}"})
    Client(REMOTE_ADDR=COLLEAGUE).get("/oidc/callback/", {"error": "access_denied"})
    colleague = failures(COLLEAGUE).get()
    assert colleague.repeats == 0 and "(access_denied)" in colleague.detail["reason"]


def test_password_failures_under_new_names_are_counted_too(db, users):
    stranger = Client(REMOTE_ADDR=ATTACKER)
    for n in range(FAILURES_PER_ADDRESS + 10):
        stranger.post("/accounts/login/", {"username": f"guess{n}", "password": "wrong"})
    assert failures(ATTACKER).count() == FAILURES_PER_ADDRESS
    assert counted(ATTACKER) == FAILURES_PER_ADDRESS + 10
