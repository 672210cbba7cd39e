"""Names as a person may safely read them: invisible characters that change how a name looks are shown.

Object keys are chosen by whoever uploads. A right-to-left override makes "invoice\u202efdp.exe" read as
"invoiceexe.pdf"; a zero-width space makes two different names look the same; a newline or a control
character breaks a line or vanishes. Wherever a key is shown as text, such characters are written out as
[U+202E], so what a person reads is what the key holds. Only the display changes: links, forms and copy
buttons keep the key itself.
"""

from __future__ import annotations

import unicodedata

# Format characters that join or separate letters in real scripts (emoji sequences, Persian, Indic) are
# kept: they shape a name, they cannot reorder it or hide one name inside another.
_KEPT = {"\u200c", "\u200d"}  # zero-width non-joiner and joiner
_SHOWN_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


def visible(text: str) -> str:
    """`text` with its controls, format characters (bidirectional overrides, zero-width spaces, BOMs),
    line and paragraph separators and unassigned code points written out as [U+XXXX]."""
    if text.isprintable():  # the common case, checked in C: nothing to show
        return text
    return "".join(_shown(char) for char in text)


def _shown(char: str) -> str:
    if char in _KEPT or unicodedata.category(char) not in _SHOWN_CATEGORIES:
        return char
    return f"[U+{ord(char):04X}]"
