"""The gallery (lazy thumbnails, a lightbox by keys) and sorting the whole folder, in Chromium on real SeaweedFS."""

from __future__ import annotations

import re
import struct
import zlib

import pytest
from playwright.sync_api import expect

from console.files import sorted_listing
from console.files.views import browse
from storage.factory import get_gateway
from tests.browser.axe import no_serious_violations_in_both_themes
from tests.browser.conftest import signed_in
from tests.browser.screens import shoot

COLOURS = [(0xd9, 0x48, 0x3b), (0x2e, 0x86, 0xc1), (0x27, 0xae, 0x60), (0xf3, 0x9c, 0x12), (0x8e, 0x44, 0xad)]


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A real PNG of one colour (no imaging library needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\0" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


@pytest.fixture
def pictures(browser_connection, key_prefix) -> str:
    """A folder of 60 pictures (640×480, ~2 KB each), one too large for a thumbnail, a text file and a subfolder."""
    gateway = get_gateway()
    for i in range(60):
        gateway.simple_upload("primary", f"{key_prefix}photo-{i:02}.png", png(640, 480, COLOURS[i % len(COLOURS)]),
                              content_type="image/png")
    gateway.simple_upload("primary", key_prefix + "notes.txt", b"hello", content_type="text/plain")
    gateway.simple_upload("primary", key_prefix + "trips/x.png", png(4, 4, COLOURS[0]), content_type="image/png")
    return key_prefix


def thumbnail_requests(page) -> list[str]:
    requested: list[str] = []
    page.on("request", lambda r: "/thumbnail/?" in r.url and r.resource_type == "image" and requested.append(r.url))
    return requested


@pytest.fixture
def viewer_page(page, users, live_server):
    """Signed in as a viewer: the gallery and sorting are for anyone who may read the folder."""
    return signed_in(page, users["viewer"], live_server)


def test_the_gallery_loads_thumbnails_lazily_and_is_remembered(viewer_page, pictures, monkeypatch):
    from console.files import gallery

    page = viewer_page
    monkeypatch.setattr(gallery, "THUMBNAIL_MAX_BYTES", 5000)  # each photo is ~2 KB; the poster is bigger
    get_gateway().simple_upload("primary", pictures + "poster.png", png(200, 200, COLOURS[1]) + b"\0" * 6000,
                                content_type="image/png")
    requested = thumbnail_requests(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/files/primary/?prefix={pictures}")
    page.get_by_role("link", name="Gallery").click()
    expect(page).to_have_url(re.compile(r"view=gallery"))
    tiles = page.locator("#gallery-tiles")
    expect(tiles.get_by_role("link", name="trips/")).to_be_visible()
    first = tiles.locator("img").first
    expect(first).to_have_js_property("complete", True)
    assert first.evaluate("img => img.naturalWidth") == 640  # the real picture, through the presigned GET
    loaded = len(requested)
    assert 0 < loaded < 60, loaded  # lazily: the pictures far below the fold are not asked for yet
    expect(tiles.locator("li.large")).to_contain_text("too large for a thumbnail")
    assert tiles.locator("li.large img").count() == 0 and tiles.locator("li.file img").count() == 0

    last = tiles.locator("img").last
    last.scroll_into_view_if_needed()
    expect(last).to_have_js_property("complete", True)
    assert last.evaluate("img => img.naturalWidth") == 640
    assert len(requested) > loaded

    page.goto(f"/files/primary/?prefix={pictures}trips/")  # another folder: still the gallery
    expect(page.locator("#gallery-tiles img")).to_have_count(1)
    expect(page.get_by_role("link", name="Gallery")).to_have_attribute("aria-current", "page")
    assert page.js_errors == []


def test_the_lightbox_steps_with_arrows_keeps_focus_and_gives_it_back(viewer_page, pictures):
    page = viewer_page
    page.goto(f"/files/primary/?prefix={pictures}&view=gallery")
    shoot(page, "gallery", settle=True)
    no_serious_violations_in_both_themes(page)
    tile = page.locator("#gallery-tiles").get_by_role("link", name="photo-01.png")
    tile.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="photo-01.png")
    expect(dialog).to_be_visible()
    expect(dialog.locator("img")).to_have_js_property("complete", True)
    assert dialog.locator("img").evaluate("img => img.naturalWidth") == 640
    expect(dialog.get_by_role("link", name="Open its page")).to_have_attribute("href", re.compile(r"photo-01\.png$"))
    shoot(page, "gallery-lightbox", settle=True)
    no_serious_violations_in_both_themes(page)

    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("dialog", name="photo-02.png")).to_be_visible()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")  # round past the first to the last picture
    expect(page.get_by_role("dialog", name="photo-59.png")).to_be_visible()
    page.locator("dialog#lightbox").get_by_role("button", name="Next").click()
    expect(page.get_by_role("dialog", name="photo-00.png")).to_contain_text("1 of 60")

    for _ in range(7):  # Tab goes round the dialog's controls, never out to the page behind it
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('dialog') !== null")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.closest('dialog') !== null")

    page.keyboard.press("Escape")
    expect(page.locator("dialog#lightbox")).not_to_be_visible()
    expect(tile).to_be_focused()  # back where the person was
    assert page.js_errors == []


