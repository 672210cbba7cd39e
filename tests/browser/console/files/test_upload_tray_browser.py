"""The list-first file page and its upload tray (issue #16 items 1-4), in a real Chromium against SeaweedFS:
a drop anywhere on the list uploads, the tray is the one readout with a Retry, uploads keep running while the
person opens other folders (htmx, real history), and a reload resumes in one step with the missing parts only."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from storage.factory import get_gateway
from tests.browser.axe import serious_violations, serve_axe
from tests.browser.conftest import signed_in
from tests.browser.console.files.test_files_browser import (
    PART,
    choose_files,
    drop_file,
    open_folder,
    wait_for_two_parts_in_s3,
)

MiB = 1024 * 1024
SCREENS = Path(__file__).resolve().parents[4] / ".data" / "screens"

# a file made the same way before and after a reload (same bytes, name and modification time), dropped with a
# real DataTransfer on the list
DROP_SAME_FILE_JS = """([name, size, on]) => {
    const bytes = new Uint8Array(size);
    for (let i = 0; i < size; i += 1) bytes[i] = i % 251;
    const data = new DataTransfer();
    data.items.add(new File([bytes], name, { type: "application/octet-stream", lastModified: 1767225600000 }));
    const zone = document.querySelector(on);
    for (const type of ["dragenter", "dragover", "drop"]) {
        zone.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    }
}"""


def pattern_bytes(size: int) -> bytes:
    return (bytes(range(251)) * (size // 251 + 1))[:size]


def drop_same_file(page, name: str, size: int, on: str = "#rows") -> None:
    page.evaluate(DROP_SAME_FILE_JS, [name, size, on])


def part_numbers(page) -> list[int]:
    """The part numbers PUT to the storage from now on."""
    sent: list[int] = []
    page.on("request", lambda r: sent.append(int(PART.search(r.url).group(1)))
            if r.method == "PUT" and PART.search(r.url) else None)
    return sent


def hold_part(page, number: int) -> list:
    """Part `number` gets no answer until the test lets it go (a slow line); the held routes."""
    held: list = []
    page.route(re.compile(rf".*[?&]partNumber={number}(&.*)?$"), lambda route: held.append(route))
    return held


@pytest.fixture
def axe_editor_page(page, users, live_server):
    serve_axe(page)
    return signed_in(page, users["editor"], live_server)


def test_the_list_is_the_page_and_a_drop_anywhere_on_it_uploads(editor_page, browser_connection, key_prefix):
    gateway = get_gateway()
    for n in range(30):
        gateway.simple_upload("primary", f"{key_prefix}file {n:02}.txt", b"x")
    page = editor_page
    choosers: list = []
    page.on("filechooser", lambda chooser: choosers.append(chooser))  # intercepted from the start
    open_folder(page, key_prefix)
    assert not page.locator("#upload").is_visible(), "no upload panel above the list until there is an upload"
    assert page.locator("#rows tr").first.bounding_box()["y"] < 450, "the list starts in the first screen"
    toolbar = page.get_by_role("toolbar")
    for name in ("Upload files", "Upload a folder", "Download folder as zip"):
        expect(toolbar.get_by_role("button", name=name)).to_be_visible()
    expect(toolbar.get_by_role("link", name="New folder")).to_be_visible()
    more = toolbar.get_by_role("button", name="More for this folder")  # the folder's rarer actions, folded
    expect(toolbar.get_by_role("link", name="Share this folder")).to_be_hidden()
    more.press("Enter")
    expect(more).to_have_attribute("aria-expanded", "true")
    expect(toolbar.get_by_role("link", name="Share this folder")).to_be_visible()
    page.keyboard.press("Escape")
    expect(toolbar.get_by_role("link", name="Share this folder")).to_be_hidden()

    row = "#rows tr:nth-child(20) td.size"  # anywhere on the list, not a drop box
    page.dispatch_event(row, "dragenter", {"dataTransfer": page.evaluate_handle(
        "() => { const d = new DataTransfer(); d.items.add(new File(['x'], 'x.txt')); return d; }")})
    overlay = page.locator("#upload-drop")
    expect(overlay).to_be_visible()
    assert overlay.inner_text() == f"Drop to upload into {key_prefix}"
    drop_file(page, "dropped on a row ☂.txt", "from a drop anywhere", on=row)
    expect(overlay).to_be_hidden()
    page.wait_for_selector("#upload[data-state=done]")
    expect(page.locator("#upload-files")).to_contain_text("dropped on a row ☂.txt")
    expect(page.locator("#upload-files")).to_contain_text(f"to {key_prefix}")
    page.locator("#listing").get_by_role("link", name="dropped on a row ☂.txt", exact=True).wait_for()
    assert gateway.download_file("primary", key_prefix + "dropped on a row ☂.txt") == b"from a drop anywhere"

    page.get_by_role("button", name="Upload files").focus()  # the keyboard's way in: the toolbar's buttons
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    assert len(choosers) == 1 and choosers[0].is_multiple()
    assert page.js_errors == []


def test_a_folder_keeps_its_structure(editor_page, browser_connection, key_prefix, tmp_path):
    album = tmp_path / "album été"
    (album / "2026").mkdir(parents=True)
    (album / "cover.txt").write_text("cover")
    (album / "2026" / "beach.txt").write_text("beach")
    page = editor_page
    open_folder(page, key_prefix)
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Upload a folder").click()
    chooser.value.set_files(str(album))
    page.wait_for_selector("#upload[data-state=done]")
    gateway = get_gateway()
    assert gateway.download_file("primary", key_prefix + "album été/2026/beach.txt") == b"beach"
    assert gateway.download_file("primary", key_prefix + "album été/cover.txt") == b"cover"


def test_an_error_stays_in_the_tray_with_a_retry_that_sends_it(axe_editor_page, browser_connection, key_prefix,
                                                               tmp_path):
    page = axe_editor_page
    failing = re.compile(r".*/flaky%20line\.txt(\?.*)?$")
    page.route(failing, lambda route: route.abort() if route.request.method == "PUT" else route.continue_())
    small = tmp_path / "flaky line.txt"
    small.write_text("sent on the second try")
    open_folder(page, key_prefix)
    choose_files(page, [small])
    page.wait_for_selector("#upload[data-state=failed]", timeout=30_000)
    line = page.locator("#upload-files li", has_text="flaky line.txt")
    expect(line).to_contain_text("failed (The browser could not reach the storage.)")
    expect(page.locator("#upload-live")).to_have_text("0 files uploaded, 1 failed.")
    for theme in ("light", "dark"):
        page.emulate_media(color_scheme=theme)
        assert serious_violations(page) == [], f"the tray with an error, {theme}"

    toggle = page.get_by_role("button", name="Uploads")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(line).to_be_hidden()
    page.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-expanded", "true")

    page.unroute(failing)
    line.get_by_role("button", name="Retry flaky line.txt").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#upload[data-state=done]")
    expect(line).to_contain_text("done")
    assert get_gateway().download_file("primary", key_prefix + "flaky line.txt") == b"sent on the second try"
    assert page.js_errors == []


def test_an_upload_keeps_running_while_the_person_opens_other_folders(editor_page, browser_connection, key_prefix,
                                                                      tmp_path):
    gateway = get_gateway()
    gateway.simple_upload("primary", key_prefix + "elsewhere/already here.txt", b"x")
    big = tmp_path / "long video.bin"
    big.write_bytes(pattern_bytes(40 * MiB))
    page = editor_page
    held = hold_part(page, 2)
    open_folder(page, key_prefix)
    page.evaluate("window.__samePage = true")
    choose_files(page, [big])
    page.wait_for_function("() => document.querySelector('#upload-total').textContent.startsWith('Total:')")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "part 2 is on its way when the person leaves the folder"

    page.get_by_role("link", name="elsewhere/", exact=True).click()
    page.wait_for_url(re.compile(r"prefix=.*elsewhere%2F$|prefix=.*elsewhere/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("elsewhere")
    expect(page.locator("#listing")).to_contain_text("already here.txt")
    assert page.evaluate("window.__samePage") is True, "the list region was swapped, not the page"
    expect(page.locator("#upload-files")).to_contain_text(f"to {key_prefix}")  # where it goes, shown in the tray

    for route in held:
        route.continue_()
    page.unroute(re.compile(r".*[?&]partNumber=2(&.*)?$"))
    page.wait_for_selector("#upload[data-state=done]", timeout=60_000)
    meta = gateway.get_object_meta("primary", key_prefix + "long video.bin")  # the folder it was started in
    assert meta.size == 40 * MiB
    assert [o.name for o in gateway.list_objects("primary", key_prefix + "elsewhere/").objects] == ["already here.txt"]

    page.go_back()
    page.wait_for_url(re.compile(rf"prefix={re.escape(key_prefix.replace('/', '%2F'))}$|prefix={re.escape(key_prefix)}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(key_prefix.rstrip("/").rsplit("/", 1)[-1])
    page.locator("#listing").get_by_role("link", name="long video.bin", exact=True).wait_for()  # fresh, not a stale copy
    page.go_forward()
    expect(page.get_by_role("heading", level=1)).to_have_text("elsewhere")
    assert page.evaluate("window.__samePage") is True
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="primary").click()
    page.wait_for_url(re.compile(r"/files/primary/$"))
    assert page.evaluate("window.__samePage") is True
    assert page.js_errors == []


def test_after_a_reload_dropping_the_same_file_again_sends_only_the_missing_parts(
        editor_page, browser_connection, key_prefix):
    page = editor_page
    size = 40 * MiB  # three parts: 16, 16 and 8 MiB
    hold_part(page, 3)
    open_folder(page, key_prefix)
    drop_same_file(page, "resume by drop.bin", size)
    wait_for_two_parts_in_s3(page, key_prefix)
    gateway = get_gateway()

    page.reload()
    page.unroute(re.compile(r".*[?&]partNumber=3(&.*)?$"))
    sent_after_reload = part_numbers(page)
    tray = page.locator("#upload")
    tray.get_by_text("1 unfinished upload from before").wait_for()  # the tray lists it, no other step
    expect(page.locator("#upload-files")).to_contain_text("resume by drop.bin")
    expect(page.locator("#upload-files")).to_contain_text("waiting for the file")
    drop_same_file(page, "resume by drop.bin", size)  # dropped anywhere on the list: matched, continued
    page.wait_for_selector("#upload[data-state=done]", timeout=60_000)

    assert sent_after_reload == [3]
    data = gateway.download_file("primary", key_prefix + "resume by drop.bin")
    assert hashlib.sha256(data).digest() == hashlib.sha256(pattern_bytes(size)).digest()
    assert gateway.list_multipart_uploads("primary", key_prefix) == []
    expect(page.locator("#upload-resume")).to_be_hidden()
    assert page.js_errors == []


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_screens_of_the_tray_uploading_and_with_an_error(axe_editor_page, browser_connection, key_prefix, tmp_path,
                                                          width, theme):
    gateway = get_gateway()
    for n, name in enumerate(["a folder/", "quarterly report for the board, final v2.pdf", "notes été 🎉.txt",
                              "photo 2026-05-01 at the lake.jpg", "z.csv"]):
        gateway.simple_upload("primary", key_prefix + name + ("x" if name.endswith("/") else ""), b"x" * (n * 900 + 5))
    big, bad = tmp_path / "holiday video 2026.mp4", tmp_path / "refused file.txt"
    big.write_bytes(pattern_bytes(40 * MiB))
    bad.write_text("never arrives")
    page = axe_editor_page
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=theme)
    page.route(re.compile(r".*/refused%20file\.txt(\?.*)?$"),
               lambda route: route.abort() if route.request.method == "PUT" else route.continue_())
    held = hold_part(page, 2)
    open_folder(page, key_prefix)
    choose_files(page, [big, bad])
    page.wait_for_selector("#upload-files li.failed", state="attached", timeout=30_000)
    page.wait_for_function("() => document.querySelector('#upload-total').textContent.startsWith('Total:')")
    expect(page.locator("#upload-total")).to_contain_text("1 failed")  # seen even when the tray is one line
    toggle = page.get_by_role("button", name="Uploads")
    opened = toggle.get_attribute("aria-expanded") == "true"
    assert opened is (width > 640), "on a phone the tray starts as one line, off the list"
    SCREENS.mkdir(parents=True, exist_ok=True)
    for state in ("uploading-error", "collapsed") if opened else ("collapsed", "uploading-error"):
        page.screenshot(path=str(SCREENS / f"tray-{state}-{width}-{theme}.png"))
        assert serious_violations(page) == [], f"the tray ({state}) at {width} px, {theme}"
        toggle.click()
    page.dispatch_event("#rows tr:first-child td.name", "dragenter", {"dataTransfer": page.evaluate_handle(
        "() => { const d = new DataTransfer(); d.items.add(new File(['x'], 'x.txt')); return d; }")})
    page.screenshot(path=str(SCREENS / f"drop-overlay-{width}-{theme}.png"))
    for route in held:
        route.abort()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_folder_menu_opens_inside_the_screen(editor_page, browser_connection, key_prefix, width):
    """"More for this folder" holds the folder's rarer actions; its panel is wholly on screen at both widths."""
    get_gateway().simple_upload("primary", f"{key_prefix}sub/a.txt", b"x")
    page = editor_page
    page.set_viewport_size({"width": width, "height": 800})
    open_folder(page, f"{key_prefix}sub/")
    page.get_by_role("button", name="More for this folder").click()
    panel = page.locator("#folder-actions")
    expect(panel).to_be_visible()
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"folder-menu-{width}-light.png"))
    page.get_by_role("link", name="Delete this folder").click()
    expect(page.get_by_role("heading", name=re.compile("Delete the folder"))).to_be_visible()


def test_leaving_the_file_manager_while_an_upload_runs_asks_first(editor_page, browser_connection, key_prefix,
                                                                 tmp_path):
    big = tmp_path / "still going.bin"
    big.write_bytes(pattern_bytes(40 * MiB))
    page = editor_page
    held = hold_part(page, 2)
    open_folder(page, key_prefix)
    choose_files(page, [big])
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "part 2 is on its way"
    asked: list[str] = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # "Stay on page"

    page.on("dialog", stay)
    page.get_by_role("link", name="Search below this folder").click()
    page.wait_for_timeout(1000)
    assert asked == ["beforeunload"]
    assert "/search/" not in page.url

    for route in held:
        route.continue_()
    page.unroute(re.compile(r".*[?&]partNumber=2(&.*)?$"))
    page.wait_for_selector("#upload[data-state=done]", timeout=60_000)
    asked.clear()
    page.get_by_role("link", name="Search below this folder").click()
    page.wait_for_url(re.compile(r"/search/"))
    assert asked == [], "nothing left running: nothing to ask"
