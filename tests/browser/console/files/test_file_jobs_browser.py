"""Background jobs from the file manager in a real Chromium: real clicks, a real `manage.py jobs_worker`
process on the live server's database, SeaweedFS behind. The progress bar is watched as a person sees it.
"""

from __future__ import annotations

import re
import time

import pytest

from console.jobs.models import Job
from tests.integration.console.jobs.support import names_under, put_all
from tests.integration.console.jobs.workers import Workers

# Copies of this many small objects take the worker several seconds, with a checkpoint every 100.
MANY = 2500


@pytest.fixture
def worker(tmp_path, browser_connection):
    """One worker process, as `make run` starts beside the server; killed at the end of the test."""
    workers = Workers(tmp_path, JOBS_IN_FLIGHT="4", JOBS_BATCH_OBJECTS="100")
    yield workers
    workers.stop_all()


def open_folder(page, prefix: str) -> None:
    page.goto(f"/files/primary/?prefix={prefix}")


def bar_readings(page, card, until_state: str, timeout: float = 120) -> list[str]:
    """The card's progress bar's aria-valuenow, read every 100 ms, until the card shows `until_state`."""
    readings: list[str] = []
    deadline = time.monotonic() + timeout
    while card.get_attribute("data-state") != until_state:
        assert time.monotonic() < deadline, f"the job did not reach {until_state}: {readings}"
        # In one read: the panel's poll may replace the card, or drop its bar at the end, between two reads.
        value = card.evaluate("c => c.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow') ?? null")
        if value is not None and (not readings or readings[-1] != value):
            readings.append(value)
        page.wait_for_timeout(100)
    return readings


def test_copying_a_large_folder_shows_the_bar_moving_then_the_copy_in_the_listing(
        editor_page, worker, key_prefix, capsys):
    page = editor_page
    put_all({f"{key_prefix}photos/{n % 4}/p{n:05}.jpg": b"%05d" % n for n in range(MANY)})
    worker.start()
    open_folder(page, key_prefix)
    page.get_by_label("Select folder photos").check()
    page.get_by_role("button", name="Copy or move selected (1)").click()
    page.get_by_role("heading", name=f"Copy or move {key_prefix}photos/").wait_for()
    page.get_by_label("Destination folder").fill(f"/{key_prefix}backup")
    page.get_by_role("button", name="Copy", exact=True).click()

    page.get_by_text("Started: Copy").wait_for()
    card = page.locator("#jobs-panel article.job-card").first
    started = time.monotonic()
    readings = bar_readings(page, card, "done")
    with capsys.disabled():
        print(f"\n[measure] copy of {MANY} objects: {time.monotonic() - started:.1f} s, the bar read {readings}")
    assert len([r for r in readings if r not in ("0", "100")]) >= 2, f"the bar did not visibly move: {readings}"
    assert [int(r) for r in readings] == sorted(int(r) for r in readings), readings
    assert f"{MANY:,} of {MANY:,} objects" in card.inner_text()
    assert page.locator("#jobs-announce").inner_text().startswith("Copy ")  # said aloud once, at the end
    page.locator("#listing").get_by_role("link", name="backup/").wait_for()  # the listing refreshed by itself
    assert page.locator("#jobs-panel[hx-trigger]").count() == 0  # nothing runs: no more polling

    expected = sorted(f"{n % 4}/p{n:05}.jpg" for n in range(MANY))
    assert names_under(f"{key_prefix}backup/photos/") == expected
    assert names_under(f"{key_prefix}photos/") == expected
    assert page.js_errors == []


def test_a_move_is_cancelled_from_the_panel_within_seconds_and_resumed_to_its_end(
        editor_page, worker, key_prefix, capsys):
    page = editor_page
    worker.env.update(JOBS_IN_FLIGHT="1", JOBS_BATCH_OBJECTS="20")  # slow enough to be caught halfway
    count = 600
    put_all({f"{key_prefix}old/f{n:04}.txt": b"%04d" % n for n in range(count)})
    worker.start()
    open_folder(page, f"{key_prefix}old/")
    page.get_by_role("button", name="More for this folder").click()
    page.get_by_role("link", name="Copy or move this folder").click()
    page.get_by_label("Move").check()
    page.get_by_label("Name there").fill("new")
    page.get_by_role("button", name="Move", exact=True).click()

    card = page.locator("#jobs-panel article.job-card").first
    card.locator("[role=progressbar][aria-valuenow]:not([aria-valuenow='0'])").wait_for(timeout=60_000)
    card.get_by_role("link").first.focus()  # by keyboard: the job's title, then its Cancel button
    page.keyboard.press("Tab")
    cancel_id = page.evaluate("document.activeElement.id")
    assert re.fullmatch(r"job-\d+-cancel-panel", cancel_id), cancel_id
    page.wait_for_timeout(2500)  # a poll replaces the panel: the focus stays on Cancel
    assert page.evaluate("document.activeElement.id") == cancel_id
    clicked = time.monotonic()
    page.keyboard.press("Enter")
    card.get_by_text("Cancelling").first.wait_for()
    page.wait_for_selector(f"#jobs-panel article.job-card[data-job='{card.get_attribute('data-job')}']"
                           "[data-state='cancelled']", timeout=15_000)
    took = time.monotonic() - clicked
    with capsys.disabled():
        print(f"\n[measure] Cancel pressed to the card saying cancelled: {took:.1f} s")
    assert took < 10, f"cancelling took {took:.1f} s"

    job = Job.objects.get()
    moved, left = names_under(f"{key_prefix}new/"), names_under(f"{key_prefix}old/")
    assert 0 < len(moved) < count and set(moved) | set(left) == {f"f{n:04}.txt" for n in range(count)}
    # Done means moved: at most the one object in flight was copied without its source being deleted yet.
    assert job.state == Job.State.CANCELLED and job.objects_done <= len(moved) <= job.objects_done + 1

    page.locator("#jobs-panel").get_by_role("button", name=re.compile("^Resume")).click()
    page.wait_for_selector(f"#jobs-panel article.job-card[data-job='{job.pk}'][data-state='done']", timeout=120_000)
    assert names_under(f"{key_prefix}new/") == [f"f{n:04}.txt" for n in range(count)]
    assert names_under(f"{key_prefix}old/") == []
    assert page.js_errors == []


