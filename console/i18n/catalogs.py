"""The console's languages are English plus one for each catalog under locale/: adding a language is adding one."""

from __future__ import annotations

from pathlib import Path

from django.conf.locale import LANG_INFO
from django.utils.translation import to_language


def catalog_languages(locale_dir: Path) -> list[tuple[str, str]]:
    """(code, English name) for each locale/<locale>/LC_MESSAGES/django.po, in the order of their codes."""
    found = []
    for catalog in sorted(locale_dir.glob("*/LC_MESSAGES/django.po")):
        code = to_language(catalog.parent.parent.name)
        found.append((code, LANG_INFO.get(code, {}).get("name", code)))
    return found
