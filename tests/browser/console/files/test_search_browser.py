"""Searching below a folder in a real Chromium: typed, streamed in while the scan runs, cancelled, its links
followed, a viewer of team/ kept to team/, axe on each state and screenshots at 1280 and 390 px in both themes."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from console.files import search
from console.models import AuditEvent
from storage.factory import get_gateway
from tests.browser.axe import serious_violations, serve_axe
from tests.browser.conftest import signed_in

SCREENS = Path(__file__).resolve().parents[4] / ".data" / "screens"
NAMES = ["Match report 2026.pdf", "deep/er/the MATCH of the day.txt", "deep/notes.txt",
         "quarterly-match-for-the-board-of-directors-with-every-appendix-final-v2-approved.pdf", "été match 🎉.txt"]


def put(key_prefix: str, names) -> None:
    gateway = get_gateway()
    for name in names:
        gateway.simple_upload("primary", key_prefix + name, b"x" * 1500)


@pytest.fixture
def viewer_page(page, users, live_server):
    serve_axe(page)
    return signed_in(page, users["viewer"], live_server)


class SlowListing(list):
    """The times of the listing calls made so far; from the fourth on, each waits until `release()`."""

    def __init__(self):
        super().__init__()
        self.released = threading.Event()

    def release(self) -> None:
        self.released.set()


@pytest.fixture
def slow_listing(monkeypatch):
    """Listing pages of 3 keys, each taking 0.3 s longer (the live server runs in this process), and held after
    the third until the test releases them: a scan still running however long the test takes to look at it,
    however loaded the machine. The pages listed are counted."""
    monkeypatch.setattr(search, "PAGE", 3)
    gateway_class = type(get_gateway())
    original = gateway_class.list_objects
    listed = SlowListing()
    lock = threading.Lock()

    def slow(self, *args, **kwargs):
        time.sleep(0.3)
        if len(listed) >= 3:
            listed.released.wait(timeout=60)
        with lock:
            listed.append(time.monotonic())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(gateway_class, "list_objects", slow)
    yield listed
    listed.release()


def search_ended(timeout: float = 30) -> AuditEvent:
    """The search's audit row once its scan has stopped (the server writes how it ended then, and lists no more)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        event = AuditEvent.objects.filter(kind="folder.searched").first()
        if event is not None and "end" in event.detail:
            return event
        time.sleep(0.1)
    raise AssertionError(f"the search's scan did not stop within {timeout} s")


def search_for(page, term: str) -> None:
    box = page.get_by_label("File name contains")
    box.fill("")
    box.press_sequentially(term)
    box.press("Enter")


def status(page):
    return page.get_by_role("status").filter(has_text=re.compile("match|Search"))


def shoot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def test_results_stream_in_with_a_count_and_cancel_stops_the_scan(viewer_page, browser_connection, key_prefix,
                                                                  slow_listing):
    page = viewer_page
    put(key_prefix, [f"bulk/file-{i:02d}.txt" for i in range(30)] + NAMES)  # 35 files: 12 pages, 4 s
    page.goto(f"/files/primary/?prefix={key_prefix}")
    page.get_by_role("link", name="Search below this folder").click()
    search_for(page, "match")
    rows = page.locator("#search-rows tr")
    expect(rows.first).to_be_visible()
    expect(page.locator("#search")).to_have_attribute("aria-busy", "true")  # still scanning, results already in
    expect(status(page)).to_contain_text(re.compile(r"Searching… \d+ match"))
    for theme in ("light", "dark"):
        page.emulate_media(color_scheme=theme)
        assert serious_violations(page) == [], f"scanning, {theme}"
        shoot(page, f"search-scanning-1280-{theme}")
    page.get_by_role("button", name="Cancel").click()
    expect(status(page)).to_contain_text(re.compile(r"^Cancelled: \d+ match(es)?, \d+ files scanned\.$"))
    expect(page.get_by_role("button", name="Cancel")).to_be_hidden()
    cancelled_at = len(slow_listing)
    slow_listing.release()  # the held page answers; the server notices at its next write or the one after
    event = search_ended()
    assert len(slow_listing) <= cancelled_at + 2 < 12, "the listing stopped with the fetch"
    assert event.detail["end"] == "cancelled" and event.detail["scanned"] < 35
    for theme in ("light", "dark"):
        page.emulate_media(color_scheme=theme)
        assert serious_violations(page) == [], f"cancelled, {theme}"
        shoot(page, f"search-cancelled-1280-{theme}")
    assert page.js_errors == []


