"""Defects found in review: each test reproduces one, and fails without its fix."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User

from tests.unit.admin_support import make_connection, moto_s3  # noqa: F401

pytestmark = pytest.mark.django_db


def test_an_admin_cannot_take_over_a_superuser(as_admin):
    root = User.objects.create_superuser("root", "root@example.com", "x")
    link = as_admin.post(f"/users/{root.pk}/set-password-link/")
    assert b"Only a superuser can" in link.content or b"Only a superuser can" in as_admin.get("/users/").content
    assert b"/accounts/set-password/" not in link.content
    as_admin.post(f"/users/{root.pk}/active/", {"active": "false"})
    root.refresh_from_db()
    assert root.is_active


@pytest.mark.parametrize(("endpoint", "body"), [("params", {"size": 1e400}),
                                              ("multipart", {"signParts": 1e400, "size": 1})])
def test_huge_json_numbers_are_refused_not_a_server_error(as_editor, moto_s3, endpoint, body):  # noqa: F811
    make_connection("primary", is_default=True)
    raw = json.dumps({"filename": "a.txt", **body}).replace("Infinity", "1e400")
    response = as_editor.post(f"/files/primary/s3/{endpoint}", raw, content_type="application/json")
    assert response.status_code == 400


def test_aborting_uploads_older_than_absurd_ages_is_refused(as_editor, moto_s3):  # noqa: F811
    make_connection("primary", is_default=True)
    response = as_editor.post("/files/primary/incomplete/abort-old/", {"days": "1000000000"}, follow=True)
    assert response.status_code == 200 and b"The age is a whole number of days, from 1 to 3,650" in response.content
