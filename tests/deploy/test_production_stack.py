"""The production shape, end to end (issue #13 item 9): nginx with TLS, gunicorn, PostgreSQL, SeaweedFS.

The stack is built as an operator builds it (tests/deploy/production_stack.py). A real Chromium,
trusting this run's certificate and no other, goes through https://console.test:<port> the way a
person does; a plain HTTP client checks what a browser would not show: cookie flags, HSTS, the
redirect to HTTPS, CSRF's origin check and the client address the console sees through the proxy.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from pathlib import Path

import psutil
import psycopg
import pytest
import requests
from playwright.sync_api import Error as PlaywrightError

from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.deploy.console_server import ADMIN, CONNECTION, PASSWORD
from tests.deploy.processes import ServerFailed
from tests.deploy.production_stack import LOCAL_HOST, PUBLIC_HOST, Stack, client_from, running_stack, trusting
from tests.postgres_cluster import PostgresError

MiB = 1024 * 1024
FOLDER = "smoke/"
PART = re.compile(r"[?&]partNumber=(\d+)")


@pytest.fixture(scope="module")
def stack(seaweedfs, tmp_path_factory):
    try:
        with running_stack(seaweedfs, tmp_path_factory.mktemp("production-stack")) as running:
            yield running
    except (ServerFailed, PostgresError) as e:
        pytest.fail(str(e), pytrace=False)


@pytest.fixture(scope="module")
def chromium_trusting_the_stack(playwright_driver, stack):
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                args=[*CHROMIUM_ARGS, *stack.chromium_args()])
    yield browser
    browser.close()


@pytest.fixture
def https(stack) -> requests.Session:
    return trusting(stack)


def csrf_token(session: requests.Session, stack: Stack) -> str:
    page = session.get(f"{stack.local_origin}/accounts/login/", timeout=10)
    assert page.status_code == 200, stack.diagnostics()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]


def post_sign_in(session: requests.Session, stack: Stack, password: str, **headers) -> requests.Response:
    """The sign-in form, posted with the given Origin/Referer (a browser sends its own)."""
    token = csrf_token(session, stack)
    return session.post(f"{stack.local_origin}/accounts/login/", timeout=10, allow_redirects=False, headers=headers,
                        data={"csrfmiddlewaretoken": token, "username": ADMIN, "password": password})


def set_cookie_headers(response: requests.Response) -> dict[str, str]:
    """Cookie name -> its whole Set-Cookie line."""
    lines = response.raw.headers.getlist("Set-Cookie")
    return {line.split("=", 1)[0]: line for line in lines}


def flags(set_cookie: str) -> set[str]:
    return {part.strip().split("=")[0].lower() for part in set_cookie.split(";")[1:]}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(MiB), b""):
            digest.update(block)
    return digest.hexdigest()


# --- what a plain HTTP client sees -------------------------------------------------------------


def test_it_sets_secure_cookies_and_sends_hsts_on_https_answers(stack, https):
    page = https.get(f"{stack.local_origin}/accounts/login/", timeout=10)
    assert page.status_code == 200, stack.diagnostics()
    assert page.url == f"{stack.local_origin}/accounts/login/", "HTTPS behind the proxy must not be redirected again"
    assert page.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "secure" in flags(set_cookie_headers(page)["csrftoken"])

    signed_in = post_sign_in(https, stack, PASSWORD, Origin=stack.local_origin)
    assert signed_in.status_code == 302, signed_in.text[:500]
    assert signed_in.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    session = set_cookie_headers(signed_in)["sessionid"]
    assert {"secure", "httponly", "samesite"} <= flags(session), session
    assert "samesite=lax" in session.lower()


def test_plain_http_moves_to_https_on_the_same_path(stack):
    answer = trusting(stack).get(f"http://{LOCAL_HOST}:{stack.nginx.http_port}/files/?prefix=a%20b/",
                                 timeout=10, allow_redirects=False)
    assert answer.status_code == 301
    assert answer.headers["Location"] == f"{stack.local_origin}/files/?prefix=a%20b/"
    assert "Strict-Transport-Security" not in answer.headers  # HSTS is only believed over HTTPS


def test_gunicorn_believes_no_scheme_header_so_secure_proxy_header_is_the_one_switch(stack):
    """Straight to gunicorn from 127.0.0.1 (where nginx is), with a header nginx would pass on unchanged."""
    answer = trusting(stack).get(f"http://{stack.console.address}/accounts/login/", allow_redirects=False, timeout=10,
                                 headers={"Host": LOCAL_HOST, "X-Forwarded-Ssl": "on", "X-Forwarded-Protocol": "ssl"})
    assert answer.status_code == 301, "the console took this plain HTTP request for HTTPS"
    assert answer.headers["Location"] == f"https://{LOCAL_HOST}/accounts/login/"


def test_csrf_refuses_foreign_origins_and_takes_the_consoles_own(stack, https):
    refused = {
        "a foreign origin": {"Origin": "https://attacker.example"},
        "the console's host over plain http": {"Origin": f"http://{LOCAL_HOST}:{stack.nginx.https_port}"},
        "the console's host on another port": {"Origin": f"https://{LOCAL_HOST}:{stack.nginx.http_port}"},
        "no Origin and a foreign Referer": {"Referer": "https://attacker.example/login"},
        "no Origin and no Referer": {},
    }
    for what, headers in refused.items():
        answer = post_sign_in(https, stack, PASSWORD, **headers)
        assert answer.status_code == 403, f"{what}: {answer.status_code}"
        assert "sessionid" not in set_cookie_headers(answer)

    assert post_sign_in(https, stack, PASSWORD, Origin=stack.local_origin).status_code == 302
    assert post_sign_in(https, stack, PASSWORD, Referer=f"{stack.local_origin}/accounts/login/").status_code == 302
    # The console's other name is another origin: only CSRF_TRUSTED_ORIGINS lets it post here.
    assert post_sign_in(https, stack, PASSWORD, Origin=stack.origin).status_code == 302


def test_each_client_is_throttled_on_its_own_address_behind_the_proxy(stack):
    """nginx connects from 127.0.0.1 for everyone; TRUSTED_PROXIES makes the console see 127.0.0.2 and .3.

    The forged X-Forwarded-For entries change on every try: a console believing them would count
    each try for another address and never pause sign-in.
    """
    mallory, alice = client_from(stack, "127.0.0.2"), client_from(stack, "127.0.0.3")
    statuses = [post_sign_in(mallory, stack, "wrong password", Origin=stack.local_origin,
                             **{"X-Forwarded-For": f"203.0.113.{attempt}"}).status_code for attempt in range(5)]
    assert statuses == [200, 200, 200, 200, 429], "the fifth failure in a row pauses sign-in for that client"
    locked = post_sign_in(mallory, stack, PASSWORD, Origin=stack.local_origin, **{"X-Forwarded-For": "198.51.100.7"})
    assert locked.status_code == 429, "even with the right password"

    assert post_sign_in(alice, stack, PASSWORD, Origin=stack.local_origin).status_code == 302, "another client is not"


def test_the_console_runs_two_gunicorn_workers_on_postgresql(stack, https):
    ready = https.get(f"{stack.local_origin}/readyz", timeout=10)
    assert ready.status_code == 200, ready.text
    assert {name: check["status"] for name, check in ready.json()["checks"].items()} == {
        "database": "ok", "migrations": "ok", "storage": "ok"}

    masters = [p for p in psutil.Process(stack.console.process.pid).children(recursive=True)
               if "gunicorn" in " ".join(p.cmdline()) and p.parent().pid == stack.console.process.pid]
    assert len(masters) == 1 and len(masters[0].children()) == 2
    with psycopg.connect(stack.postgres.url) as db:
        assert db.execute("select username, is_superuser from auth_user").fetchall() == [(ADMIN, True)]
        assert db.execute("select name from storage_connection").fetchall() == [(CONNECTION,)]


def test_static_files_pass_through_nginx_from_whitenoise(stack, https):
    page = https.get(f"{stack.local_origin}/accounts/login/", timeout=10)
    stylesheet = re.search(r'href="(/static/css/console\.[0-9a-f]{12}\.css)"', page.text)
    assert stylesheet, "the page names no hashed stylesheet"
    css = https.get(stack.local_origin + stylesheet[1], headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert css.status_code == 200 and css.headers["Content-Type"].startswith("text/css")
    assert css.headers["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in css.headers["Cache-Control"] and "immutable" in css.headers["Cache-Control"]


# --- what a person does, in Chromium -------------------------------------------------------------


def sign_in(page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("User name").fill(ADMIN)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))


def apply_cors(page, stack: Stack) -> None:
    """What an admin does once per bucket: the console derives its origin from the proxied request."""
    page.goto(f"/connections/{CONNECTION}/cors/")
    page.locator("dl.facts code", has_text=stack.origin).wait_for()
    page.get_by_role("button", name="Apply CORS").click()
    page.get_by_text("The rule was applied.").wait_for()


def upload(page, path: Path) -> list[str]:
    """Through the page's upload widget; answers the URLs the parts were PUT to."""
    parts: list[str] = []
    page.on("request", lambda r: parts.append(r.url) if r.method == "PUT" and PART.search(r.url) else None)
    page.goto(f"/files/{CONNECTION}/?prefix={FOLDER}")
    page.wait_for_selector("#upload[data-ready=true]", state="attached")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Upload files").click()
    chooser.value.set_files(str(path))  # the upload starts when the file is chosen
    page.wait_for_selector("#upload[data-state=done]", timeout=60_000)
    return parts


