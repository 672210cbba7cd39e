"""CSRF is enforced on every state-changing request to the console (every URL, from the URL conf)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from storage.models import Connection
from tests.unit.admin_support import make_connection, moto_s3  # noqa: F401
from tests.unit.url_walk import PUBLIC_NAMES, all_routes

# The service API authenticates with tokens and Django's admin is covered by Django itself.
OUT_OF_SCOPE = ("api/ossgateway/v1/", "django-admin/", "s/")
ROUTES = [r for r in all_routes() if not r.route.startswith(OUT_OF_SCOPE) or r.name in PUBLIC_NAMES]
# The probes answer before the CSRF middleware (console.middleware.ProbeMiddleware) and take no POST at all.
# A local folder's signed URLs take GET, HEAD and PUT only: a POST is refused before anything is read.
REFUSED = {"healthz": 405, "readyz": 405, "local_object": 405}


@pytest.fixture
def strict_admin(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["admin"])
    return client


def test_it_refuses_a_post_without_the_token_on_every_url(strict_admin, moto_s3):  # noqa: F811
    make_connection("primary", is_default=True)
    make_connection("second")
    accepted = [f"{route} answered {status}" for route in ROUTES
                if (status := strict_admin.post(route.url(), {"enabled": "false", "role": "admin"}).status_code)
                != REFUSED.get(route.name, 403)]
    assert accepted == [], "these URLs accepted a POST without a CSRF token"
    assert Connection.objects.filter(enabled=True).count() == 2
    assert len(ROUTES) > 20  # the walk found the console's URLs


def test_it_accepts_the_token_htmx_sends_in_a_header(strict_admin, moto_s3):  # noqa: F811
    make_connection("primary", is_default=True)
    make_connection("second")
    page = strict_admin.get("/connections/").content.decode()
    token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page).group(1)
    response = strict_admin.post("/connections/second/default/", HTTP_X_CSRFTOKEN=token, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert Connection.objects.get(is_default=True).name == "second"


def test_it_accepts_the_token_a_plain_form_sends(strict_admin, moto_s3):  # noqa: F811
    make_connection("primary", is_default=True)
    make_connection("second")
    page = strict_admin.get("/connections/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = strict_admin.post("/connections/second/enabled/", {"enabled": "false", "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and not Connection.objects.get(name="second").enabled
