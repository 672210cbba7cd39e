"""Every catalog is complete: each string the code marks today is translated, none is fuzzy, each compiles."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.catalogs import ROOT
from tests.unit.i18n.unmarked_checker import checker

CATALOGS = sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po"))
IGNORED = ["static/vendor", "static/css", "locale", "storage/dev"]


@pytest.fixture(scope="module")
def gathered(tmp_path_factory) -> Path:
    """`make messages` run into a copy of locale/, so the catalogs meet what the code marks now.

    makemessages writes into any locale/ beside the code it reads, so it reads the code through links from
    a directory of its own, whose locale/ is the copy.
    """
    tree = tmp_path_factory.mktemp("gathered")
    for name in ("console", "storage", "templates", "static"):
        (tree / name).symlink_to(ROOT / name)
    copy = tree / "locale"
    shutil.copytree(ROOT / "locale", copy, ignore=shutil.ignore_patterns("*.mo", "parts"))
    before = {p: p.stat().st_mtime_ns for p in CATALOGS}
    here = os.getcwd()
    os.chdir(tree)
    try:
        with override_settings(LOCALE_PATHS=[copy]):
            for domain in ("django", "djangojs"):
                call_command("makemessages", all=True, domain=domain, no_obsolete=True, add_location="file",
                             ignore_patterns=IGNORED, symlinks=True, verbosity=0)
    finally:
        os.chdir(here)
    assert {p: p.stat().st_mtime_ns for p in CATALOGS} == before, "the real catalogs must not be touched"
    return copy


def gathered_catalogs(copy: Path) -> list[Path]:
    return sorted(copy.glob("*/LC_MESSAGES/*.po"))


def test_there_is_a_chinese_catalog_for_the_pages_and_for_the_scripts():
    names = {f"{p.parent.parent.name}/{p.name}" for p in CATALOGS}
    assert {"zh_Hans/django.po", "zh_Hans/djangojs.po"} <= names


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_each_catalog_says_its_language_and_plural_forms(catalog):
    po = polib.pofile(str(catalog))
    assert not po.metadata_is_fuzzy, "a fuzzy header is left out of the compiled catalog, plural forms and all"
    assert po.metadata["Language"] == catalog.parent.parent.name
    assert po.metadata["Plural-Forms"].startswith("nplurals=")


def test_every_string_the_code_marks_is_translated_and_none_is_fuzzy(gathered):
    for catalog in gathered_catalogs(gathered):
        po = polib.pofile(str(catalog))
        missing = [e.msgid for e in po.untranslated_entries()]
        fuzzy = [e.msgid for e in po.fuzzy_entries()]
        where = catalog.relative_to(gathered)
        assert not missing, f"{where}: {len(missing)} untranslated (run `make messages` and translate): {missing[:15]}"
        assert not fuzzy, f"{where}: {len(fuzzy)} fuzzy (check and clear the flag): {fuzzy[:15]}"


def test_no_translation_is_left_in_english():
    for catalog in (p for p in CATALOGS if p.parent.parent.name != "en"):
        left = [e.msgid for e in polib.pofile(str(catalog)) if e.translated() and _still_english(e)]
        assert not left, f"{catalog.relative_to(ROOT)}: translated as the English itself: {left[:15]}"


def _still_english(entry) -> bool:
    """Words "translated" as themselves (a translation may keep S3's values and code, or drop a word)."""
    texts = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
    return entry.msgid in texts and bool(checker.english_words(re.sub(r"<code>.*?</code>", " ", entry.msgid)))


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_each_catalog_compiles_with_its_placeholders_intact(catalog, tmp_path):
    result = subprocess.run(["msgfmt", "--check", "--output-file", str(tmp_path / "out.mo"), str(catalog)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
