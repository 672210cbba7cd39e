"""/healthz (the process answers) and /readyz (it can serve: database, migrations, default storage).

Both are open to anyone and cheap, for load balancers and orchestrators: no session, no CSRF token,
no database write. /healthz touches nothing; /readyz runs the checks in console.health, whose
storage result is kept in memory (the storage is never probed on every call).
"""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from console import health


@require_safe
@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
def readyz(request):
    ready, checks = health.readiness()
    return JsonResponse({"status": "ok" if ready else "fail", "checks": checks}, status=200 if ready else 503)
