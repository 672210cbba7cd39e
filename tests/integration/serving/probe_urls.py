"""Probes (under /probe/, beside the console's own URLs) served by gunicorn in tests/integration/serving: a body read from wsgi.input, a long streamed answer."""

from __future__ import annotations

import hashlib
import time

from django.http import HttpRequest, JsonResponse, StreamingHttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

MiB = 1024 * 1024
_BLOCK = b"\x5a" * MiB


@csrf_exempt
def echo(request: HttpRequest) -> JsonResponse:
    """What arrived: through Django's request stream first, then through wsgi.input (1 MiB reads)."""
    through_django = len(request.read())
    stream, digest, size, largest = request.environ["wsgi.input"], hashlib.md5(), 0, 0
    while piece := stream.read(MiB):
        digest.update(piece)
        size, largest = size + len(piece), max(largest, len(piece))
    return JsonResponse({"through_django": through_django, "size": size, "md5": digest.hexdigest(),
                         "largest_read": largest, "content_length": request.META.get("CONTENT_LENGTH", ""),
                         "transfer_encoding": request.META.get("HTTP_TRANSFER_ENCODING", "")})


def big(request: HttpRequest) -> StreamingHttpResponse:
    mib = int(request.GET.get("mib", "1024"))
    response = StreamingHttpResponse((_BLOCK for _ in range(mib)), content_type="application/octet-stream")
    response["Content-Length"] = str(mib * MiB)
    return response


def small(request: HttpRequest) -> JsonResponse:
    time.sleep(float(request.GET.get("sleep", "0")))
    return JsonResponse({"ok": True})


urlpatterns = [path("probe/echo", echo), path("probe/big", big), path("probe/small", small),
               path("", include("console.urls"))]  # what the console's middleware names
