"""The users page: create with a one-time set-password link, set role, deactivate."""

from __future__ import annotations

import re

from django.contrib.auth.models import User
from django.test import Client

from console.models import AuditEvent
from console.roles import role_of
from tests.conftest import PASSWORD
from tests.unit.admin_support import htmx, is_partial


def can_sign_in(username: str, password: str) -> bool:
    response = Client().post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302


def link_in(html: str) -> str:
    return re.search(r'id="set-password-link"[^>]*value="([^"]+)"', html).group(1)


def test_it_lists_people_with_their_roles(as_admin, users):
    page = as_admin.get("/users/").content.decode()
    for name in ("admin", "editor", "viewer", "outsider"):
        assert f">{name}" in page
    assert re.search(r'<option value="editor" selected>', page)


def test_it_creates_a_person_who_sets_their_own_password_once(as_admin, users):
    response = as_admin.post("/users/new/", {"username": "newcomer", "email": "n@example.com", "role": "editor"})
    link = link_in(response.content.decode())
    newcomer = User.objects.get(username="newcomer")
    assert not newcomer.has_usable_password() and role_of(newcomer) == "editor"
    assert AuditEvent.objects.get(kind="user.created").target == "newcomer"

    stranger = Client()
    form_page = stranger.get(link, follow=True)
    assert b"Choose your password" in form_page.content
    new_password = "a long and unusual passphrase 42"
    done = stranger.post(form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
                         {"new_password1": new_password, "new_password2": new_password}, follow=True)
    assert b"Your password is set" in done.content
    assert can_sign_in("newcomer", new_password)
    again = Client().get(link, follow=True)
    assert b"does not work any more" in again.content


def test_it_refuses_a_taken_user_name(as_admin, users):
    page = as_admin.post("/users/new/", {"username": "Editor", "role": "viewer"}).content.decode()
    assert "Someone already has this user name." in page


def test_it_refuses_a_taken_user_name_in_full_width(as_admin, users):
    page = as_admin.post("/users/new/", {"username": "ｅｄｉｔｏｒ", "role": "viewer"}).content.decode()
    assert "Someone already has this user name." in page and User.objects.filter(username="editor").count() == 1


def test_it_sets_a_role(as_admin, users):
    response = as_admin.post(f"/users/{users['viewer'].pk}/role/", {"role": "admin"}, **htmx())
    assert is_partial(response) and b"role is now: admin" in response.content
    assert role_of(User.objects.get(username="viewer")) == "admin"
    as_admin.post(f"/users/{users['viewer'].pk}/role/", {"role": ""})
    assert role_of(User.objects.get(username="viewer")) is None
    assert [e.detail["role"] for e in AuditEvent.objects.filter(kind="user.role").order_by("id")] == ["admin", "none"]


def test_it_deactivates_and_reactivates(as_admin, users):
    editor = users["editor"]
    signed_in = Client()
    signed_in.force_login(editor)
    response = as_admin.post(f"/users/{editor.pk}/active/", {"active": "false"})
    assert response.status_code == 302
    assert not User.objects.get(pk=editor.pk).is_active
    assert signed_in.get("/connections/").status_code == 302  # their session no longer counts
    assert not can_sign_in("editor", PASSWORD)
    as_admin.post(f"/users/{editor.pk}/active/", {"active": "true"})
    assert can_sign_in("editor", PASSWORD)
    assert [e.kind for e in AuditEvent.objects.order_by("id")] == [
        "user.deactivated", "auth.sign_in_failed", "user.activated", "auth.signed_in"]  # the two tries are audited


def test_it_keeps_admins_from_locking_themselves_out(as_admin, users):
    admin = users["admin"]
    refused = as_admin.post(f"/users/{admin.pk}/active/", {"active": "false"}, **htmx())
    assert b"You cannot deactivate yourself" in refused.content
    as_admin.post(f"/users/{admin.pk}/role/", {"role": "viewer"})
    admin.refresh_from_db()
    assert admin.is_active and role_of(User.objects.get(pk=admin.pk)) == "admin"


def test_it_issues_a_new_link(as_admin, users):
    response = as_admin.post(f"/users/{users['viewer'].pk}/set-password-link/", **htmx())
    assert is_partial(response) and "/accounts/set-password/" in link_in(response.content.decode())
    event = AuditEvent.objects.get(kind="user.link_issued")
    assert "set-password" not in str(event.detail)  # the link itself is a credential: not stored
