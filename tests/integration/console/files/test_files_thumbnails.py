"""Gallery thumbnails on real SeaweedFS: the redirect the page's <img> follows is a GET the storage honours,
with a type that shows a picture and never runs one as a page (issue #16)."""

from __future__ import annotations

import re

import pytest
import requests

from storage.factory import get_gateway
from tests.integration.files_support import url

pytestmark = pytest.mark.usefixtures("seaweed_connection")
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def test_a_thumbnail_redirect_is_a_signed_get_the_storage_answers_safely(as_viewer, key_prefix):
    gateway = get_gateway()
    gateway.simple_upload("primary", key_prefix + "cat.png", b"\x89PNG tiny", content_type="text/html")
    gateway.simple_upload("primary", key_prefix + "logo.svg", SVG, content_type="image/svg+xml")
    html = as_viewer.get(url(f"?prefix={key_prefix}&view=gallery")).content.decode()
    sources = [s.replace("&amp;", "&") for s in re.findall(r'<img src="(/files/primary/thumbnail/[^"]+)"', html)]
    assert len(sources) == 2
    got = {}
    for source in sources:
        answer = as_viewer.get(source)
        assert answer.status_code == 302 and answer["Cache-Control"] == "private, max-age=60"
        fetched = requests.get(answer["Location"], timeout=10)
        got[fetched.content] = (fetched.headers["Content-Type"], fetched.headers["Content-Disposition"])
    assert got[b"\x89PNG tiny"][0] == "image/png" and got[b"\x89PNG tiny"][1].startswith("inline")
    assert got[SVG][0] == "image/svg+xml" and got[SVG][1].startswith("attachment")  # an <img>, never a page
