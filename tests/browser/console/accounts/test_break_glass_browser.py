"""A break-glass link opened in Chromium signs in, and no request the console sees carries its code.

What a server sees of a request (PATH_INFO and QUERY_STRING) is what gunicorn's, nginx's and runserver's
access logs write; the code travels after "#" and in the form's body only.
"""

from __future__ import annotations

import io

from django.core.management import call_command
from django.core.signals import request_started


def test_a_break_glass_link_signs_in_and_no_address_the_server_sees_holds_its_code(page, live_server,
                                                                                     transactional_db):
    out = io.StringIO()
    call_command("break_glass", "root", "--create", "--base-url", live_server.url, stdout=out, stderr=io.StringIO())
    link = out.getvalue().strip()
    code = link.partition("#")[2]
    seen: list[str] = []

    def remember(sender, environ, **kwargs):
        seen.append(f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}?{environ.get('QUERY_STRING', '')} "
                    f"{environ.get('HTTP_REFERER', '')}")

    request_started.connect(remember)
    try:
        page.goto(link)
        assert "#" not in page.url  # the script took the code out of the address bar
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")
        assert page.goto(f"{live_server.url}/users/").status == 200  # signed in as the superuser
    finally:
        request_started.disconnect(remember)
    assert any(line.startswith("POST /accounts/break-glass/") for line in seen), seen
    assert not [line for line in seen if code in line or code[:20] in line], seen
    assert not page.js_errors
