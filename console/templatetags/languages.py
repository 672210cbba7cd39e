"""The header's language switcher (the other languages, each named in itself) and the address of the
scripts' catalog, which changes with the catalogs, so browsers may keep it a day."""

from __future__ import annotations

import hashlib
from functools import cache

from django import template
from django.conf import settings
from django.urls import reverse
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


@cache
def catalog_version() -> str:
    """A short hash of every scripts' catalog: a new release with new strings gets a new address."""
    digest = hashlib.sha256()
    for catalog in sorted(settings.LOCALE_PATHS[0].glob("*/LC_MESSAGES/djangojs.po")):
        digest.update(catalog.read_bytes())
    return digest.hexdigest()[:12]


@register.simple_tag
def scripts_catalog_url(language: str) -> str:
    return f"{reverse('javascript_catalog', args=[language])}?v={catalog_version()}"
