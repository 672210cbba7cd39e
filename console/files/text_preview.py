"""The start of a text file as a person wants to see it: Markdown, a CSV table, pretty JSON, numbered code.

Pure functions of the bytes read (at most PREVIEW_BYTES of them): nothing here reaches storage, and nothing
from the file is ever run. Whatever the bytes are (another encoding, binary, a cut-off or broken document),
the answer is a preview with a sentence saying what was shown and why, never an exception.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from console.files.markdown_preview import render_markdown

PREVIEW_BYTES = 128 * 1024  # read from storage, at most, for a preview (Markdown of 128 KiB renders in ~2 s at worst)
MAX_ROWS = 100  # CSV rows shown
MAX_COLUMNS = 50
MAX_CELL = 500  # characters of one CSV cell
MAX_LINES = 5000  # numbered lines of code
MAX_PRETTY = 1024 * 1024  # characters of pretty-printed JSON (deep nesting grows it fast)
# UTF-32 first: its little-endian mark begins with UTF-16's.
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass
class TextPreview:
    """What the preview card shows: `kind` picks the template's block; `notes` say what was left out or why."""

    kind: str  # markdown, csv, json, code, text, binary, empty
    text: str = ""
    html: SafeString | None = None  # markdown only: sanitized
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")[:MAX_LINES]


def decode(data: bytes, truncated: bool) -> tuple[str | None, list[str]]:
    """The bytes as text, and what a person should know about how; None for binary data."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), []
    if b"\x00" in data[:8192]:
        return None, []
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as e:
        if truncated and e.start >= len(data) - 3:  # the read cut a character in two: drop its first bytes
            return data[:e.start].decode("utf-8", errors="replace"), []
        return data.decode("utf-8", errors="replace"), [
            _("This file is not UTF-8 text: bytes that could not be read show as �.")]


def build(kind: str, data: bytes, size: int, *, name: str, folder: str = "",
          link_for: Callable[[str], str] = str, image_for: Callable[[str], str] = str) -> TextPreview:
    """The preview of a file of `size` bytes whose first bytes are `data`, as `kind` (see preview_kind)."""
    if size == 0:
        return TextPreview("empty", notes=[_("This file is empty.")])
    truncated = len(data) < size
    text, notes = decode(data, truncated)
    if text is None:
        return TextPreview("binary", notes=[_("This file holds binary data (it is not text): no preview. "
                                              "Download it to open it.")])
    if truncated:
        notes.append(_("Showing the first %(shown)s of %(size)s.")
                     % {"shown": filesizeformat(len(data)), "size": filesizeformat(size)})
    if kind == "markdown":
        html = render_markdown(text, folder=folder, link_for=link_for, image_for=image_for)
        return TextPreview("markdown", html=mark_safe(html), notes=notes)  # noqa: S308 (sanitized by nh3)
    if kind == "csv":
        return csv_preview(text, truncated, tabs=name.lower().endswith(".tsv"), notes=notes)
    if kind == "json":
        return json_preview(text, truncated, notes=notes)
    return code(text, notes) if kind == "code" else TextPreview("text", text=text, notes=notes)


def code(text: str, notes: list[str]) -> TextPreview:
    preview = TextPreview("code", text=text, notes=notes)
    if text.count("\n") >= MAX_LINES:
        notes.append(ngettext("Showing the first %(n)s line.", "Showing the first %(n)s lines.", MAX_LINES)
                     % {"n": number_format(MAX_LINES, force_grouping=True)})
    return preview


def csv_preview(text: str, truncated: bool, *, tabs: bool, notes: list[str]) -> TextPreview:
    """The first rows as a table: the first row is the header; short rows are padded, long cells cut."""
    if truncated and "\n" in text:
        text = text[:text.rindex("\n") + 1]  # the last row may be cut in two
    try:
        rows = _read_rows(text, "\t" if tabs else _delimiter(text))
    except csv.Error as e:
        notes.append(_("This file cannot be read as CSV (%(problem)s): shown as text.") % {"problem": e})
        return TextPreview("text", text=text, notes=notes)
    if not rows:
        return TextPreview("text", text=text, notes=notes)
    width = min(max(len(row) for row in rows), MAX_COLUMNS)
    ragged = [n for n, row in enumerate(rows, start=1) if len(row) != len(rows[0])]
    if ragged:
        listed = ", ".join(map(str, ragged[:5])) + (" …" if len(ragged) > 5 else "")
        notes.append(ngettext("Row %(rows)s has a different number of cells from the first row (the header); missing "
                              "cells are empty.",
                              "Rows %(rows)s have a different number of cells from the first row (the header); "
                              "missing cells are empty.", len(ragged)) % {"rows": listed})
    if any(len(row) > MAX_COLUMNS for row in rows):
        notes.append(ngettext("Showing the first %(n)s column.", "Showing the first %(n)s columns.", MAX_COLUMNS)
                     % {"n": MAX_COLUMNS})
    cells = [[_cell(row[i]) if i < len(row) else "" for i in range(width)] for row in rows]
    if len(rows) > MAX_ROWS:
        notes.append(ngettext("Showing the first %(n)s row.", "Showing the first %(n)s rows.", MAX_ROWS)
                     % {"n": MAX_ROWS})
    return TextPreview("csv", header=cells[0], rows=cells[1:MAX_ROWS + 1], notes=notes)


def _delimiter(text: str) -> str:
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _read_rows(text: str, delimiter: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    for row in reader:
        rows.append(row)
        if len(rows) > MAX_ROWS + 1:  # one more than shown, to say that there are more
            break
    return rows


def _cell(value: str) -> str:
    return value if len(value) <= MAX_CELL else value[:MAX_CELL] + "…"


def json_preview(text: str, truncated: bool, *, notes: list[str]) -> TextPreview:
    """Pretty-printed when the whole file was read and parses; else as it is, saying why."""
    if truncated:
        notes.append(_("Too large to pretty-print: shown as it is."))
        return code(text, notes)
    try:
        pretty = json.dumps(json.loads(text, parse_float=_float_as_written), indent=2, ensure_ascii=False)
    except json.JSONDecodeError as e:
        notes.append(_("This is not valid JSON (%(problem)s at line %(line)s, column %(column)s): shown as it is.")
                     % {"problem": e.msg, "line": e.lineno, "column": e.colno})
        return code(text, notes)
    except _Inexact:
        notes.append(_("This JSON holds numbers that pretty-printing would change (beyond what a float holds): "
                       "shown as it is."))
        return code(text, notes)
    except (RecursionError, ValueError):
        notes.append(_("This JSON is nested too deeply (or holds numbers too long) to pretty-print: shown as it is."))
        return code(text, notes)
    if len(pretty) > MAX_PRETTY:
        notes.append(_("Pretty-printed, this JSON would be too long: shown as it is."))
        return code(text, notes)
    return code(pretty, notes)


class _Inexact(ValueError):
    """A JSON number that a float would show as another (1e400 as Infinity, 0.10000000000000000001 as 0.1)."""


def _float_as_written(text: str) -> float:
    number = float(text)
    if Decimal(repr(number)) != Decimal(text):
        raise _Inexact(text)
    return number
