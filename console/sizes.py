"""Sizes as people type and read them: "500 MB", "1.5 GB", "1 GiB".

The console shows sizes with Django's filesizeformat, which counts in 1,024s (1 MB = 1,048,576 bytes), so
what a form accepts counts the same way: "MB" and "MiB" are one unit here. A number alone counts bytes.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation, Overflow

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

UNITS = {"": 1, "b": 1, "byte": 1, "bytes": 1}
for _power, _letter in enumerate("kmgtp", start=1):
    for _spelling in (_letter, _letter + "b", _letter + "ib"):
        UNITS[_spelling] = 1024 ** _power
_NAMES = ["bytes", "KB", "MB", "GB", "TB", "PB"]
_SIZE = re.compile(r"^\s*(\d+(?:[.,]\d+)?|[.,]\d+)\s*(\w*)\s*$", re.IGNORECASE)
HELP = gettext_lazy("For example 500 MB or 1.5 GB. Sizes count in 1,024s, as the console shows them: 1 MB = 1,024 KB.")


def in_bytes(size: int) -> str:
    """A size in bytes as filesizeformat writes it in the active language ("12 bytes", "12 字节")."""
    return ngettext("%(size)d byte", "%(size)d bytes", size) % {"size": size}


def _byte_words() -> set[str]:
    """The active language's words for bytes, which a form reads back as a unit too."""
    return {in_bytes(n).replace(str(n), "").strip().lower() for n in (1, 2)}


def parse_size(text: str) -> int:
    """Bytes for "1.5 GB", "500MB", "1 GiB", "2048" (bytes); ValueError with a sentence when it is not a size."""
    match = _SIZE.match(text or "")
    word = match.group(2).lower() if match else ""
    unit = (UNITS.get(word) or (1 if word in _byte_words() else None)) if match else None
    if unit is None:
        raise ValueError(_("“%(text)s” is not a size: write a number and a unit, such as 500 MB or 1.5 GB.") % {
            "text": text.strip()})
    try:
        number = Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        raise ValueError(_("“%(text)s” is not a number.") % {"text": text.strip()}) from None
    try:
        return int(number * unit)
    except Overflow:  # a number of a million digits: past what decimal computes
        raise ValueError(_("“%(text)s…” is too large to be a size.") % {"text": text.strip()[:20]}) from None


def show_size(size: int) -> str:
    """`size` in the largest unit that says it exactly in at most two decimals ("1.5 GB", "1000 bytes")."""
    for power in range(len(_NAMES) - 1, 0, -1):
        unit = 1024 ** power
        if size >= unit and (size * 100) % unit == 0:
            number = f"{Decimal(size * 100 // unit) / 100:f}"
            return (number.rstrip("0").rstrip(".") if "." in number else number) + " " + _NAMES[power]
    return in_bytes(size)


def size_words(size: int) -> str:
    """How the console reads a size out anywhere it shows one (filesizeformat, with plain spaces)."""
    return filesizeformat(size).replace("\xa0", " ")


class SizeField(forms.Field):
    """A size typed with its unit; the form shows a stored size the same way, so saving unchanged keeps it."""

    def __init__(self, *, min_size: int = 1, max_size: int | None = None, **kwargs):
        kwargs.setdefault("help_text", HELP)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off",
                                                           "placeholder": "500 MB"}))
        super().__init__(**kwargs)
        self.min_size, self.max_size = min_size, max_size

    def prepare_value(self, value):
        return show_size(value) if isinstance(value, int) else value

    def to_python(self, value) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        try:
            size = parse_size(str(value))
        except ValueError as e:
            raise ValidationError(str(e), code="invalid") from None
        if size < self.min_size:
            raise ValidationError(_("Give at least %(size)s.") % {"size": size_words(self.min_size)}, code="min_value")
        if self.max_size is not None and size > self.max_size:
            raise ValidationError(_("Give at most %(size)s.") % {"size": size_words(self.max_size)}, code="max_value")
        return size
