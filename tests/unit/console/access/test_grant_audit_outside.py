"""Grants changed outside the console's grant pages are audited too: Django admin's cascades, the shell.

Deleting a person, a group or a connection in Django admin deletes their grants with them; each grant
so removed gets its audit row, by the admin who asked. What the grant pages do is audited once.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.test import Client

from console.access.models import Grant
from console.models import AuditEvent


def removals() -> list[tuple]:
    return [(e.actor_name, e.connection, e.target, e.detail.get("user") or e.detail.get("group"), e.detail.get("via"))
            for e in AuditEvent.objects.filter(kind="grant.removed").order_by("pk")]


def django_admin(db) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.com", None))
    return client


def test_deleting_a_person_or_a_group_in_django_admin_audits_each_grant_it_takes(db, grant, connections):
    pat, finance = User.objects.create_user("pat"), Group.objects.create(name="finance")
    grant(pat, "editor", "A", "team/")
    grant(finance, "viewer", "B")
    client = django_admin(db)
    assert client.post(f"/django-admin/auth/user/{pat.pk}/delete/", {"post": "yes"}).status_code == 302
    assert client.post("/django-admin/auth/group/", {"action": "delete_selected", "_selected_action": [finance.pk],
                                                     "post": "yes"}).status_code == 302
    assert not Grant.objects.exists()
    assert removals() == [("root", "A", "team/", "pat", f"/django-admin/auth/user/{pat.pk}/delete/"),
                          ("root", "B", "", "finance", "/django-admin/auth/group/")]


def test_deleting_a_connection_in_django_admin_audits_its_grants(db, grant, connections):
    grant(User.objects.create_user("pat"), "manager", "A")
    response = django_admin(db).post(f"/django-admin/storage/connection/{connections['A'].pk}/delete/",
                                     {"post": "yes"})
    assert response.status_code == 302
    assert removals() == [("root", "A", "", "pat", f"/django-admin/storage/connection/{connections['A'].pk}/delete/")]


def test_a_grant_changed_from_the_shell_is_audited_as_outside_the_console(db, grant, connections):
    given = grant(User.objects.create_user("pat"), "viewer", "A", "docs/")
    given.role = "editor"
    given.save()
    given.delete()
    events = [(e.kind, e.actor, e.actor_name, e.detail["role"], e.detail["via"])
              for e in AuditEvent.objects.filter(kind__startswith="grant.").order_by("pk")]
    shell = "no request (a command or the shell)"
    assert events == [("grant.added", None, "(outside the console)", "viewer", shell),
                      ("grant.changed", None, "(outside the console)", "editor", shell),
                      ("grant.removed", None, "(outside the console)", "editor", shell)]


def test_the_grant_pages_changes_are_audited_once(db, grant, connections):
    pat = User.objects.create_user("pat")
    client = django_admin(db)
    page = client.post("/connections/A/access/", {"holder": f"user:{pat.pk}", "connection": "A", "role": "viewer",
                                                  "folder": "docs/"})
    assert page.status_code == 302
    given = Grant.objects.get()
    client.post(f"/grants/{given.pk}/role/", {"role": "editor"})
    client.post(f"/grants/{given.pk}/remove/")
    kinds = list(AuditEvent.objects.filter(kind__startswith="grant.").order_by("pk").values_list("kind", "actor_name"))
    assert kinds == [("grant.added", "root"), ("grant.changed", "root"), ("grant.removed", "root")]
