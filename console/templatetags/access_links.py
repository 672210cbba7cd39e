"""`{% manages connection prefix as manages_here %}`: whether to link to a place's access pages."""

from __future__ import annotations

from django import template

from console.access import rules
from console.roles import MANAGER

register = template.Library()


@register.simple_tag(takes_context=True)
def manages(context, connection: str, prefix: str | None = None) -> bool:
    """Whether the signed-in person manages `connection` at `prefix` (None: at some folder of it at least)."""
    user = context["request"].user
    if prefix is None:
        return rules.at_least(rules.strongest_on(user, connection), MANAGER)
    return rules.allows(user, MANAGER, connection, prefix)
