"""Sessions (fixation, sign-out) and the production security settings."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_signing_in_replaces_the_session_id(users):
    client = Client()
    client.get("/accounts/login/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "attacker-chosen-session-id"
    client.post("/accounts/login/", {"username": "viewer", "password": PASSWORD})
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != "attacker-chosen-session-id"
    assert client.get("/").status_code == 200


def test_signing_out_ends_the_session_on_the_server(users):
    client = Client()
    client.post("/accounts/login/", {"username": "viewer", "password": PASSWORD})
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.post("/accounts/logout/").status_code == 302
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = stolen
    response = thief.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_signing_out_needs_a_post(as_viewer):
    assert as_viewer.get("/accounts/logout/").status_code == 405


def test_secure_responses_carry_the_security_headers(client):
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def production_env(tmp_path) -> dict[str, str]:
    from cryptography.fernet import Fernet

    return {"PATH": os.environ["PATH"], "DEBUG": "false", "DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "console.settings", "ALLOWED_HOSTS": "console.example.com",
            "DJANGO_SECRET_KEY": "p" * 20 + "-production-like-secret-key-0123456789-abcdefghijklmnop",
            "CONNECTION_SECRET_KEYS": Fernet.generate_key().decode()}


def test_the_deploy_checks_pass_with_production_settings(tmp_path):
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            env=production_env(tmp_path), capture_output=True, text=True, cwd=settings.BASE_DIR)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_cookies_are_secure_and_private_networks_refused(tmp_path):
    script = ("import django; django.setup(); from django.conf import settings as s; "
              "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
              "s.SECURE_SSL_REDIRECT, s.ALLOW_PRIVATE_ENDPOINTS)")
    result = subprocess.run([sys.executable, "-c", script], env=production_env(tmp_path), capture_output=True,
                            text=True, cwd=settings.BASE_DIR)
    assert result.stdout.split() == ["True", "True", "True", "True", "False"], result.stderr
