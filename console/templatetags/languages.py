"""The header's language switcher: the console's other languages, each named in itself."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.translation import get_language_info

register = template.Library()


def name_local(code: str, name: str) -> str:
    """ "简体中文" for zh-hans; a language Django has no name for (a catalog under locale/yue/): its settings name."""
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return name


@register.simple_tag
def other_languages(current: str) -> list[dict[str, str]]:
    return [{"code": code, "name_local": name_local(code, name)} for code, name in settings.LANGUAGES if code != current]