def download(page, link_name: str = "Download") -> tuple[Path, str]:
    with page.expect_download() as started:
        page.get_by_role("link", name=link_name, exact=True).click()
    return Path(started.value.path()), started.value.url


def create_managed_link(page) -> str:
    page.get_by_role("link", name="Share", exact=True).click()
    page.get_by_label(re.compile("Managed link")).check()
    page.get_by_role("button", name="Create link").click()
    return page.get_by_role("textbox", name="Link").input_value()


def stranger_downloads(browser, link: str, name: str) -> str:
    """The SHA-256 of what a fresh context (no cookies, no session) downloads from a share link."""
    stranger = browser.new_context(accept_downloads=True)
    try:
        visitor = stranger.new_page()
        visitor.goto(link)
        visitor.get_by_role("heading", name=name).wait_for()
        path, _ = download(visitor)
        return sha256(path)  # before the context closes: closing it deletes the download
    finally:
        stranger.close()


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/accounts/login/$"))


def test_a_person_signs_in_uploads_downloads_shares_and_signs_out_over_https(
        stack, chromium_trusting_the_stack, tmp_path):
    original = tmp_path / "report 20 MiB.bin"
    original.write_bytes(os.urandom(20 * MiB))
    context = chromium_trusting_the_stack.new_context(base_url=stack.origin, accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        sign_in(page)
        cookies = {c["name"]: c for c in context.cookies()}
        assert cookies["sessionid"]["secure"] and cookies["sessionid"]["httpOnly"]
        assert cookies["csrftoken"]["secure"]

        apply_cors(page, stack)
        parts = upload(page, original)
        assert sorted(int(PART.search(url)[1]) for url in parts) == [1, 2], "20 MiB goes in two parts"
        assert all(url.startswith(stack.s3_endpoint + "/") for url in parts), "the bytes go straight to S3"

        page.get_by_role("link", name=original.name, exact=True).click()
        fetched, url = download(page)
        assert url.startswith(stack.s3_endpoint + "/") and sha256(fetched) == sha256(original)

        link = create_managed_link(page)
        assert re.fullmatch(rf"{re.escape(stack.origin)}/s/[A-Za-z0-9_-]{{22,}}/", link), link
        assert stranger_downloads(chromium_trusting_the_stack, link, original.name) == sha256(original)

        sign_out(page)
        page.goto("/files/")
        assert "/accounts/login/" in page.url
        replayed = trusting(stack).get(f"{stack.local_origin}/files/", allow_redirects=False, timeout=10,
                                       cookies={"sessionid": cookies["sessionid"]["value"]})
        assert replayed.status_code == 302 and "/accounts/login/" in replayed.headers["Location"]
        assert errors == []
    except Exception:
        print(stack.diagnostics())
        raise
    finally:
        context.close()


def test_chromium_keeps_to_https_once_it_has_seen_hsts(stack, chromium_trusting_the_stack):
    """First visit: nginx moves plain HTTP to HTTPS. After that the browser itself refuses plain HTTP."""
    context = chromium_trusting_the_stack.new_context()
    try:
        page = context.new_page()
        plain = f"http://{PUBLIC_HOST}:{stack.nginx.http_port}/accounts/login/"
        landed = page.goto(plain)
        assert landed.url == f"{stack.origin}/accounts/login/" and landed.status == 200
        hop = landed.request.redirected_from
        assert (hop.url, hop.response().status, hop.redirected_from) == (plain, 301, None)  # nginx's answer

        # The browser upgrades the request itself, and the upgraded one meets the plain-HTTP port.
        with page.expect_event("requestfailed") as failed, contextlib.suppress(PlaywrightError):
            page.goto(plain)
        upgraded = failed.value
        assert upgraded.url == f"https://{PUBLIC_HOST}:{stack.nginx.http_port}/accounts/login/"
        answer = upgraded.redirected_from.response()  # made up by Chromium: nothing went out as plain HTTP
        assert (answer.url, answer.status, answer.headers.get("non-authoritative-reason")) == (plain, 307, "HSTS")
    finally:
        context.close()


# --- the S3-compatible endpoint's bodies (issue #20) -------------------------------------------------


def _unfinished_upload(stack: Stack, path: str, headers: dict[str, str], first: bytes):
    """A TLS connection through nginx with a request whose body has begun and not ended."""
    import socket
    import ssl

    context = ssl.create_default_context(cafile=str(stack.cert.ca))
    raw = socket.create_connection((LOCAL_HOST, stack.nginx.https_port), timeout=10)
    sock = context.wrap_socket(raw, server_hostname=LOCAL_HOST)
    lines = [f"PUT {path} HTTP/1.1", f"Host: {LOCAL_HOST}:{stack.nginx.https_port}",
             *(f"{name}: {value}" for name, value in headers.items()), "", ""]
    sock.sendall("\r\n".join(lines).encode() + first)
    return sock


def _status_before_the_body_ends(sock) -> int:
    """The status line of the answer that arrives while the body is still unfinished (a timeout if none does)."""
    answer = b""
    while b"\r\n" not in answer:
        piece = sock.recv(4096)
        assert piece, "the connection closed without an answer"
        answer += piece
    return int(answer.split()[1])


@pytest.mark.parametrize("framing", ["chunked", "content-length"])
def test_an_s3_upload_reaches_the_console_while_it_is_still_being_sent(stack, framing):
    """nginx passes /s3/ bodies on as they come: the console answers (here: no credentials) before the last byte.

    A buffering proxy would say nothing until the whole body had arrived; 64 MiB is past any size limit too."""
    size = 64 * MiB
    headers = ({"Transfer-Encoding": "chunked"} if framing == "chunked" else {"Content-Length": str(size)})
    first = b"%x\r\n%s\r\n" % (MiB, b"x" * MiB) if framing == "chunked" else b"x" * MiB
    with contextlib.closing(_unfinished_upload(stack, "/s3/bucket/big.bin", headers, first)) as sock:
        status = _status_before_the_body_ends(sock)
    assert status not in (413, 502, 504) and status >= 400, stack.diagnostics()  # the console's refusal, not nginx's


def test_other_paths_keep_their_body_limit(stack):
    with contextlib.closing(_unfinished_upload(stack, "/files/", {"Content-Length": str(64 * MiB)}, b"x")) as sock:
        assert _status_before_the_body_ends(sock) == 413
