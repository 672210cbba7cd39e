"""`{{ grant.role|role_name }}`: a role ("viewer") as the page's language names it (console.roles.role_name)."""

from __future__ import annotations

from django import template

from console.roles import role_name as _role_name

register = template.Library()


@register.filter
def role_name(value) -> str:
    return _role_name(value)
