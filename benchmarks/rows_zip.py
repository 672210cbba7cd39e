"""Z1 (issue #16 item 16): the zip download of a folder in headless Chromium ÷ the same files one by one.

The folder holds 100 files (1 GiB in all; --quick: 64 MiB). The subject clicks "Download folder as zip" on
the folder's page and waits for the download to be complete on disk (the service worker lists, GETs and zips:
static/js/zip_worker.js). The baseline, in the same Chromium, downloads each file from its presigned URL
(signed beforehand, not timed), one after the other, each to completion. Both are MiB/s of the files' bytes.
"""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

from files_support import CONNECTION, MiB
from paired import at_least, interleave
from report import Row
from world import World

FILES = 100
CHROMIUM = "/usr/bin/chromium"  # Debian's, as the browser tests use (tests/conftest.py)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
FOLDER = "zip-folder/"


def _fill(w: World, size: int) -> list[str]:
    """The folder's files (made once per run), and the bucket's CORS rule for the console's origin."""
    from storage import cors
    from storage.connections import StaticRegistry
    from storage.s3.gateway import S3Gateway

    gateway = S3Gateway(StaticRegistry([w.spec]))
    gateway.put_bucket_cors(CONNECTION, cors.merge(gateway.get_bucket_cors(CONNECTION), cors.needed_rule([w.base])))
    keys = [f"{FOLDER}file-{n:03d}.bin" for n in range(FILES)]
    existing = {o.key: o.size for o in gateway.list_objects(CONNECTION, FOLDER, delimiter="").objects}
    block = os.urandom(MiB)
    data = block * (size // MiB) + block[:size % MiB]
    for key in keys:
        if existing.get(key) != size:
            gateway.upload_file(CONNECTION, key, io.BytesIO(data), size)
    return keys


def _browser(w: World):
    from playwright.sync_api import sync_playwright

    driver = sync_playwright().start()
    browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    context = browser.new_context(base_url=w.base, accept_downloads=True)
    context.set_default_timeout(600_000)
    context.add_cookies([{"name": k, "value": v, "url": w.base} for k, v in w.cookies.items()])
    return driver, browser, context.new_page()


def _zip_sample(page, total: int) -> float:
    page.goto(f"/files/{CONNECTION}/?prefix={FOLDER}")
    started = time.perf_counter()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download folder as zip").click()
    download = info.value
    path = Path(download.path())  # waits for the last byte
    elapsed = time.perf_counter() - started
    if download.failure() or path.stat().st_size < total:
        raise SystemExit(f"Z1: the zip download failed ({download.failure()}, {path.stat().st_size} bytes)")
    download.delete()
    return total / MiB / elapsed


def _one_by_one_sample(page, w: World, keys: list[str], total: int) -> float:
    # Signed from the connection's spec: Playwright's sync API runs an event loop, where Django refuses the ORM.
    from storage.connections import StaticRegistry
    from storage.s3.gateway import S3Gateway

    gateway = S3Gateway(StaticRegistry([w.spec]))
    urls = [gateway.get_download_url(CONNECTION, key, 900, filename=key.rsplit("/", 1)[-1]) for key in keys]
    page.goto(f"/files/{CONNECTION}/?prefix={FOLDER}")
    started = time.perf_counter()
    for url in urls:
        with page.expect_download() as info:
            page.evaluate("""url => { const a = document.createElement("a"); a.href = url; a.download = "";
                                      document.body.append(a); a.click(); a.remove(); }""", url)
        download = info.value
        download.path()  # to completion, before the next one
        download.delete()
    return total / MiB / (time.perf_counter() - started)


def measure_zip(w: World) -> list[Row]:
    size = w.plan.zip_mib * MiB // FILES
    keys = _fill(w, size)
    total = size * FILES
    driver, browser, page = _browser(w)
    try:
        _zip_sample(page, total)  # warm: the worker is installed, the console's code loaded
        got = interleave(w.plan.rounds, {"zip": lambda: _zip_sample(page, total),
                                         "files": lambda: _one_by_one_sample(page, w, keys, total)},
                         before_each=w.settle_briefly)
    finally:
        browser.close()
        driver.stop()
    return [Row("Z1", f"zip download of a folder of {FILES} files, {w.plan.zip_mib:,} MiB, in headless Chromium "
                      "÷ the same files one by one from presigned URLs", "MiB/s", got["zip"], at_least(0.8),
                got["files"], note="both to completion on disk; the zip is built by the page's service worker")]
