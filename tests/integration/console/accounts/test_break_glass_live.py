"""One break-glass link used by several browsers at the same moment, over real HTTP: it still works once."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import requests
from django.conf import settings
from django.core.management import call_command
from django.utils.crypto import get_random_string

from console.accounts import break_glass
from console.models import AuditEvent
from tests.databases import Rendezvous

BROWSERS = 4


def browser() -> requests.Session:
    """A browser with a CSRF cookie of its own, sending the token as a page's form would."""
    session = requests.Session()
    secret = get_random_string(32)
    session.cookies.set(settings.CSRF_COOKIE_NAME, secret)
    session.headers["X-CSRFToken"] = secret
    return session


def test_a_link_used_by_several_browsers_at_once_signs_in_only_one(live_server, db, settings, monkeypatch):
    settings.OIDC_ISSUER, settings.LOCAL_LOGIN = "https://idp.example/realms/corp", False
    out = io.StringIO()
    call_command("break_glass", "root", "--create", "--base-url", live_server.url, stdout=out, stderr=io.StringIO())
    link, _, code = out.getvalue().strip().partition("#")  # a browser sends no fragment: the page posts it
    reads = Rendezvous(BROWSERS)  # every request has read the link as unused before any signs in
    monkeypatch.setattr(break_glass, "user_for", reads.wrap(break_glass.user_for))
    browsers = [browser() for _ in range(BROWSERS)]

    def use(session: requests.Session) -> bool:
        session.post(link, data={"code": code}, headers={"Referer": link}, allow_redirects=False, timeout=90)
        return session.get(f"{live_server.url}/users/", allow_redirects=False, timeout=90).status_code == 200

    with ThreadPoolExecutor(max_workers=BROWSERS) as pool:
        signed_in = list(pool.map(use, browsers))

    assert signed_in.count(True) == 1, signed_in
    assert AuditEvent.objects.filter(kind="auth.signed_in", detail__method="break-glass").count() == 1
    refused = AuditEvent.objects.filter(kind="auth.sign_in_failed", detail__method="break-glass")
    assert sum(1 + event.repeats for event in refused) == BROWSERS - 1  # the same failure again is counted
