"""The header's menus by mouse and keyboard: Admin on a desktop, the whole navigation in one Menu on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.axe import serious_violations

ADMIN_LINKS = ["Connections", "Users", "Groups", "Edition", "Import/export", "Service tokens", "S3 keys for services",
               "Audit log"]


def focused_text(page) -> str:
    return page.evaluate("() => document.activeElement.textContent.trim()")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_admin_menu_opens_by_click_and_closes_on_a_click_outside(admin_page, browser_connection, theme):
    page = admin_page
    page.emulate_media(color_scheme=theme)
    page.goto("/jobs/")
    nav = page.get_by_role("navigation", name="Main")
    admin = nav.get_by_role("button", name="Admin")
    expect(admin).to_have_attribute("aria-expanded", "false")
    expect(nav.get_by_role("link", name="Connections")).to_be_hidden()
    for name in ("Files", "Shares", "Jobs"):
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()

    admin.click()
    expect(admin).to_have_attribute("aria-expanded", "true")
    menu = page.locator("#" + admin.get_attribute("aria-controls"))
    assert [menu.get_by_role("link").nth(i).inner_text() for i in range(menu.get_by_role("link").count())] == ADMIN_LINKS
    expect(menu.get_by_role("link", name="Audit log")).to_be_visible()
    assert serious_violations(page) == []

    page.get_by_role("heading", level=1).click()
    expect(admin).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()

    admin.click()
    menu.get_by_role("link", name="Connections").click()
    page.wait_for_url("**/connections/")
    admin.click()
    expect(nav.get_by_role("link", name="Connections")).to_have_attribute("aria-current", "page")


def test_the_admin_menu_works_by_keyboard(admin_page, browser_connection):
    page = admin_page
    page.goto("/jobs/")
    admin = page.get_by_role("navigation", name="Main").get_by_role("button", name="Admin")
    page.get_by_role("link", name="Jobs", exact=True).focus()
    page.keyboard.press("Tab")
    assert focused_text(page) == "Admin"

    page.keyboard.press("Enter")
    expect(admin).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    assert focused_text(page) == "Connections"
    page.keyboard.press("Tab")
    assert focused_text(page) == "Users"
    page.keyboard.press("Escape")
    expect(admin).to_have_attribute("aria-expanded", "false")
    assert focused_text(page) == "Admin"  # the focus is back on the button

    page.keyboard.press("Space")
    expect(admin).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Space")
    expect(admin).to_have_attribute("aria-expanded", "false")

    page.keyboard.press("Enter")
    for _ in ADMIN_LINKS:
        page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # out of the menu, to the person's name (Your settings), then Sign out
    assert focused_text(page) == "Your settings: admin"
    page.keyboard.press("Tab")
    assert focused_text(page) == "Sign out"
    expect(admin).to_have_attribute("aria-expanded", "false")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_on_a_phone_the_header_is_one_row_and_the_navigation_one_menu(admin_page, browser_connection, theme):
    page = admin_page
    page.set_viewport_size({"width": 390, "height": 800})
    page.emulate_media(color_scheme=theme)
    page.goto("/connections/")
    header = page.locator("header.topbar")
    assert header.bounding_box()["height"] <= 64  # one row, not the 180 px of a wrapped navigation
    menu_button = header.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_be_hidden()
    expect(header.get_by_role("button", name="Sign out")).to_be_hidden()

    menu_button.click()
    expect(menu_button).to_have_attribute("aria-expanded", "true")
    for name in ("Files", "Shares", "Jobs"):
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(header.get_by_role("button", name="Sign out")).to_be_visible()
    assert header.bounding_box()["height"] <= 64  # the open menu lies over the page
    admin = nav.get_by_role("button", name="Admin")
    admin.click()
    expect(nav.get_by_role("link", name="Connections")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="Audit log")).to_be_visible()
    assert serious_violations(page) == []

    nav.get_by_role("link", name="Users").focus()
    page.keyboard.press("Escape")  # the innermost menu first
    expect(admin).to_have_attribute("aria-expanded", "false")
    expect(menu_button).to_have_attribute("aria-expanded", "true")
    assert focused_text(page) == "Admin"
    page.keyboard.press("Escape")
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    assert focused_text(page) == "Menu"

    page.keyboard.press("Enter")
    expect(nav.get_by_role("link", name="Files", exact=True)).to_be_visible()
    nav.get_by_role("link", name="Files", exact=True).click()
    page.wait_for_url("**/files/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Files")


def test_without_javascript_every_link_shows(chromium, live_server, users, browser_connection):
    from tests.browser.conftest import signed_in

    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False, viewport={"width": 390, "height": 800})
    try:
        page = signed_in(context.new_page(), users["admin"], live_server)
        page.goto("/")
        nav = page.get_by_role("navigation", name="Main")
        for name in ["Files", "Shares", "Jobs", *ADMIN_LINKS]:
            expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="Menu")).to_be_hidden()  # a button that could do nothing
    finally:
        context.close()
