"""Invisible characters in a name are written out where the name is shown (console.visible_text)."""

from __future__ import annotations

import unicodedata

from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from console.visible_text import visible


def test_a_right_to_left_override_cannot_make_an_exe_read_as_a_pdf():
    assert visible("invoice\u202efdp.exe") == "invoice[U+202E]fdp.exe"


def test_zero_width_and_control_characters_are_written_out():
    assert visible("pay\u200bpal.txt") == "pay[U+200B]pal.txt"
    assert visible("two\nlines\x00") == "two[U+000A]lines[U+0000]"
    assert visible("\ufeffreport") == "[U+FEFF]report"
    assert visible("a\u2028b\u2066c") == "a[U+2028]b[U+2066]c"


def test_real_names_in_any_script_read_as_they_are():
    for name in ("photo 2024.jpg", "日本語のファイル.txt", "Über straße", "عربي.pdf", "नमस्ते", "family 👨\u200d👩\u200d👧.png",
                 "می\u200cخواهم", "a\u00a0b"):
        assert visible(name) == name


@given(st.text())
def test_what_is_shown_holds_no_character_that_reorders_or_hides_text(text):
    shown = visible(text)
    assert all(unicodedata.category(c) not in {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"} or c in "\u200c\u200d"
               for c in shown)
    assert visible(shown) == shown


def test_the_template_filter_escapes_too():
    html = Template("{% load visible_text %}{{ name|visible }}").render(Context({"name": "<b>\u202e</b>"}))
    assert html == "&lt;b&gt;[U+202E]&lt;/b&gt;"
