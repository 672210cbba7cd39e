"""The one place that decides who may do what on which connection, at which key.

    role_on(user, "primary", "team/a.txt")  -> "viewer" | "editor" | "manager" | "admin" | None
    require(user, EDITOR, "primary", "team/a.txt")  # Http404 if they see nothing there, 403 if too weak

A person's roles come from the role groups (console/roles.py: admin everywhere; editor or viewer on
every connection, at every key) and from grants (console/access/models.py) to them or their groups.
Grants add up: at a key, the strongest role whose grant covers it wins. A grant's prefix covers a key
that starts with it, so "team/" covers "team/" and "team/a/b" but never "team2/x" nor "team". Keys
reach these checks already percent-decoded, and are validated (storage.keys: no "." or ".." segments);
a folder grant covers no key with such a segment all the same ("team/../x" is not in team/), whatever
a view checks first.

Above the folders a person holds a role on, they see only the way down to them: the folders on that
path (`listing_limits`), never another name.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Value
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from console.roles import RANK, remember_roles, role_name, role_of

DOT_SEGMENTS = {".", ".."}
NOT_FOUND = gettext_lazy("There is no such connection, folder or file, or you have no access to it.")


@dataclass(frozen=True)
class Held:
    """One grant as the checks see it."""

    connection: str
    prefix: str
    role: str


def covers(prefix: str, key: str) -> bool:
    """Whether a grant's prefix ("" or a folder ending in '/') covers `key`."""
    return key.startswith(prefix) and (prefix == "" or not DOT_SEGMENTS & set(key[len(prefix):].split("/")))


def _stronger(a: str | None, b: str | None) -> str | None:
    return max((r for r in (a, b) if r), key=RANK.__getitem__, default=None)


def _holdings(user) -> tuple[str | None, list[Held]]:
    """The role a person's role group gives everywhere, and their grants (their own and their groups').

    Read once per user object (a request's user, a job's freshly read starter); nothing for a person
    who is signed out or deactivated.
    """
    if not user.is_authenticated or not user.is_active:
        return None, []
    cached = getattr(user, "_access_holdings", None)
    if cached is None:
        rows = _groups_and_grants(user)
        remember_roles(user, {group for group, *_ in rows if group})
        cached = role_of(user), [Held(*grant) for _, *grant in rows if grant[0] is not None]
        user._access_holdings = cached
    return cached


def _groups_and_grants(user) -> set[tuple]:
    """(group name, connection, prefix, role) for each group of the person with each of its grants (None when
    it has none), and ("", connection, prefix, role) for each grant to the person: one query a request."""
    from django.contrib.auth.models import Group

    from console.access.models import Grant

    groups = Group.objects.filter(user=user).values_list(
        "name", "grants__connection__name", "grants__prefix", "grants__role").order_by()
    own = Grant.objects.filter(user=user).values_list(
        Value("", output_field=CharField()), "connection__name", "prefix", "role").order_by()
    return set(groups.union(own, all=True))


def forget(user) -> None:
    """Drop what was read about this person (after their grants or groups changed)."""
    for name in ("_access_holdings", "_role_names"):
        with contextlib.suppress(AttributeError):  # a request's lazy user too: delattr reaches the person
            delattr(user, name)


def role_on(user, connection: str, key: str = "") -> str | None:
    """The strongest role a person holds on `connection` at `key` ("" is the whole bucket), or None."""
    everywhere, grants = _holdings(user)
    held = everywhere
    for grant in grants:
        if grant.connection == connection and covers(grant.prefix, key):
            held = _stronger(held, grant.role)
    return held


def at_least(held: str | None, role: str) -> bool:
    return held is not None and RANK[held] >= RANK[role]


def allows(user, role: str, connection: str, key: str = "") -> bool:
    """Whether a person holds `role` or stronger on `connection` at `key` (what pages show or hide)."""
    return at_least(role_on(user, connection, key), role)


def strongest_on(user, connection: str) -> str | None:
    """The strongest role a person holds anywhere on `connection` (at some folder, maybe not at the top)."""
    everywhere, grants = _holdings(user)
    held = everywhere
    for grant in grants:
        if grant.connection == connection:
            held = _stronger(held, grant.role)
    return held


def strongest(user) -> str | None:
    """The strongest role a person holds anywhere at all (what the navigation offers them)."""
    everywhere, grants = _holdings(user)
    held = everywhere
    for grant in grants:
        held = _stronger(held, grant.role)
    return held


def holds_anywhere(user, role: str) -> bool:
    return at_least(strongest(user), role)


def visible_connections(user, among: Iterable[str] | None = None) -> list[str]:
    """The connection names (of `among`, else of every connection record) a person holds any role on."""
    if among is None:
        from storage.models import Connection

        among = Connection.objects.values_list("name", flat=True)
    everywhere, grants = _holdings(user)
    if everywhere:
        return list(among)
    granted = {grant.connection for grant in grants}
    return [name for name in among if name in granted]


def roots(user, connection: str) -> list[str]:
    """The folders a person may browse from on `connection` ([""]: all of it; []: none), shortest first."""
    everywhere, grants = _holdings(user)
    if everywhere:
        return [""]
    prefixes = sorted({grant.prefix for grant in grants if grant.connection == connection})
    return [p for p in prefixes if not any(q != p and covers(q, p) for q in prefixes)]


def start_prefix(user, connection: str) -> str:
    """Where a person's browsing of `connection` starts: the deepest folder holding all of theirs."""
    folders = roots(user, connection)
    if not folders:
        return ""
    common = os.path.commonprefix(folders)
    return common[:common.rfind("/") + 1]


def listing_limits(user, connection: str, prefix: str) -> list[str] | None:
    """What a person may see when listing the folder `prefix`.

    None: everything in it (they hold a role there). Otherwise the only folders they may see in it:
    the next step down towards each of their folders. Http404 when they may see nothing there.
    """
    if role_on(user, connection, prefix) is not None:
        return None
    below = [root for root in roots(user, connection) if root.startswith(prefix) and root != prefix]
    if not below:
        raise Http404(str(NOT_FOUND))
    return sorted({prefix + root[len(prefix):].split("/", 1)[0] + "/" for root in below})


def require(user, role: str, connection: str, key: str = "") -> str:
    """The role a person holds at `key`, when it is at least `role`.

    Http404 when they may see nothing there (never saying whether it exists); PermissionDenied when they
    see it (they hold a role there, or it is a folder on the way down to theirs) but their role is weaker.
    """
    held = role_on(user, connection, key)
    if held is None:
        on_the_way = (key == "" or key.endswith("/")) and any(root.startswith(key) for root in roots(user, connection))
        if not on_the_way:
            raise Http404(str(NOT_FOUND))
    if not at_least(held, role):
        raise PermissionDenied(_("This needs the %(role)s role here.") % {"role": role_name(role)})
    return held


def require_somewhere(user, role: str, connection: str) -> str:
    """Like `require`, for what needs `role` somewhere on the connection, before a key is known."""
    held = strongest_on(user, connection)
    if held is None:
        raise Http404(str(NOT_FOUND))
    if not at_least(held, role):
        raise PermissionDenied(_("This needs the %(role)s role on this connection.") % {"role": role_name(role)})
    return held


def scopes(user, role: str) -> list[tuple[str, str]] | None:
    """The (connection, prefix) pairs where a person holds `role` or stronger by a grant; None: everywhere."""
    everywhere, grants = _holdings(user)
    if at_least(everywhere, role):
        return None
    return sorted({(g.connection, g.prefix) for g in grants if at_least(g.role, role)})
