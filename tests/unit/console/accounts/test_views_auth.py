"""Signing in and out, the lockout after failed attempts, secure sessions in production."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.test import Client

from console.models import AuditEvent
from tests.conftest import PASSWORD


def sign_in(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password, "next": "/connections/"})


def test_it_signs_in_and_goes_where_asked(users):
    client = Client()
    assert client.get("/connections/")["Location"] == "/accounts/login/?next=/connections/"
    response = sign_in(client, "admin", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/connections/"
    assert client.get("/connections/").status_code == 200


def test_it_says_when_the_password_is_wrong(users):
    page = sign_in(Client(), "admin", "wrong").content.decode()
    assert "That user name and password do not match." in page and 'aria-invalid="true"' in page


def test_it_pauses_sign_in_after_too_many_failures_and_says_so(users):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "admin", "wrong").status_code == 200
    locked = sign_in(client, "admin", "wrong")
    page = locked.content.decode()
    assert locked.status_code == 429
    assert "Sign-in paused" in page and "Too many failed sign-in attempts for <strong>admin</strong>" in page
    assert "Try again in 15 minutes" in page
    still = sign_in(client, "admin", PASSWORD)  # even the right password waits
    assert still.status_code == 429
    assert sign_in(Client(), "editor", PASSWORD).status_code == 302  # other people are not affected


def test_it_signs_out_with_a_post(as_admin):
    page = as_admin.get("/").content.decode()
    assert 'action="/accounts/logout/"' in page
    as_admin.post("/accounts/logout/")
    assert as_admin.get("/connections/").status_code == 302


def test_signing_out_clears_what_the_browser_kept_for_this_person(as_admin):
    # the upload tray's resume store (Golden Retriever: names, folders and up to 300 MB of small files in
    # localStorage and IndexedDB), the zip's service worker and cached pages would otherwise greet whoever
    # signs in next on the same browser
    response = as_admin.post("/accounts/logout/")
    cleared = {part.strip() for part in response["Clear-Site-Data"].split(",")}
    assert cleared == {'"cache"', '"storage"'}


def test_signing_out_of_django_admin_is_the_console_s_audited_sign_out(db):
    from django.contrib.auth.models import User

    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.create_superuser("root", "", PASSWORD))
    page = client.get("/django-admin/").content.decode()
    assert 'action="/django-admin/logout/"' in page  # the admin's own sign-out button
    refused = client.post("/django-admin/logout/")
    assert refused.status_code == 403 and client.get("/django-admin/").status_code == 200  # no CSRF token: nothing
    response = client.post("/django-admin/logout/", {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.get("/django-admin/").status_code == 302
    assert AuditEvent.objects.get(kind="auth.signed_out").actor_name == "root"


def test_it_rejects_a_forged_set_password_link(db):
    page = Client().get("/accounts/set-password/MQ/abc-def/", follow=True).content.decode()
    assert "does not work any more" in page


def test_it_makes_session_and_csrf_cookies_secure_in_production(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SECURE_COOKIES", "DEBUG", "ALLOW_PRIVATE_ENDPOINTS")}
    env.update(DEBUG="false", DJANGO_SECRET_KEY="x" * 50, DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="",
               CONNECTION_SECRET_KEYS="Zm9yLXRlc3RzLW9ubHktMzItYnl0ZXMta2V5LTAxMjM=")
    code = ("import console.settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
            "s.SESSION_COOKIE_HTTPONLY, s.ALLOW_PRIVATE_ENDPOINTS)")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                         cwd=settings.BASE_DIR).stdout.split()
    assert out == ["True", "True", "True", "False"]


def test_it_records_sign_ins_failures_and_sign_outs_with_the_method(users):
    client = Client()
    sign_in(client, "editor", "wrong")
    sign_in(client, "editor", PASSWORD)
    client.post("/accounts/logout/")
    events = [(e.kind, e.actor_name, e.target, e.detail) for e in AuditEvent.objects.order_by("id")]
    assert events == [
        ("auth.sign_in_failed", "", "editor", {"method": "password", "reason": "wrong user name or password"}),
        ("auth.signed_in", "editor", "editor", {"method": "password"}),
        ("auth.signed_out", "editor", "editor", {"method": "password"}),
    ]
    assert AuditEvent.objects.get(kind="auth.signed_in").address == "127.0.0.1"


def test_it_records_a_sign_in_refused_while_paused(users):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "admin", "wrong")
    assert sign_in(client, "admin", PASSWORD).status_code == 429
    last = AuditEvent.objects.filter(kind="auth.sign_in_failed").latest("id")
    assert last.detail["reason"] == "sign-in is paused after too many failures"
    assert not AuditEvent.objects.filter(kind="auth.signed_in").exists()
