"""U1 (issue #16 item 16, third row): a real Chromium upload through the file page ÷ boto3 upload_file.

Headless Chromium (Playwright) opens the folder as the bench's editor, chooses the file with the toolbar's
"Upload files" (Playwright answers the file chooser, as a person would), and the clock runs from the choice
to the tray's "done": the existence check, the console's signatures, and the bytes sent by the browser
straight to SeaweedFS (16 MiB parts, 4 in flight, as static/js/uploader.js sends them). The baseline is
boto3's `upload_file` of the same file to the same SeaweedFS, in the same round.
"""

from __future__ import annotations

import time
import uuid

from files_support import CONNECTION, MiB, random_file
from paired import at_least, interleave
from report import Row
from world import World

CHROMIUM = "/usr/bin/chromium"  # the Debian package the browser tests use (tests/conftest.py)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"]


def allow_the_console(w: World) -> None:
    """The bucket's CORS rule lets the console's page PUT to it (what an admin sets once per connection)."""
    from storage import cors
    from storage.connections import StaticRegistry
    from storage.s3.gateway import S3Gateway

    S3Gateway(StaticRegistry([w.spec])).put_bucket_cors(w.spec.name, [cors.needed_rule([w.base])])


def open_context(driver, w: World):
    """Headless Chromium signed in as the bench's editor: (browser, context), every wait up to 10 minutes."""
    browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    host = w.base.split("//", 1)[1].split(":", 1)[0]
    context = browser.new_context(base_url=w.base)
    context.add_cookies([{"name": name, "value": value, "domain": host, "path": "/"}
                         for name, value in w.cookies.items()])
    context.set_default_timeout(600_000)
    return browser, context


def upload_through_page(context, folder: str, path) -> tuple[float, object]:
    """Choose `path` with the folder page's "Upload files": seconds from the choice to the tray's "done", and
    the page (still open: the caller reads the tray, then closes it)."""
    page = context.new_page()
    page.goto(f"/files/{CONNECTION}/?prefix={folder}")
    page.wait_for_selector("#upload[data-ready=true]", state="attached")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Upload files").click()
    started = time.perf_counter()
    chooser.value.set_files(str(path))
    page.wait_for_selector("#upload[data-state=done]", state="attached")
    return time.perf_counter() - started, page


def measure_chromium_upload(w: World) -> list[Row]:
    from playwright.sync_api import sync_playwright

    from storage.s3.client import build_client

    plan, spec = w.plan, w.spec
    path = random_file(w.data / "upload.bin", plan.upload_mib * MiB)
    size = path.stat().st_size
    s3 = build_client(spec)
    allow_the_console(w)
    with sync_playwright() as driver:
        browser, context = open_context(driver, w)

        def chromium() -> float:
            folder = f"u1-{uuid.uuid4().hex}/"
            seconds, page = upload_through_page(context, folder, path)
            page.close()
            s3.delete_object(Bucket=spec.bucket, Key=folder + path.name)
            return size / MiB / seconds

        def boto3() -> float:
            key = f"u1-boto/{uuid.uuid4().hex}.bin"
            started = time.perf_counter()
            s3.upload_file(str(path), spec.bucket, key)
            seconds = time.perf_counter() - started
            s3.delete_object(Bucket=spec.bucket, Key=key)
            return size / MiB / seconds

        chromium()  # warm-up: the browser's caches, the workers' clients
        got = interleave(plan.rounds, {"chromium": chromium, "boto3": boto3}, w.settle_briefly)
        browser.close()
    return [Row("U1", f"Chromium upload {plan.upload_mib} MiB through the file page ÷ boto3 upload_file", "MiB/s",
                got["chromium"], at_least(0.8), got["boto3"],
                note="Playwright chooses the file; clock from the choice to the tray's “done”")]
