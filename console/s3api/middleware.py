"""Keep the console's page headers off S3 answers where a tool would take them for the object's.

Django's LocaleMiddleware gives every response a Content-Language (the page's language, "en"); on a GetObject
that is the object's own header, which rclone and the aws CLI copy with the object. This middleware sits
before LocaleMiddleware (so it sees the response after it) and takes the header off an S3 answer unless the
handler set it (`KEEP_CONTENT_LANGUAGE`).
"""

from __future__ import annotations

KEEP_CONTENT_LANGUAGE = "s3_content_language"  # attribute a handler sets on a response whose header is the object's


def is_s3_path(path: str) -> bool:
    return path == "/s3" or path.startswith("/s3/")


class S3ResponseHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_s3_path(request.path_info) and not getattr(response, KEEP_CONTENT_LANGUAGE, False):
            response.headers.pop("Content-Language", None)
        return response
