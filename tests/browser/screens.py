"""Screenshots for a person to look at (.data/screens/): at 1280 and 390 px, in the light and dark themes."""

from __future__ import annotations

from pathlib import Path

from tests.browser.axe import serious_violations

SCREENS = Path(__file__).resolve().parents[2] / ".data" / "screens"
WIDTHS = ((1280, 900), (390, 844))


def shoot(page, name: str, *, axe: bool = False) -> None:
    """`name`-`theme`-`width`.png for each theme and width; with `axe`, no serious violation in either theme."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for width, height in WIDTHS:
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=str(SCREENS / f"{name}-{scheme}-{width}.png"), full_page=True)
        if axe:
            assert serious_violations(page) == [], f"{name}, {scheme}"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(color_scheme="light")
