"""`{% manages connection prefix as can_manage %}`: whether to link to a place's access pages."""

from __future__ import annotations

from django import template

from console.access import rules
from console.roles import MANAGER

register = template.Library()


@register.simple_tag(takes_context=True)
def manages(context, connection: str, prefix: str = "") -> bool:
    """Whether the signed-in person manages `connection` at `prefix` (its grants, who can do what there)."""
    return rules.allows(context["request"].user, MANAGER, connection, prefix)