def test_each_result_links_to_its_file_and_its_folder(viewer_page, browser_connection, key_prefix):
    page = viewer_page
    put(key_prefix, NAMES)
    page.goto(f"/files/primary/search/?prefix={key_prefix}")
    search_for(page, "MATCH OF")
    expect(status(page)).to_have_text("Finished: 1 match, 5 files scanned.")
    page.get_by_role("link", name="the MATCH of the day.txt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("the MATCH of the day.txt")
    page.go_back()
    expect(page.get_by_label("File name contains")).to_have_value("MATCH OF")  # the URL kept the term
    expect(status(page)).to_have_text("Finished: 1 match, 5 files scanned.")
    page.get_by_role("link", name=f"{key_prefix}deep/er/").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("er")
    expect(page.get_by_role("link", name="the MATCH of the day.txt", exact=True)).to_be_visible()


def test_a_viewer_of_team_never_sees_a_name_outside_team(page, live_server, browser_connection, key_prefix):
    from django.contrib.auth.models import User

    from console.access.models import Grant

    put(key_prefix, ["team/plan.txt", "team/q3/plan-b.txt", "secret/plan-x.txt", "team2/plan.txt", "top plan.txt"])
    person = User.objects.create_user("teammate")
    Grant.objects.create(connection=browser_connection, user=person, prefix=key_prefix + "team/", role="viewer")
    signed_in(page, person, live_server)
    page.goto(f"/files/primary/search/?prefix={key_prefix}")
    search_for(page, "plan")
    expect(status(page)).to_have_text("Finished: 2 matches, 2 files scanned.")
    text = page.locator("main").inner_text()
    assert "plan.txt" in text and "plan-b.txt" in text
    assert "secret" not in text and "plan-x" not in text and "team2" not in text and "top plan" not in text


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_the_search_page_passes_axe_at_both_widths(viewer_page, browser_connection, key_prefix, width, theme):
    page = viewer_page
    put(key_prefix, NAMES)
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=theme)
    page.goto(f"/files/primary/search/?prefix={key_prefix}")
    assert serious_violations(page) == [], f"empty, {width} px, {theme}"
    search_for(page, "match")
    expect(status(page)).to_have_text("Finished: 4 matches, 5 files scanned.")
    expect(page.locator("#search-rows tr")).to_have_count(4)
    shoot(page, f"search-{width}-{theme}")
    assert serious_violations(page) == [], f"results, {width} px, {theme}"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scrolling"


def test_a_name_made_of_markup_or_invisible_characters_is_shown_as_text(viewer_page, browser_connection, key_prefix):
    page = viewer_page
    put(key_prefix, ['<img src=x id=injected>match.txt', "<b onclick=x>bold match.txt", "match invoice\u202efdp.exe"])
    page.goto(f"/files/primary/search/?prefix={key_prefix}&q=MATCH")  # a search in the URL runs when the page opens
    expect(status(page)).to_have_text("Finished: 3 matches, 3 files scanned.")
    expect(page.get_by_role("link", name="<b onclick=x>bold match.txt")).to_be_visible()
    assert page.locator("#search-rows img, #search-rows b, #injected").count() == 0
    page.get_by_role("link", name="match invoice[U+202E]fdp.exe").click()  # the override written out, the key kept
    expect(page.get_by_role("heading", level=1)).to_have_text("match invoice[U+202E]fdp.exe")
