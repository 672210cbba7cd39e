"""The strict Content-Security-Policy blocks nothing the console itself needs."""

from __future__ import annotations

import struct
import time
import zlib

from playwright.sync_api import expect

from console.shares import service
from storage.factory import get_gateway


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)  # 2x2, 8-bit RGB
    pixels = zlib.compress(b"\x00" + b"\xff\x00\x00" * 2 + b"\x00" + b"\x00\x00\xff" * 2)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def directives(header: str) -> dict[str, list[str]]:
    parts = [part.split() for part in header.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


def watch_for_csp(page) -> list[str]:
    violations: list[str] = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    return violations


def image_loaded(page, selector: str, timeout: float = 10.0) -> bool:
    """Polled from here: wait_for_function evaluates a string in the page, which this very policy may refuse
    (no 'unsafe-eval'), so the wait itself failed now and then; a function sent with evaluate is not eval."""
    image = page.locator(selector)
    deadline = time.monotonic() + timeout
    while not image.evaluate("img => img.complete") and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    return image.evaluate("img => img.naturalWidth") == 2


def test_previews_and_uploads_reach_storage_under_the_policy(editor_page, browser_connection, key_prefix, users):
    page = editor_page
    violations = watch_for_csp(page)
    gateway = get_gateway()
    gateway.simple_upload("primary", key_prefix + "dot.png", tiny_png(), content_type="image/png")
    gateway.simple_upload("primary", key_prefix + "notes.txt", b"first line\nsecond line\n", content_type="text/plain")

    response = page.goto(f"/files/primary/object/?key={key_prefix}dot.png")
    policy = directives(response.headers["content-security-policy"])
    assert policy["script-src"] == ["'self'"]  # no unsafe-inline, no unsafe-eval, no other origin
    assert image_loaded(page, ".preview img")

    page.goto(f"/files/primary/object/?key={key_prefix}notes.txt")
    expect(page.locator("pre.text-preview")).to_contain_text("second line")

    _share, token = service.create_share(user=users["editor"], kind="file", connection="primary",
                                         key=key_prefix + "dot.png")
    page.goto(f"/s/{token}/")
    assert image_loaded(page, "img.preview")

    page.goto(f"/files/primary/?prefix={key_prefix}")  # the upload widget starts without violations
    page.wait_for_load_state("networkidle")
    assert violations == []
