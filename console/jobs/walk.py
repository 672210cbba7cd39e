"""The loop every bulk operation shares: count, then batch after batch from the cursor, then verify.

A source is a key or a folder (a prefix ending in '/'). A folder is listed flat from the cursor's
key (`start_after`, in the storage's own order); consecutive keys are taken in groups. Each batch is
planned by the operation, written as the intent, done, and checkpointed. A job that finds an intent
when it starts replays that batch first: same items, same destination names.
"""

from __future__ import annotations

from console.jobs.models import JobIntent
from console.jobs.progress import JobContext
from storage.gateway import ObjectSummary

COUNTING, WORKING, FINISHING = "counting", "working", "finishing"


def is_folder(source: str) -> bool:
    """A folder source ends in '/'; the empty prefix is the whole bucket."""
    return source == "" or source.endswith("/")


def run(ctx: JobContext, op) -> None:
    """Drive `op` (operations/base.py) to the end of its sources; RoundInterrupted when a batch stops early."""
    intent = JobIntent.objects.filter(job_id=ctx.job.pk).first()
    if intent is not None:
        do_batch(ctx, op, intent.items, intent.cursor)
    if op.count_first and ctx.job.cursor.get("phase", "count") == "count":
        count(ctx, op)
    sources = op.sources()
    while True:
        cursor = ctx.job.cursor
        index = cursor.get("item", 0) if cursor.get("phase") == "work" else 0
        if index >= len(sources):
            settle_total(ctx)
            return
        if is_folder(sources[index]):
            entries = list_folder(ctx, sources[index], cursor.get("after") if cursor.get("phase") == "work" else None,
                                  op.page_size, op.pages_per_round)
            if not entries:
                if index == len(sources) - 1:
                    settle_total(ctx)  # before the folder's own clean-up, which may take a while
                outcomes = op.finish_source(index)
                ctx.commit({"phase": "work", "item": index + 1}, outcomes, phase=WORKING)
                continue
            after = {"phase": "work", "item": index, "after": entries[-1].key}
            pairs = [(index, entry) for entry in entries]
        else:
            end = key_group_end(sources, index, op.page_size)
            pairs = list(zip(range(index, end), op.entries_for_keys(sources[index:end]), strict=True))
            after = {"phase": "work", "item": end}
        items = op.plan(pairs)
        after = op.carry(ctx.job.cursor, after, items)
        ctx.save_intent(items, after, phase=WORKING, **seen(ctx, len(items)))
        do_batch(ctx, op, items, after)


def seen(ctx: JobContext, count: int) -> dict:
    """A total that is a lower bound, raised to what the walk has seen: the objects handled and this batch."""
    job = ctx.job
    if not job.objects_total_at_least or (job.objects_total or 0) >= job.objects_handled + count:
        return {}
    return {"objects_total": job.objects_handled + count}


def settle_total(ctx: JobContext) -> None:
    """The walk reached the end of every source: the objects it handled are the total, no longer "at least"."""
    if ctx.job.objects_total_at_least:
        ctx.commit(ctx.job.cursor, clear_intent=False, objects_total=ctx.job.objects_handled,
                   objects_total_at_least=False)


def key_group_end(sources: list[str], index: int, limit: int) -> int:
    """The end of the run of keys (not folders) starting at `index`, at most `limit` long."""
    end = index
    while end < len(sources) and not is_folder(sources[end]) and end - index < limit:
        end += 1
    return end


def do_batch(ctx: JobContext, op, items: list, cursor: dict) -> None:
    ctx.check_access()  # stopped here, the batch stays the intent: a resume does it once access is back
    ctx.intent_items = items  # what a task's `ctx.remember` writes back, with what it adds
    outcomes = ctx.run_round(op.work(items))
    ctx.commit(cursor, outcomes, phase=WORKING)


def list_folder(ctx: JobContext, prefix: str, after: str | None, page_size: int, pages: int) -> list[ObjectSummary]:
    entries: list[ObjectSummary] = []
    for _ in range(pages):
        page = ctx.run_one(ctx.gateway.list_objects, ctx.connection, prefix, delimiter="", max_keys=page_size,
                           start_after=after)
        entries.extend(page.objects)
        if not page.is_truncated or not page.objects:
            break
        after = page.objects[-1].key
    return entries


def count(ctx: JobContext, op) -> None:
    """Count objects and bytes first (the progress bar's total), checkpointed page by page."""
    cursor = ctx.job.cursor if ctx.job.cursor.get("phase") == "count" else {
        "phase": "count", "item": 0, "after": None, "objects": 0, "bytes": 0}
    sources = op.sources()
    while cursor["item"] < len(sources):
        source = sources[cursor["item"]]
        if is_folder(source):
            entries = list_folder(ctx, source, cursor["after"], 1000, 1)
            if entries:
                cursor = {**cursor, "after": entries[-1].key, "objects": cursor["objects"] + len(entries),
                          "bytes": cursor["bytes"] + sum(e.size for e in entries)}
            else:
                cursor = {**cursor, "item": cursor["item"] + 1, "after": None}
        else:
            end = key_group_end(sources, cursor["item"], op.page_size)
            sizes = [max(e.size, 0) for e in op.entries_for_keys(sources[cursor["item"]:end])]
            cursor = {**cursor, "item": end, "objects": cursor["objects"] + len(sizes),
                      "bytes": cursor["bytes"] + sum(sizes)}
        ctx.commit(cursor, phase=COUNTING, clear_intent=False)
    ctx.commit({"phase": "work", "item": 0}, phase=WORKING, clear_intent=False,
               objects_total=cursor["objects"], objects_total_at_least=False, bytes_total=cursor["bytes"])

