"""What the eye sees of a text: how many lines it takes, whether it is cut short."""

from __future__ import annotations

LINES = """(element) => {
    const bottoms = new Set();
    const texts = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    while (texts.nextNode()) {
        range.selectNodeContents(texts.currentNode);
        // Visually hidden text (1 px boxes) is not a line anyone sees.
        for (const rect of range.getClientRects()) if (rect.width > 1 && rect.height > 1) bottoms.add(Math.round(rect.bottom));
    }
    return bottoms.size;
}"""

CUT = """(element) => element.scrollWidth > element.clientWidth
    && getComputedStyle(element).textOverflow === "ellipsis" """


def lines_of(locator) -> list[int]:
    """The number of lines each element's text takes (1: not broken)."""
    return [locator.nth(i).evaluate(LINES) for i in range(locator.count())]


def is_cut_with_an_ellipsis(locator) -> bool:
    return locator.evaluate(CUT)
