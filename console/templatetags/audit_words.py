"""`{{ event.kind|audit_kind }}`: an audit entry's kind as the page's language names it."""

from __future__ import annotations

from django import template

from console.adminpages.audit_kinds import kind_name

register = template.Library()


@register.filter
def audit_kind(value) -> str:
    return kind_name(str(value))
