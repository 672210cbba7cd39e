"""P4, P7: file-browser pages rendered in-process (DEBUG off), with their S3 calls and SQL queries counted."""

from __future__ import annotations

import statistics
import time

from files_support import CONNECTION, USER
from fill import populate
from paired import Goal, at_most, interleave
from report import Row
from world import World


def page_samples(client, url: str, repeat: int, expect: bytes) -> tuple[float, int, int]:
    """The median server time (ms) of `repeat` renderings, and the S3 calls and SQL queries of the last one."""
    from botocore.endpoint import Endpoint
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    calls: list[str] = []
    original = Endpoint.make_request

    def counting(self, operation_model, request_dict):
        calls.append(operation_model.name)
        return original(self, operation_model, request_dict)

    Endpoint.make_request = counting
    times = []
    try:
        for _ in range(repeat):
            calls.clear()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                page = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            if page.status_code != 200 or expect not in page.content:
                raise SystemExit(f"{url} answered {page.status_code}")
    finally:
        Endpoint.make_request = original
    return statistics.median(times), len(calls), len(queries.captured_queries)


def editor_client():
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=USER))
    return client


def measure_first_page(w: World) -> list[Row]:
    plan = w.plan
    populate(w, "small", plan.small)
    populate(w, f"big{plan.big}", plan.big)
    client = editor_client()
    urls = {"big": f"/files/{CONNECTION}/?prefix=big{plan.big}/", "small": f"/files/{CONNECTION}/?prefix=small/"}
    page_samples(client, urls["small"], 3, b"obj-000000.txt")  # warm
    got = interleave(plan.rounds * 2, {name: lambda url=url: page_samples(client, url, plan.page_repeat,
                                                                           b"obj-000000.txt")
                                       for name, url in urls.items()})
    big, small = ([ms for ms, _, _ in got[name]] for name in ("big", "small"))
    calls = [c for name in got for _, c, _ in got[name]]
    queries = [q for name in got for _, _, q in got[name]]
    return [
        Row("P4", f"first page, folder of {plan.big:,} ÷ of {plan.small} objects (editor)", "ms", big, at_most(1.2),
            small, note=f"each sample: the median of {plan.page_repeat} pages"),
        Row("P4", "S3 calls per page (100 and big)", "calls", calls, Goal("1", lambda v: v == 1, every=True)),
        Row("P4", "SQL queries per page (100 and big)", "queries", queries, at_most(5, every=True)),
    ]


def measure_big_page(w: World) -> list[Row]:
    from storage.connections import StaticRegistry
    from storage.s3.gateway import S3Gateway

    plan = w.plan
    gateway = S3Gateway(StaticRegistry([w.spec]))
    populate(w, f"rows{plan.rows}", plan.rows)
    client = editor_client()
    url = f"/files/{CONNECTION}/?prefix=rows{plan.rows}/&limit={plan.rows}"
    last = f"obj-{plan.rows - 1:06d}.txt".encode()
    page_samples(client, url, 2, last)  # warm

    def listing() -> float:
        started = time.perf_counter()
        for _ in range(plan.page_repeat):
            gateway.list_objects(CONNECTION, f"rows{plan.rows}/", max_keys=plan.rows)
        return (time.perf_counter() - started) * 1000 / plan.page_repeat

    got = interleave(plan.rounds * 2, {"page": lambda: page_samples(client, url, plan.page_repeat, last),
                                       "listing": listing})
    pages, queries = [ms for ms, _, _ in got["page"]], [q for _, _, q in got["page"]]
    return [
        Row("P7", f"file browser page of {plan.rows:,} rows (?limit=): server time", "ms", pages, at_most(100, "≤ 100 ms"),
            note=f"of which the S3 listing alone (sampled in turn with the page): "
                 f"{statistics.median(got['listing']):.1f} ms"),
        Row("P7", f"page of {plan.rows:,} rows: SQL queries", "queries", queries, at_most(5, every=True)),
    ]
