"""Keep the console's page headers off S3 answers, and keep a browser from running what /s3/ serves.

Django's LocaleMiddleware gives every response a Content-Language (the page's language, "en"); on a GetObject
that is the object's own header, which rclone and the aws CLI copy with the object. This middleware sits
before LocaleMiddleware (so it sees the response after it) and takes the header off an S3 answer unless the
handler set it (`KEEP_CONTENT_LANGUAGE`).

Objects come from the console's own origin here, written by anyone whose key may write a folder, and a
presigned link opens one in a browser. As a page of this origin, HTML could call the console as whoever
opened it, and the console's policy (script-src 'self') would let it load a script stored beside it. So
every S3 answer carries a policy of its own that sandboxes it (no script, a unique origin; the console's
policy middleware keeps a policy already set), and a browser asking for an object as code or styles
(Sec-Fetch-Dest; S3 tools never send it) is refused. The bytes and headers tools read are unchanged.
A Host the console does not answer to is refused here too, in S3's XML rather than Django's error page.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import DisallowedHost

from console.s3api.errors import S3Error, error_response

KEEP_CONTENT_LANGUAGE = "s3_content_language"  # attribute a handler sets on a response whose header is the object's
SANDBOX_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"
CODE_DESTINATIONS = frozenset({"script", "style", "worker", "sharedworker", "serviceworker", "audioworklet",
                               "paintworklet", "xslt", "manifest"})


def is_s3_path(path: str) -> bool:
    return path == "/s3" or path.startswith("/s3/")


class S3ResponseHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_s3_path(request.path_info):
            return self.get_response(request)
        refusal = _refusal(request)
        response = self.get_response(request) if refusal is None else error_response(
            refusal, resource=request.path, request_id=uuid.uuid4().hex[:16].upper(), head=request.method == "HEAD")
        if not getattr(response, KEEP_CONTENT_LANGUAGE, False):
            response.headers.pop("Content-Language", None)
        response["Content-Security-Policy"] = SANDBOX_POLICY
        return response


def _refusal(request) -> S3Error | None:
    """What is refused before the endpoint runs: a browser loading an object as code, a Host the console does
    not answer to (Django would answer that with its own error page, which a tool cannot read)."""
    if request.headers.get("Sec-Fetch-Dest", "").lower() in CODE_DESTINATIONS:
        return S3Error("AccessDenied", "Objects are not served to browsers as scripts or styles.")
    try:
        request.get_host()
    except DisallowedHost:
        return S3Error("InvalidRequest", "This console does not answer to that Host; use the endpoint's own name.")
    return None
