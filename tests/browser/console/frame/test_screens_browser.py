"""Screenshots of the file list, the connections page and its open menus at 1280 and 390 px, light and dark,
for a person to look at (.data/screens/), each with no serious or critical axe-core violation."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.axe import serious_violations

SCREENS = Path(__file__).resolve().parents[4] / ".data" / "screens"


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_the_file_list_and_the_connections_page_pass_axe(admin_page, long_folder, long_connection, width, theme):
    page = admin_page
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=theme)
    SCREENS.mkdir(parents=True, exist_ok=True)
    for name, url in (("files", long_folder), ("connections", "/connections/")):
        page.goto(url)
        page.screenshot(path=str(SCREENS / f"{name}-{width}-{theme}.png"), full_page=True)
        assert serious_violations(page) == [], f"{name} at {width} px, {theme}"
    if width < 640:
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Admin").click()
    page.screenshot(path=str(SCREENS / f"menu-{width}-{theme}.png"))
    assert serious_violations(page) == [], f"the open menu at {width} px, {theme}"
