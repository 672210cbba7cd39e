"""A careless translation cannot add markup or lose a placeholder: msgfmt checks neither for the scripts' catalog.

Template strings are trusted markup (a `{% translate %}` of a literal is not escaped), and the scripts'
entries carry no format flag, so `msgfmt --check` lets a dropped or misspelt %(name)s through.
"""

from __future__ import annotations

import re

import polib
import pytest

from tests.catalogs import ROOT

CATALOGS = sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po"))
TAG = re.compile(r"</?[a-zA-Z][^>]*>")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def pairs(entry: polib.POEntry):
    if not entry.msgid_plural:
        yield entry.msgid, entry.msgstr
        return
    for form, text in entry.msgstr_plural.items():
        yield (entry.msgid if form == 0 else entry.msgid_plural), text


def mismatches(catalog) -> list[str]:
    found = []
    for entry in polib.pofile(str(catalog)):
        for source, text in pairs(entry):
            if text and sorted(TAG.findall(source)) != sorted(TAG.findall(text)):
                found.append(f"markup: {source!r} -> {text!r}")
            # A plural's "one" form may say the number in words, never a placeholder the code does not pass.
            if text and not set(PLACEHOLDER.findall(text)) <= set(PLACEHOLDER.findall(entry.msgid_plural or source)):
                found.append(f"placeholder: {source!r} -> {text!r}")
            if text and not entry.msgid_plural and set(PLACEHOLDER.findall(source)) != set(PLACEHOLDER.findall(text)):
                found.append(f"placeholder lost: {source!r} -> {text!r}")
    return found


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_each_translation_keeps_its_markup_and_placeholders(catalog):
    assert mismatches(catalog) == []


def test_the_check_sees_a_careless_translation(tmp_path):
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Retry %(name)s", msgstr="重试 %(nmae)s"))
    po.append(polib.POEntry(msgid="Object lock is <strong>on</strong>.", msgstr="<img src=x onerror=alert(1)>开"))
    po.save(str(tmp_path / "djangojs.po"))
    assert len(mismatches(tmp_path / "djangojs.po")) == 3
