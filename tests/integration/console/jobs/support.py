"""What the jobs tests share: objects to work on, and what a folder holds."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from storage.factory import get_gateway


def put(key: str, body: bytes | None = None, *, connection: str = "primary", **kwargs) -> None:
    get_gateway().simple_upload(connection, key, key.encode() if body is None else body, **kwargs)


def files_under(prefix: str, connection: str = "primary") -> dict[str, bytes]:
    """Every file (not folder marker) under `prefix`, with its bytes."""
    gateway, found, after = get_gateway(), {}, None
    while True:
        page = gateway.list_objects(connection, prefix, delimiter="", start_after=after)
        for summary in page.objects:
            if not summary.key.endswith("/"):
                found[summary.key] = gateway.download_file(connection, summary.key)
        if not page.is_truncated:
            return found
        after = page.objects[-1].key


def names_under(prefix: str, connection: str = "primary") -> list[str]:
    return sorted(key[len(prefix):] for key in files_under(prefix, connection))


def put_all(objects: dict[str, bytes], connection: str = "primary") -> None:
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda item: put(*item, connection=connection), objects.items()))


def uploads_under(prefix: str, connection: str) -> list[str]:
    """The keys of multipart uploads in progress under `prefix`."""
    return [u.key for u in get_gateway().list_multipart_uploads(connection, prefix)]


def days_later(monkeypatch, days: int, *modules) -> None:
    """`timezone.now()` in these modules says `days` later: uploads started now are that old there."""
    import datetime as dt
    from types import SimpleNamespace

    from django.utils import timezone

    later = SimpleNamespace(now=lambda: timezone.now() + dt.timedelta(days=days))
    for module in modules:
        monkeypatch.setattr(module, "timezone", later)


def run(job):
    """Run the queued jobs in this process; `job` as they left it."""
    from console.jobs.worker import run_pending_jobs

    run_pending_jobs()
    job.refresh_from_db()
    return job
