"""`{{ event.kind|audit_kind }}`, `{{ key|audit_detail }}`, `{{ event.actor_name|audit_actor }}`: an audit entry's
kind, detail keys and actor as the page's language names them."""

from __future__ import annotations

from django import template

from console.adminpages.audit_names import detail_name, kind_name, stored_words

register = template.Library()


@register.filter
def audit_kind(value) -> str:
    return kind_name(str(value))


@register.filter
def audit_detail(value) -> str:
    return detail_name(str(value))


@register.filter
def audit_actor(value) -> str:
    return stored_words(str(value)) if value else ""
