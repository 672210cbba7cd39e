"""Dark mode: the page follows the system's colour scheme, and the header's toggle is remembered, with no
flash of the other theme when a page loads."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.axe import serious_violations, serve_axe

# Before the stylesheet or the body is parsed, what theme the page already has (no flash if already right).
RECORD_THEME_AT_BODY = """
new MutationObserver((changes, observer) => {
    if (!document.body) return;
    window.__themeAtBody = document.documentElement.dataset.theme || "system";
    observer.disconnect();
}).observe(document, { childList: true, subtree: true });
"""


def background_is_dark(page) -> bool:
    return page.evaluate("""() => {
        const [r, g, b] = getComputedStyle(document.documentElement).backgroundColor.match(/\\d+/g).map(Number);
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) < 128;
    }""")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_it_follows_the_systems_colour_scheme(admin_page, browser_connection, scheme):
    page = admin_page
    page.emulate_media(color_scheme=scheme)
    page.goto("/")
    assert background_is_dark(page) is (scheme == "dark")
    expect(page.get_by_role("button", name="Dark mode")).to_have_attribute("aria-pressed", str(scheme == "dark").lower())

    page.emulate_media(color_scheme="dark" if scheme == "light" else "light")  # the system changes its mind
    assert background_is_dark(page) is (scheme == "light")
    expect(page.get_by_role("button", name="Dark mode")).to_have_attribute("aria-pressed", str(scheme == "light").lower())


def test_the_toggle_is_remembered_across_a_reload_without_a_flash(admin_page, browser_connection):
    page = admin_page
    page.context.add_init_script(RECORD_THEME_AT_BODY)
    page.emulate_media(color_scheme="light")
    page.goto("/files/")
    toggle = page.get_by_role("button", name="Dark mode")
    assert not background_is_dark(page)

    toggle.click()
    assert background_is_dark(page)
    expect(toggle).to_have_attribute("aria-pressed", "true")

    page.reload()
    assert page.evaluate("window.__themeAtBody") == "dark"  # chosen before the first paint
    assert background_is_dark(page)
    expect(toggle).to_have_attribute("aria-pressed", "true")
    page.goto("/jobs/")
    assert page.evaluate("window.__themeAtBody") == "dark" and background_is_dark(page)

    page.emulate_media(color_scheme="dark")  # a choice of light also wins over a dark system
    toggle.click()
    assert not background_is_dark(page)
    page.reload()
    assert page.evaluate("window.__themeAtBody") == "light"
    assert not background_is_dark(page)
    expect(toggle).to_have_attribute("aria-pressed", "false")


def test_the_toggle_is_a_keyboard_button(admin_page, browser_connection):
    page = admin_page
    page.emulate_media(color_scheme="light")
    page.goto("/")
    page.get_by_role("button", name="Dark mode").focus()
    page.keyboard.press("Enter")
    assert background_is_dark(page)
    page.keyboard.press("Space")
    assert not background_is_dark(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_sign_in_page_has_the_toggle_and_passes_axe(page, scheme):
    serve_axe(page)
    page.emulate_media(color_scheme=scheme)
    page.goto("/accounts/login/")
    expect(page.get_by_role("button", name="Dark mode")).to_have_attribute("aria-pressed", str(scheme == "dark").lower())
    assert background_is_dark(page) is (scheme == "dark")
    assert serious_violations(page) == []
