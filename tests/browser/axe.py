"""axe-core (npm, installed by `npm ci`) run in the page: the accessibility violations a person would meet."""

from __future__ import annotations

from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_URL = "/__test__/axe.min.js"


def serve_axe(page) -> None:
    """axe as a script of the console's own origin: the page's CSP (script-src 'self') lets it in unchanged."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does).", pytrace=False)
    page.route(f"**{AXE_URL}", lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))


def serious_violations(page) -> list[str]:
    """Each serious or critical violation on the page as it is now, with the elements it concerns."""
    if not page.evaluate("() => 'axe' in window"):
        page.add_script_tag(url=AXE_URL)
    return page.evaluate("""async () => {
        const result = await axe.run(document, { resultTypes: ["violations"] });
        return result.violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
    }""")


def no_serious_violations_in_both_themes(page) -> None:
    """axe finds no serious or critical violation on the page as it is, in the light and the dark theme."""
    serve_axe(page)  # axe from the console's own origin, fetched when first run
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert serious_violations(page) == [], scheme
    page.emulate_media(color_scheme="light")
