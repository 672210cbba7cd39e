"""The Jobs panel of a connection's pages: a person's running and recent jobs there, polled while any runs.

Pages include `jobs/partials/_panel.html` with `panel_context(...)`; the panel asks again every
POLL_SECONDS with the ids it saw running, so the answer can tell which of them ended since (their
end is announced, and the folder listing is asked to refresh).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from console.i18n.sentences import joined
from console.jobs import services
from console.jobs.presenting import announcement, card

POLL_SECONDS = 2
RECENT_SHOWN = 3  # finished jobs shown under the running ones (/jobs/ has them all)
FAILURES_SHOWN = 5  # per finished job; the job's page lists more


def safe_back(request, value: str | None, default: str) -> str:
    """A local URL to go back to after an action, never another site."""
    if value and value.startswith("/") and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return value
    return default


def ids_param(value: str | None) -> set[int]:
    return {int(part) for part in (value or "").split(",") if part.isascii() and part.isdigit()}


def panel_context(request, connection: str, *, back: str, seen_running: set[int] = frozenset(),
                  notice: str = "") -> dict:
    """What `_panel.html` needs: the cards, whether to poll, and what ended since the last look."""
    jobs = services.panel_jobs(request.user, connection)
    active = [job for job in jobs if not job.is_finished]
    finished = [job for job in jobs if job.is_finished]
    ended = [job for job in finished if job.pk in seen_running]
    running = ",".join(str(job.pk) for job in active)
    announce = joined([notice, *(announcement(job) for job in ended)])
    return {"panel": {
        "connection": connection, "back": back, "notice": notice, "announce": announce, "ended": ended,
        "cards": [card(job, request.user, failures=FAILURES_SHOWN) for job in active + finished[:RECENT_SHOWN]],
        "poll": POLL_SECONDS if active else None,
        "poll_url": f"{reverse('jobs_panel', args=[connection])}?{urlencode({'running': running, 'back': back})}",
    }}
