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

UNITS = {"": 1, "b": 1, "byte": 1, "bytes": 1}
for _power, _letter in enumerate("kmgtp", start=1):
    for _spelling in (_letter, _letter + "b", _letter + "ib"):
        UNITS[_spelling] = 1024 ** _power
_NAMES = ["bytes", "KB", "MB", "GB", "TB", "PB"]
_SIZE = re.compile(r"^\s*(\d+(?:[.,]\d+)?|[.,]\d+)\s*([a-z]*)\s*$", re.IGNORECASE)
HELP = "For example 500 MB or 1.5 GB. Sizes count in 1,024s, as the console shows them: 1 MB = 1,024 KB."


def parse_size(text: str) -> int:
    """Bytes for "1.5 GB", "500MB", "1 GiB", "2048" (bytes); ValueError with a sentence when it is not a size."""
    match = _SIZE.match(text or "")
    unit = UNITS.get(match.group(2).lower()) if match else None
    if unit is None:
        raise ValueError(f"“{text.strip()}” is not a size: write a number and a unit, such as 500 MB or 1.5 GB.")
    try:
        number = Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        raise ValueError(f"“{text.strip()}” is not a number.") from None
    try:
        return int(number * unit)
    except Overflow:  # a number of a million digits: past what decimal computes
        raise ValueError(f"“{text.strip()[:20]}…” is too large to be a size.") from None


def show_size(size: int) -> str:
    """`size` in the largest unit that says it exactly in at most two decimals ("1.5 GB", "1000 bytes")."""
    for power in range(len(_NAMES) - 1, 0, -1):
        unit = 1024 ** power
        if size >= unit and (size * 100) % unit == 0:
            number = f"{Decimal(size * 100 // unit) / 100:f}"
            return (number.rstrip("0").rstrip(".") if "." in number else number) + " " + _NAMES[power]
    return f"{size} bytes"


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
            raise ValidationError(f"Give at least {size_words(self.min_size)}.", code="min_value")
        if self.max_size is not None and size > self.max_size:
            raise ValidationError(f"Give at most {size_words(self.max_size)}.", code="max_value")
        return size
