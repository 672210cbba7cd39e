"""What a group names, checked on every use: members that exist, are enabled, and are not groups."""

from __future__ import annotations

from django.utils.translation import gettext as _

from storage.connections import ConnectionSpec, Registry
from storage.gateway import ConnectionNotFound, NotSupported, StorageUnreachable

GROUP = "group"


class GroupMisconfigured(NotSupported):
    """The group names something it cannot be made of; the words say what to change."""

    code = "group_misconfigured"


def member_problem(group: str, members: tuple[str, ...], lookup) -> str | None:
    """Why `members` cannot make up the group `group`, in plain words; None when they can.

    `lookup(name)` gives the member's spec or raises ConnectionNotFound (missing or disabled).
    """
    if not members:
        return _("The group '%(group)s' has no members.") % {"group": group}
    if len(set(members)) != len(members):
        return _("The group '%(group)s' names a member twice.") % {"group": group}
    for name in members:
        if name == group:
            return _("The group '%(group)s' names itself as a member.") % {"group": group}
        try:
            spec = lookup(name)
        except ConnectionNotFound:
            return _("The group '%(group)s' names '%(member)s', which does not exist or is disabled.") % {
                "group": group, "member": name}
        if spec.kind == GROUP:
            return _("The group '%(group)s' names the group '%(member)s'; a group's members cannot be groups.") % {
                "group": group, "member": name}
    return None


def group_members(registry: Registry, group: str) -> tuple[ConnectionSpec, tuple[str, ...]]:
    """The group's spec and its members' names, or `GroupMisconfigured` saying what is wrong."""
    spec = registry.get(group)
    problem = member_problem(group, spec.members, registry.get)
    if problem:
        raise GroupMisconfigured(problem)
    return spec, spec.members


def unreachable(member: str, group: str, cause: Exception) -> StorageUnreachable:
    """"'b' in group 'g' is unreachable: <cause>"."""
    return StorageUnreachable(_("'%(member)s' in group '%(group)s' is unreachable: %(cause)s") % {
        "member": member, "group": group, "cause": cause})
