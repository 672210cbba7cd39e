"""P8: what sorting a whole folder costs (issue #16 item 5): the first page sorted by size ÷ by name (S3's order)."""

from __future__ import annotations

import math
import re

from files_support import CONNECTION
from fill import populate
from paired import Goal, interleave
from report import Row
from rows_pages import editor_client, page_samples
from world import World


def load_more(client, first_url: str) -> tuple[float, int, int]:
    """The page after a first page sorted by size, right after it, as a person's "Load more" asks for it."""
    first = client.get(first_url).content.decode()
    more = re.search(r'hx-get="([^"]*snap=[^"]*)"', first).group(1).replace("&amp;", "&")
    return page_samples(client, more, 1, b"<tr")


def measure_sorted_page(w: World) -> list[Row]:
    from console.files.sorted_listing import KEYS_PER_CALL, MAX_SORTED_ENTRIES

    plan = w.plan
    count = plan.sort_objects
    populate(w, f"sort{count}", count)
    client = editor_client()
    base = f"/files/{CONNECTION}/?prefix=sort{count}/"
    urls = {"size": (base + "&sort=size&order=desc", b"Sorted by size"), "name": (base, b"obj-000000.txt")}
    for url, expect in urls.values():
        page_samples(client, url, 2, expect)  # warm
    samplers = {name: lambda url=url, expect=expect: page_samples(client, url, plan.page_repeat, expect)
                for name, (url, expect) in urls.items()}
    samplers["more"] = lambda: load_more(client, urls["size"][0])
    got = interleave(plan.rounds * 2, samplers)
    by_size, by_name, more = ([ms for ms, _, _ in got[name]] for name in ("size", "name", "more"))
    calls = math.ceil(min(count, MAX_SORTED_ENTRIES) / KEYS_PER_CALL)
    return [
        Row("P8", f"first page sorted by size ÷ by name, folder of {count:,} objects (editor)", "ms", by_size, None,
            by_name, note=f"each sample: the median of {plan.page_repeat} pages; sorting by size reads the whole "
                          f"folder (at most {MAX_SORTED_ENTRIES:,} entries) for every page"),
        Row("P8", "first page sorted by size: server time", "ms", by_size, None),
        Row("P8", "next page sorted by size (load more, same reading) ÷ first page by name", "ms", more, None,
            by_name, note="the snapshot kept by the first page: no listing call"),
        Row("P8", "S3 calls, first page sorted by size", "calls", [c for _, c, _ in got["size"]],
            Goal(f"{calls} ({KEYS_PER_CALL:,} keys a call)", lambda v: v == calls, every=True)),
    ]
