"""Headless Debian Chromium (driven by Playwright) against the live server and a real SeaweedFS."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, CHROMIUM_ARGS

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
VENDOR = Path(__file__).resolve().parents[2] / "static" / "vendor" / "uppy.js"
BUCKET = "console-browser"


@pytest.fixture(scope="session")
def chromium(playwright_driver):
    if not VENDOR.exists():
        pytest.fail(f"{VENDOR} is missing: run `make vendor` (make test does).", pytrace=False)
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def browser_bucket(seaweedfs, live_server):
    """A bucket of its own whose CORS rule is the console's rule for the live server's origin."""
    from storage import cors
    from storage.connections import StaticRegistry
    from storage.dev.bootstrap import ensure_bucket
    from storage.s3.gateway import S3Gateway
    from tests.conftest import seaweed_spec

    spec = seaweed_spec(seaweedfs, bucket=BUCKET)
    ensure_bucket(spec)
    S3Gateway(StaticRegistry([spec])).put_bucket_cors(spec.name, [cors.needed_rule([live_server.url])])
    return BUCKET


def make_connection(seaweedfs, bucket: str, name: str = "primary"):
    from storage.models import Connection
    from tests.conftest import seaweed_spec

    spec = seaweed_spec(seaweedfs, bucket=bucket, name=name)
    return Connection.objects.create(
        name=spec.name, endpoint=spec.endpoint, region=spec.region, access_key_id=spec.access_key_id,
        secret_access_key=spec.secret_access_key, bucket=spec.bucket, use_ssl=False, is_default=True,
    )


@pytest.fixture
def browser_connection(transactional_db, seaweedfs, browser_bucket):
    return make_connection(seaweedfs, browser_bucket)


@pytest.fixture
def page(request, chromium, live_server):
    """A fresh browser context per test; a screenshot lands in test-artifacts/ when the test fails."""
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900},
                                   accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.js_errors = errors
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-120:]
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        (ARTIFACTS / f"{name}.console.txt").write_text("\n".join(errors))
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def sign_in(page, user, password: str) -> None:
    """Through the real sign-in form."""
    page.goto("/accounts/login/")
    page.get_by_label("User name").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name=re.compile("sign in|log in", re.I)).click()
    page.wait_for_url(re.compile(r"/$"))


def signed_in(page, user, live_server):
    """The page, signed in as `user` with a session made on the server (for tests not about signing in)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])
    return page


@pytest.fixture
def editor_page(page, users, live_server):
    return signed_in(page, users["editor"], live_server)
