"""Several sentences as one text, spaced the way their language writes them."""

from __future__ import annotations

from collections.abc import Iterable

# Chinese puts no space after its full-width marks; English and its kin put one between sentences.
FULL_WIDTH_ENDS = ("。", "！", "？", "；", "：")


def joined(texts: Iterable[object]) -> str:
    """The non-empty texts in order: a space between two, none after a full-width mark."""
    text = ""
    for part in (str(t).strip() for t in texts):
        if part:
            text += part if not text or text.endswith(FULL_WIDTH_ENDS) else f" {part}"
    return text
