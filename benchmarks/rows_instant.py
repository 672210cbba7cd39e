"""I1 (issue #19 item 6): re-uploading a file the storage holds already ÷ uploading it fresh, in headless Chromium.

The connection has instant uploads on for this row. Each sample chooses a file (1 GiB; quick 48 MiB) with the
toolbar's "Upload files" into a folder of its own, and the clock runs from the choice to the tray's "done".
Fresh: a file of the same size with other bytes; the browser hashes it (SHA-256, hash-wasm in a worker), the
console finds it nowhere (its last sample's object was deleted: the index's row is checked and dropped) and the
bytes go to SeaweedFS as a multipart upload carrying the hash. Again: the browser hashes the file the warm-up
uploaded, the console finds that object in its index, checks it, and SeaweedFS copies it server-side; the
tray must say "copied" (else the sample fails). Hashing dominates the second.
"""

from __future__ import annotations

import time
import uuid

from files_support import CONNECTION, MiB, random_file
from paired import at_most, interleave
from report import Row
from rows_browser_upload import allow_the_console, open_context, upload_through_page
from world import World


def _instant_uploads(on: bool) -> None:
    from storage.models import Connection

    Connection.objects.filter(name=CONNECTION).update(instant_uploads=on)
    time.sleep(3)  # the console's record cache (RECORD_CACHE_SECONDS) lets go of the old value


def measure_instant_upload(w: World) -> list[Row]:
    from playwright.sync_api import sync_playwright

    from storage.s3.client import build_client

    plan, spec = w.plan, w.spec
    stored = random_file(w.data / "instant.bin", plan.upload_mib * MiB)
    other = random_file(w.data / "instant-other.bin", plan.upload_mib * MiB)  # other random bytes, same size
    s3 = build_client(spec)
    allow_the_console(w)
    _instant_uploads(True)
    try:
        with sync_playwright() as driver:
            browser, context = open_context(driver, w)

            def upload(path, *states: str) -> tuple[float, str]:
                """Seconds from choosing the file to the tray's "done"; the file's line must end in one of `states`."""
                folder = f"i1-{uuid.uuid4().hex}/"
                seconds, page = upload_through_page(context, folder, path)
                ended = page.locator("#upload-files li").first.get_attribute("data-state")
                page.close()
                if ended not in states:
                    raise RuntimeError(f"I1: the upload ended {ended!r}, not {' or '.join(states)}")
                return seconds, folder + path.name

            def fresh() -> float:
                seconds, key = upload(other, "done")
                s3.delete_object(Bucket=spec.bucket, Key=key)
                return seconds

            def again() -> float:
                seconds, key = upload(stored, "copied")
                s3.delete_object(Bucket=spec.bucket, Key=key)
                return seconds

            # warm-up, and the object every "again" finds (kept to the end; a copy when an earlier run left one)
            upload(stored, "done", "copied")
            got = interleave(plan.rounds, {"again": again, "fresh": fresh}, w.settle_briefly)
            browser.close()
    finally:
        _instant_uploads(False)
    return [Row("I1", f"Chromium re-upload of {plan.upload_mib} MiB already stored ÷ uploading it fresh "
                      "(instant uploads on)", "s", got["again"], at_most(0.15), got["fresh"],
                note="both hash the file first; clock from the choice to the tray's “done”")]
