"""Tables never break a word: headers, names and endpoints keep to one line, a long one is cut with an
ellipsis and its full value shows on hover and on keyboard focus; on a phone the file list keeps name, size,
actions, sorting and "select all"."""

from __future__ import annotations

from django.contrib.auth.models import User
from playwright.sync_api import expect

from console.shares import service
from tests.browser.console.frame.conftest import LONG_ENDPOINT, LONG_NAME
from tests.browser.layout import is_cut_with_an_ellipsis, lines_of

TOOLTIP = "(element) => getComputedStyle(element, '::after').content"


def tooltip_of(locator) -> str:
    return locator.evaluate(TOOLTIP)


def tab_to(page, locator, limit: int = 60) -> None:
    """Real Tab presses until the element has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("(element) => element === document.activeElement"):
            return
    raise AssertionError("never reached by Tab")


def test_the_connections_list_keeps_each_endpoint_on_one_line(admin_page, long_connection):
    page = admin_page
    page.goto("/connections/")
    table = page.locator("#connections table")
    assert lines_of(table.locator("thead th")) == [1] * 6
    endpoints = table.locator("td[data-label='Endpoint'] code")
    assert lines_of(endpoints) == [1, 1]
    assert lines_of(table.locator("th[scope=row] a")) == [1, 1]

    short, long = endpoints.nth(0), endpoints.nth(1)
    assert ":" in short.inner_text().removeprefix("http://") and not is_cut_with_an_ellipsis(short)
    assert is_cut_with_an_ellipsis(long) and long.inner_text() == LONG_ENDPOINT
    assert tooltip_of(long) == "none"
    long.hover()
    assert LONG_ENDPOINT in tooltip_of(long)
    page.mouse.move(0, 0)
    assert tooltip_of(long) == "none"

    page.locator("h1").click()
    tab_to(page, long)  # a cut value is a tab stop, one that fits is not
    assert LONG_ENDPOINT in tooltip_of(long)
    assert short.get_attribute("tabindex") is None


def test_the_users_and_shares_tables_keep_their_headers_whole(admin_page, browser_connection, key_prefix):
    page = admin_page
    User.objects.create_user("someone-with-a-rather-long-user-name", "someone.with.a.long.address@example.com")
    service.create_share(user=User.objects.get(username="admin"), kind="file", connection="primary",
                         key=key_prefix + LONG_NAME)
    page.goto("/users/")
    assert lines_of(page.locator("#users thead th")) == [1] * 5
    assert lines_of(page.locator("#users tbody th a")) == [1] * User.objects.count()

    page.goto("/shares/")
    headers = page.locator("table.shares thead th:not(:first-child)")  # the first is the boxes' column
    expect(headers.filter(has_text="Owner")).to_have_count(1)
    assert lines_of(headers) == [1] * 8
    key = page.locator("table.shares td[data-label='Object'] .clip")
    assert lines_of(key) == [1] and is_cut_with_an_ellipsis(key)
    key.hover()
    assert LONG_NAME in tooltip_of(key)


def test_the_file_list_cuts_a_long_name_and_shows_it_on_focus(admin_page, long_folder):
    page = admin_page
    page.goto(long_folder)
    listing = page.locator("#listing")
    assert lines_of(listing.locator("thead th:not(.check)")) == [1] * 4
    names = listing.locator("td.name a")
    assert lines_of(names) == [1] * 5
    long = listing.get_by_role("link", name=LONG_NAME, exact=True)
    assert is_cut_with_an_ellipsis(long)
    assert not is_cut_with_an_ellipsis(listing.get_by_role("link", name="a.txt", exact=True))
    long.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # by keyboard, so the focus shows
    assert LONG_NAME in tooltip_of(long)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280  # nothing sticks out of the page


def test_on_a_phone_the_file_list_keeps_name_size_actions_sorting_and_select_all(admin_page, long_folder):
    page = admin_page
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(long_folder)
    listing = page.locator("#listing")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    first_row = listing.locator("tbody tr").first.bounding_box()
    assert first_row["y"] < 520, f"the list starts in the first screen of a phone, not at {first_row['y']:.0f} px"
    tools = page.get_by_role("group", name="With the ticked files and folders")
    expect(tools).to_be_hidden()  # the selection's actions wait until something is ticked
    files = listing.locator("tbody tr[data-kind=file]")
    expect(files).to_have_count(4)
    for cell in ("td.name a", "td.size", "td.row-actions a"):
        for i in range(files.count()):
            expect(files.nth(i).locator(cell).first).to_be_visible()
        assert set(lines_of(files.locator(cell))) == {1}, cell

    names = lambda: [files.nth(i).get_attribute("data-name") for i in range(files.count())]  # noqa: E731
    sizes = lambda: [int(files.nth(i).get_attribute("data-size")) for i in range(files.count())]  # noqa: E731
    listing.get_by_role("link", name="Size", exact=True).click()  # the whole folder, largest first
    expect(listing.locator("th.size")).to_have_attribute("aria-sort", "descending")
    assert sizes() == sorted(sizes(), reverse=True)
    listing.get_by_role("link", name="Size", exact=True).click()
    expect(listing.locator("th.size")).to_have_attribute("aria-sort", "ascending")
    assert sizes() == sorted(sizes())
    listing.get_by_role("link", name="Name", exact=True).click()
    expect(listing.locator("th.name")).to_have_attribute("aria-sort", "ascending")
    assert names() == sorted(names())

    select_all = listing.get_by_role("checkbox", name="Select all files and folders")
    expect(select_all).to_be_visible()
    select_all.click()
    expect(listing.locator("tbody input[type=checkbox]:checked")).to_have_count(5)
    expect(page.get_by_role("button", name="Delete selected (5)")).to_be_enabled()
    bar = tools.bounding_box()  # then over the top of the screen, wherever the list is scrolled to
    assert bar["y"] == 0 and bar["width"] == 390 and bar["height"] < 100, bar
    page.mouse.wheel(0, 300)
    expect(page.get_by_role("button", name="Delete selected (5)")).to_be_in_viewport()
    select_all.click()
    expect(tools).to_be_hidden()
