"""The address of the scripts' catalog, which changes with the catalogs, so browsers may keep it a day."""

from __future__ import annotations

import hashlib
from functools import cache

from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


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