@pytest.mark.parametrize("width", [1280, 390])
def test_a_delete_counted_as_at_least_shows_a_filled_bar_that_says_at_least(
        editor_page, browser_connection, key_prefix, monkeypatch, width):
    """The confirmation counts one listing page ("at least 10"); the bar shows done of at least that, not a
    bar that only pulses, and says "at least" in its text and to a screen reader."""
    from console.files import selection
    from tests.browser.conftest import ARTIFACTS

    page = editor_page
    page.set_viewport_size({"width": width, "height": 800})
    monkeypatch.setattr(selection, "COUNT_PAGE", 10)  # the live server runs in this process
    put_all({f"{key_prefix}old/f{n:02}.txt": b"x" for n in range(30)})
    open_folder(page, f"{key_prefix}old/")
    page.get_by_role("button", name="More for this folder").click()
    page.get_by_role("link", name="Delete this folder").click()
    page.get_by_text("It holds at least 10 files").wait_for()
    page.get_by_role("button", name="Delete the folder and its at least 10 files").click()
    job = Job.objects.get()
    assert (job.objects_total, job.objects_total_at_least) == (10, True)
    # What a worker writes at a checkpoint of a bigger folder: 1,000 deleted, at least 4,000 seen so far.
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, phase="working", objects_done=1000,
                                         objects_total=4000, rate_objects=400)
    card = page.locator(f"#jobs-panel article.job-card[data-job='{job.pk}']")
    card.locator(".job-counts", has_text="1,000 of at least 4,000 objects").wait_for(timeout=10_000)  # next poll
    bar = card.locator("[role=progressbar]")
    assert "indeterminate" not in bar.get_attribute("class")
    assert "left" not in card.inner_text()  # no time left promised: there may be more
    assert bar.get_attribute("aria-valuenow") == "25" and bar.get_attribute("aria-valuetext") == \
        "1,000 of at least 4,000 objects"
    fill = bar.locator(".job-bar-fill").bounding_box()
    assert abs(fill["width"] / bar.bounding_box()["width"] - 0.25) < 0.02
    assert card.bounding_box()["x"] + card.bounding_box()["width"] <= width  # nothing runs off a phone's screen
    ARTIFACTS.mkdir(exist_ok=True)
    card.screenshot(path=str(ARTIFACTS / f"jobs-bar-at-least-{width}.png"))  # looked at: see the report
    page.screenshot(path=str(ARTIFACTS / f"jobs-bar-at-least-{width}-page.png"), full_page=True)


def test_a_folder_is_copied_to_another_connection_through_the_dialog(editor_page, worker, key_prefix,
                                                                      other_seaweedfs, capsys):
    """Connection "backup" is a second SeaweedFS with its own credentials: the worker streams the bytes."""
    from tests.conftest import add_connection, seaweed_spec

    add_connection(seaweed_spec(other_seaweedfs, name="backup", is_default=False))
    page = editor_page
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    files = {f"{key_prefix}photos/{n % 2}/p{n:03}.jpg": b"%03d" % n for n in range(40)}
    put_all(files)
    worker.start()
    open_folder(page, key_prefix)
    page.get_by_label("Select folder photos").check()
    page.get_by_role("button", name="Copy or move selected (1)").click()
    page.get_by_role("heading", name=f"Copy or move {key_prefix}photos/").wait_for()
    to = page.get_by_label("To connection")
    assert to.input_value() == "primary"  # this connection unless the person chooses another
    box = to.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box  # fits the phone's width
    to.focus()
    to.select_option("backup")
    page.get_by_label("Destination folder").fill(f"{key_prefix}archive")
    page.get_by_role("button", name="Copy", exact=True).click()

    page.get_by_text("Started: Copy from primary:").wait_for()
    card = page.locator("#jobs-panel article.job-card").first
    started = time.monotonic()
    page.wait_for_selector("#jobs-panel article.job-card[data-state='done']", timeout=120_000)
    with capsys.disabled():
        print(f"\n[measure] copy of {len(files)} objects to another storage: {time.monotonic() - started:.1f} s")
    assert f"Copy from primary:{key_prefix}photos/ to backup:{key_prefix}archive/photos/" in card.inner_text()

    page.goto(f"/files/backup/?prefix={key_prefix}archive/")
    page.locator("#listing").get_by_role("link", name="photos/").click()
    page.locator("#listing").get_by_role("link", name="0/").click()
    page.locator("#listing").get_by_role("link", name="p000.jpg", exact=True).wait_for()
    assert names_under(f"{key_prefix}archive/photos/", "backup") == sorted(k[len(key_prefix) + 7:] for k in files)
    assert names_under(f"{key_prefix}photos/") == sorted(k[len(key_prefix) + 7:] for k in files)  # a copy
    assert page.js_errors == []