def test_sorting_by_size_reads_the_whole_folder_and_puts_the_biggest_first(viewer_page, browser_connection,
                                                                          key_prefix, monkeypatch):
    monkeypatch.setattr(browse, "PAGE_SIZE", 3)
    monkeypatch.setattr(sorted_listing, "KEYS_PER_CALL", 2)  # so the sort needs several listing calls
    gateway = get_gateway()
    sizes = {"a.txt": 300, "b.txt": 100, "c.txt": 500, "d.txt": 200, "zz-biggest.bin": 90_000}
    for name, size in sizes.items():
        gateway.simple_upload("primary", key_prefix + name, b"x" * size)
    gateway.simple_upload("primary", key_prefix + "sub/inner.txt", b"x")
    page = viewer_page
    page.goto(f"/files/primary/?prefix={key_prefix}")
    names = page.locator("#rows td.name a")
    expect(names).to_have_text(["a.txt", "b.txt", "c.txt"])  # S3's order; the biggest is on a later page

    page.get_by_role("link", name="Size", exact=True).click()
    expect(page).to_have_url(re.compile(r"sort=size&order=desc"))
    expect(names).to_have_text(["sub/", "zz-biggest.bin", "c.txt"])  # folders first, then the biggest
    expect(page.get_by_role("columnheader", name="Size")).to_have_attribute("aria-sort", "descending")
    expect(page.locator(".sort-note")).to_contain_text("Sorted by size, largest first: read 6 entries in 3 listing calls.")
    shoot(page, "sorted-by-size", settle=True)
    no_serious_violations_in_both_themes(page)

    page.get_by_role("link", name="Load more").click()
    expect(names).to_have_text(["sub/", "zz-biggest.bin", "c.txt", "a.txt", "d.txt", "b.txt"])
    expect(page.get_by_role("link", name="Load more")).to_have_count(0)

    page.get_by_role("link", name="Size", exact=True).click()  # again: smallest first
    expect(names).to_have_text(["sub/", "b.txt", "d.txt"])
    page.reload()  # a real URL: the same order without JavaScript's help
    expect(names).to_have_text(["sub/", "b.txt", "d.txt"])
    expect(page.get_by_role("columnheader", name="Size")).to_have_attribute("aria-sort", "ascending")
    assert page.js_errors == []


def test_the_lightbox_stays_open_with_its_focus_when_the_listing_refreshes(viewer_page, pictures):
    """An upload batch or a job ending refreshes the listing (files-changed) while a picture is open: the dialog
    must not go with it (focus would drop to the page's body), and it steps through the folder as it now is."""
    page = viewer_page
    page.goto(f"/files/primary/?prefix={pictures}&view=gallery")
    page.locator("#gallery-tiles").get_by_role("link", name="photo-01.png").click()
    dialog = page.get_by_role("dialog", name="photo-01.png")
    expect(dialog).to_contain_text("2 of 60")
    get_gateway().simple_upload("primary", pictures + "new.png", png(8, 8, COLOURS[2]), content_type="image/png")
    with page.expect_response(lambda r: "/files/primary/?" in r.url and r.request.headers.get("hx-request")):
        page.evaluate("document.body.dispatchEvent(new CustomEvent('files-changed', {bubbles: true}))")
    expect(page.locator("#gallery-tiles").get_by_role("link", name="new.png")).to_be_visible()
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("3 of 61")  # new.png comes before it now
    assert page.evaluate("document.activeElement.closest('dialog#lightbox') !== null")
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("dialog", name="photo-02.png")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#gallery-tiles").get_by_role("link", name="photo-01.png")).to_be_focused()  # the opener, anew
    assert page.js_errors == []


def test_filtering_a_sorted_folder_keeps_its_order(viewer_page, browser_connection, key_prefix):
    gateway = get_gateway()
    for name, size in {"a-small.txt": 1, "a-big.txt": 900, "b.txt": 5000, "a-mid.txt": 40}.items():
        gateway.simple_upload("primary", key_prefix + name, b"x" * size)
    page = viewer_page
    page.goto(f"/files/primary/?prefix={key_prefix}")
    page.get_by_role("link", name="Size", exact=True).click()
    names = page.locator("#rows td.name a")
    expect(names).to_have_text(["b.txt", "a-big.txt", "a-mid.txt", "a-small.txt"])
    page.get_by_label("Filter by name (starts with)").fill("a-")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"q=a-.*sort=size|sort=size.*q=a-"))
    expect(names).to_have_text(["a-big.txt", "a-mid.txt", "a-small.txt"])  # still largest first
    expect(page.get_by_role("columnheader", name="Size")).to_have_attribute("aria-sort", "descending")
    assert page.js_errors == []
