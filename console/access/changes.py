"""Every change to grants, groups and members, each with its audit row (console/adminpages/audit_text.py reads them).

A grant's row: connection, the folder as target ("" for the whole bucket), whom (`user` or `group`), the role,
and the role before for a change; so the audit log's connection and folder filters find grant changes too.
A grant changed any other way (Django admin deleting a person, a group or a connection, and their grants with
them; the shell) is audited all the same, by console/access/signals.py, which leaves alone what is done here.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

from django.contrib.auth.models import Group, User
from django.db import transaction

from console import audit
from console.access.models import Grant


def _whom(grant: Grant) -> dict:
    return {"group": grant.group.name} if grant.group_id else {"user": grant.user.get_username()}


_AUDITED_HERE: ContextVar[bool] = ContextVar("grant_changes_audited_here", default=False)


def audited_here() -> bool:
    """Whether the grant being saved or deleted right now is a change of this module's, audited here."""
    return _AUDITED_HERE.get()


@contextlib.contextmanager
def _auditing():
    token = _AUDITED_HERE.set(True)
    try:
        yield
    finally:
        _AUDITED_HERE.reset(token)


def record(request, kind: str, grant: Grant, **detail) -> None:
    audit.record(request, kind, connection=grant.connection.name, target=grant.prefix, role=grant.role,
                 **_whom(grant), **detail)


def add_grant(request, grant: Grant) -> Grant:
    """Store a new grant (made, not saved, by the grant form)."""
    with _auditing():
        grant.save()
    record(request, "grant.added", grant)
    return grant


def _change(row, field: str, value: str, audit_change) -> bool:
    """Set `row.field` to `value` and audit it with the value before; False when it already was that."""
    previous = getattr(row, field)
    if previous == value:
        return False
    setattr(row, field, value)
    with _auditing():
        row.save(update_fields=[field])
    audit_change(previous)
    return True


def change_role(request, grant: Grant, role: str) -> bool:
    """Set the grant's role; False when it already was that."""
    return _change(grant, "role", role, lambda previous: record(request, "grant.changed", grant, previous=previous))


def remove_grant(request, grant: Grant, *, reason: str = "") -> None:
    with _auditing():
        grant.delete()
    record(request, "grant.removed", grant, **({"reason": reason} if reason else {}))


def remove_connection_grants(request, connection) -> int:
    """Remove a connection's grants before the connection goes (each audited); how many there were."""
    grants = list(connection.grants.select_related("connection", "user", "group"))
    for grant in grants:
        remove_grant(request, grant, reason=f"the connection {connection.name} was deleted")  # i18n: not shown (stored; audit_text words it)
    return len(grants)


def create_group(request, name: str) -> Group:
    group = Group.objects.create(name=name)
    audit.record(request, "group.created", target=name)
    return group


def rename_group(request, group: Group, name: str) -> bool:
    return _change(group, "name", name,
                   lambda previous: audit.record(request, "group.renamed", target=name, previous=previous))


def delete_group(request, group: Group) -> int:
    """Delete a group and its grants (each grant's removal audited too); the number of grants it held."""
    with transaction.atomic():
        grants = list(group.grants.select_related("connection", "group"))
        for grant in grants:
            remove_grant(request, grant, reason=f"the group {group.name} was deleted")  # i18n: not shown (stored; audit_text words it)
        members = group.user_set.count()
        group.delete()
        audit.record(request, "group.deleted", target=group.name, grants=len(grants), members=members)
    return len(grants)


def add_member(request, group: Group, user: User) -> None:
    group.user_set.add(user)
    audit.record(request, "group.member_added", target=group.name, user=user.get_username())


def remove_member(request, group: Group, user: User) -> None:
    group.user_set.remove(user)
    audit.record(request, "group.member_removed", target=group.name, user=user.get_username())
