"""Turn a busy database into a clear "try again" answer instead of a server error; answer the probes early."""

from __future__ import annotations

import logging

from django.shortcuts import render
from django.utils.translation import ngettext

from console.database import busy_reason
from storage.api.errors import DATABASE_BUSY, ApiError

log = logging.getLogger("console.database")
RETRY_AFTER_SECONDS = 2


class DatabaseBusyMiddleware:
    """A lock wait that ran out, a deadlock or a serialization failure: 503 with Retry-After.

    The statement that failed was rolled back with its transaction, so the answer can say that
    nothing was changed: a share, a download, a revoke or a switch of the default connection is
    written with its audit row in one transaction.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return busy_answer(request, exception)


def busy_answer(request, exception):
    """The "try again" answer when `exception` says the database is busy; None for any other failure."""
    reason = busy_reason(exception)
    if not reason:
        return None
    log.warning("database busy (%s) during %s %s: %s", reason, request.method, request.path, exception)
    if _is_api(request):
        message = ngettext("The database is busy; nothing was changed. Try again in %(seconds)s second.",
                           "The database is busy; nothing was changed. Try again in %(seconds)s seconds.",
                           RETRY_AFTER_SECONDS) % {"seconds": RETRY_AFTER_SECONDS}
        response = ApiError(503, DATABASE_BUSY, message, reason).response()
    else:
        status = 200 if getattr(request, "htmx", False) else 503  # htmx drops the body of 5xx answers
        response = render(request, "errors/busy.html", {"retry_after": RETRY_AFTER_SECONDS}, status=status)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _is_api(request) -> bool:
    """A protocol handler's caller reads JSON, not a page (storage.api.handler marks its views)."""
    match = getattr(request, "resolver_match", None)
    return match is not None and hasattr(match.func, "api_auth")


class ProbeMiddleware:
    """Answers /healthz and /readyz before sessions, CSRF, sign-in and the Host check.

    Load balancers and orchestrators address the process by its IP (a kubelet sends
    `Host: <pod IP>:<port>`), which ALLOWED_HOSTS rightly does not list. These answers use no
    host name, set no cookie and are never cached, so skipping that check exposes nothing.
    """

    def __init__(self, get_response):
        from console.views import health

        self.get_response = get_response
        self.probes = {"/healthz": health.healthz, "/readyz": health.readyz}

    def __call__(self, request):
        probe = self.probes.get(request.path_info)
        return probe(request) if probe else self.get_response(request)


