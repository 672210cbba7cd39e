"""`{{ event.kind|audit_kind }}`, `{{ key|audit_detail }}`: an audit entry's kind and detail keys as the page's
language names them."""

from __future__ import annotations

from django import template

from console.adminpages.audit_names import detail_name, kind_name

register = template.Library()


@register.filter
def audit_kind(value) -> str:
    return kind_name(str(value))


@register.filter
def audit_detail(value) -> str:
    return detail_name(str(value))
