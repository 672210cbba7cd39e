"""Screenshots for a person to look at (.data/screens/): at 1280 and 390 px, in the light and dark themes."""

from __future__ import annotations

from pathlib import Path

from tests.browser.axe import serious_violations

SCREENS = Path(__file__).resolve().parents[2] / ".data" / "screens"
WIDTHS = ((1280, 900), (390, 844))


def shoot(page, name: str, *, axe: bool = False, settle: bool = False) -> None:
    """`name`-`theme`-`width`.png for each theme and width; with `axe`, no serious violation in either theme;
    with `settle`, each taken once the network is idle (lazy images in view have come). The viewport is kept."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for width, height in WIDTHS:
            page.set_viewport_size({"width": width, "height": height})
            if settle:
                page.wait_for_load_state("networkidle")
            page.screenshot(path=str(SCREENS / f"{name}-{scheme}-{width}.png"), full_page=True)
        if axe:
            assert serious_violations(page) == [], f"{name}, {scheme}"
    page.set_viewport_size(size)
    page.emulate_media(color_scheme="light")
