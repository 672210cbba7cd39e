"""`{{ key|visible }}`: a key or name shown with its invisible characters written out (console.visible_text)."""

from __future__ import annotations

from django import template

from console.visible_text import visible as _visible

register = template.Library()


@register.filter(is_safe=False)
def visible(value) -> str:
    return _visible(str(value)) if value is not None else ""
