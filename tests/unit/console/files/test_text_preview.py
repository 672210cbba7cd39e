"""The start of a text file as a person sees it: whatever the bytes, a preview and a sentence, never a crash."""

from __future__ import annotations

import codecs

from hypothesis import given
from hypothesis import strategies as st

from console.files.text_preview import MAX_ROWS, PREVIEW_BYTES, build
from tests.fuzz import fuzz


def preview(kind: str, data: bytes, size: int | None = None, name: str = "file"):
    return build(kind, data, len(data) if size is None else size, name=name)


def test_csv_is_a_table_whose_first_row_is_the_header():
    shown = preview("csv", b"name,amount\nalice,3\nbob,4\n")
    assert shown.kind == "csv" and shown.header == ["name", "amount"]
    assert shown.rows == [["alice", "3"], ["bob", "4"]] and shown.notes == []


def test_ragged_rows_are_padded_and_named():
    shown = preview("csv", b"a,b,c\n1\n1,2,3,4\n5,6,7\n")
    assert shown.header == ["a", "b", "c", ""]
    assert shown.rows == [["1", "", "", ""], ["1", "2", "3", "4"], ["5", "6", "7", ""]]
    assert shown.notes == ["Rows 2, 3 have a different number of cells from the first row (the header); missing cells are empty."]


def test_formulas_stay_text_and_semicolons_and_tabs_are_found():
    shown = preview("csv", b'x;y\n=HYPERLINK("http://evil.example");=1+1\n')
    assert shown.rows == [['=HYPERLINK("http://evil.example")', "=1+1"]]
    assert preview("csv", b"a\tb\n1\t2\n", name="t.tsv").rows == [["1", "2"]]


def test_only_the_first_rows_are_shown_and_a_row_cut_by_the_read_is_dropped():
    data = b"n\n" + b"".join(b"%d\n" % i for i in range(MAX_ROWS + 50))
    shown = preview("csv", data + b"12345", size=len(data) + 10_000)
    assert len(shown.rows) == MAX_ROWS and shown.rows[-1] == [str(MAX_ROWS - 1)]
    assert f"Showing the first {MAX_ROWS} rows." in shown.notes
    assert any(note.startswith("Showing the first ") and note.endswith("KB.") for note in shown.notes)


def test_json_is_pretty_printed_in_its_own_order():
    shown = preview("json", b'{"b":1,"a":[true,null,"\xc3\xa9"]}')
    assert shown.kind == "code" and shown.lines == ['{', '  "b": 1,', '  "a": [', '    true,', '    null,',
                                                     '    "é"', '  ]', '}']


def test_invalid_json_says_where_and_is_shown_as_it_is():
    shown = preview("json", b'{"a": 1,\n "b": }')
    assert shown.kind == "code" and shown.text == '{"a": 1,\n "b": }'
    assert shown.notes == ["This is not valid JSON (Expecting value at line 2, column 7): shown as it is."]


def test_deeply_nested_json_is_shown_as_it_is():
    deep = b"[" * 100_000 + b"]" * 100_000
    shown = preview("json", deep[:PREVIEW_BYTES], size=PREVIEW_BYTES)
    assert shown.kind == "code" and "nested too deeply" in shown.notes[0]
    nest = "[" * 20 + "]" * 20
    wide = ("[" + ",".join([nest] * 2500) + "]").encode()  # 100 KB as stored, 2 MB pretty-printed
    assert len(wide) < PREVIEW_BYTES
    assert preview("json", wide).notes == ["Pretty-printed, this JSON would be too long: shown as it is."]


def test_json_whose_numbers_a_float_cannot_hold_is_shown_as_it_is():
    # Pretty-printed through floats, 1e400 read "Infinity" and the long decimal "0.1": not what the file says
    text = '{"big": 1e400, "long": 0.10000000000000000001, "tiny": 1e-400}'
    shown = preview("json", text.encode())
    assert shown.text == text and "numbers" in shown.notes[0]
    assert preview("json", b'{"f": 0.1, "g": -2.5e-3}').lines[1:3] == ['  "f": 0.1,', '  "g": -0.0025']


def test_a_large_file_is_cut_and_says_so():
    shown = preview("json", b'{"a": "' + b"x" * 1000, size=100 * 1024 * 1024)
    assert shown.notes == ["Showing the first 1007\xa0bytes of 100.0\xa0MB.", "Too large to pretty-print: shown as it is."]


def test_binary_empty_and_other_encodings_get_a_sentence():
    assert preview("text", b"\x89PNG\r\n\x1a\n\x00\x00\x00").notes[0].startswith("This file holds binary data")
    assert preview("text", b"").notes == ["This file is empty."]
    latin = preview("text", "café".encode("latin-1"))
    assert latin.text == "caf\ufffd" and latin.notes == [
        "This file is not UTF-8 text: bytes that could not be read show as \ufffd."]
    assert preview("text", "hé".encode("utf-16")).text == "hé", "UTF-16 with its byte order mark"


def test_utf32_with_its_byte_order_mark_is_read_as_utf32():
    # The UTF-32 LE mark begins with the UTF-16 LE one: read as UTF-16, the text came out with a NUL between letters
    assert preview("text", "hé".encode("utf-32")).text == "hé"
    assert preview("text", codecs.BOM_UTF32_BE + "hé".encode("utf-32-be")).text == "hé"


def test_a_character_cut_by_the_read_is_not_an_encoding_error():
    data = "é".encode() * 10
    assert preview("text", data[:-1], size=len(data)).notes == ["Showing the first 19\xa0bytes of 20\xa0bytes."]


def test_code_is_numbered_line_by_line():
    shown = preview("code", b"def f():\n    return '<b>'\n")
    assert shown.kind == "code" and shown.lines == ["def f():", "    return '<b>'", ""]


@fuzz
@given(kind=st.sampled_from(["markdown", "csv", "json", "code", "text"]), data=st.binary(max_size=600),
       cut=st.booleans())
def test_any_bytes_give_a_preview(kind, data, cut):
    shown = build(kind, data, len(data) + (100 if cut else 0), name="x")
    assert shown.kind in ("markdown", "csv", "json", "code", "text", "binary", "empty")
