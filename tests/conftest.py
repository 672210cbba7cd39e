"""Fixtures shared by the three tiers, and a summary of what each tier ran."""

from __future__ import annotations

import os
import secrets
import time
import uuid
from collections import defaultdict

import pytest

from storage.connections import ConnectionSpec

TIERS = ("unit", "integration", "browser", "deploy")
_tier_stats: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])


def tier_of(item) -> str:
    parts = item.nodeid.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "tests" and parts[1] in TIERS else "unit"


# A test can reach the database only through these (pytest-django blocks it otherwise).
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
                     "live_server"}


def uses_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(DATABASE_FIXTURES & set(item.fixturenames))


def pytest_sessionstart(session):
    from tests.catalogs import compile_stale_catalogs

    compile_stale_catalogs()


def pytest_collection_modifyitems(items):
    for item in items:
        tier = tier_of(item)
        if tier != "unit":
            item.add_marker(getattr(pytest.mark, tier))
        if uses_database(item):
            item.add_marker(pytest.mark.database)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    started = time.perf_counter()
    yield
    stats = _tier_stats[tier_of(item)]
    stats[0] += 1
    stats[1] += time.perf_counter() - started


def database_label() -> str:
    """What the run's tests really talked to, read from Django's connection, not from the switch."""
    from django.db import connection

    major, minor = divmod(connection.pg_version, 10000) if connection.vendor == "postgresql" else (0, 0)
    if connection.vendor == "postgresql":
        return f"PostgreSQL {major}.{minor}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}" if connection.vendor == "sqlite" else connection.vendor


def pytest_terminal_summary(terminalreporter):
    terminalreporter.section(f"tiers on {database_label()}")
    for tier in TIERS:
        count, seconds = _tier_stats.get(tier, (0, 0.0))
        terminalreporter.write_line(f"{tier:<12} {count:>4} tests run in {seconds:6.1f} s")


# --- Chromium ---------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="session")
def playwright_driver():
    """One Playwright for the run: its sync API allows one per thread, and two tiers launch Chromium."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-system-packages.sh (make test does).", pytrace=False)
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from test bodies
    # (fixtures, assertions) are still synchronous and safe here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as driver:
        yield driver


# --- real S3 (SeaweedFS) -------------------------------------------------------------


def _start_seaweedfs(tmp_path_factory, name: str, bucket: str):
    """A real SeaweedFS with credentials of its own; failing to start fails the run (never a skip)."""
    from storage.dev.bootstrap import ensure_bucket
    from storage.dev.seaweedfs import SeaweedFS, SeaweedFSError

    server = SeaweedFS(tmp_path_factory.mktemp(name), access_key="test-" + secrets.token_hex(4),
                       secret_key=secrets.token_urlsafe(24))
    try:
        server.start()
    except SeaweedFSError as e:
        pytest.fail(f"SeaweedFS could not start, so the real-S3 tier cannot run:\n{e}", pytrace=False)
    server.bucket = bucket
    ensure_bucket(seaweed_spec(server))
    return server


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory):
    """A real SeaweedFS for the session."""
    server = _start_seaweedfs(tmp_path_factory, "seaweedfs", "console-tests")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def other_seaweedfs(tmp_path_factory):
    """A second SeaweedFS, with other credentials: a storage the first shares nothing with (copies stream)."""
    server = _start_seaweedfs(tmp_path_factory, "seaweedfs-other", "console-other")
    yield server
    server.stop()


TWIN_BUCKET = "console-twin"  # a second bucket on the session's SeaweedFS: copies to it are server-side


def seaweed_spec(server, *, name: str = "primary", bucket: str | None = None, **overrides) -> ConnectionSpec:
    values = dict(name=name, bucket=bucket or server.bucket, endpoint=server.endpoint, region="us-east-1",
                  access_key_id=server.access_key, secret_access_key=server.secret_key, use_ssl=False,
                  is_default=True)
    values.update(overrides)
    return ConnectionSpec(**values)


@pytest.fixture
def key_prefix() -> str:
    """A fresh folder per test, so tests sharing a bucket never see each other's objects."""
    return f"t-{uuid.uuid4().hex[:12]}/"


def add_connection(spec: ConnectionSpec):
    """A connection record made of `spec`."""
    from storage.models import Connection

    return Connection.objects.create(
        name=spec.name, endpoint=spec.endpoint, region=spec.region, access_key_id=spec.access_key_id,
        secret_access_key=spec.secret_access_key, bucket=spec.bucket, use_ssl=False, is_default=spec.is_default,
    )


@pytest.fixture
def seaweed_connection(db, seaweedfs):
    """A default connection record pointing at the session's SeaweedFS."""
    return add_connection(seaweed_spec(seaweedfs))


@pytest.fixture
def other_connection(db, other_seaweedfs):
    """The connection "other": the second SeaweedFS, its own credentials."""
    return add_connection(seaweed_spec(other_seaweedfs, name="other", is_default=False))


@pytest.fixture(scope="session")
def twin_bucket(seaweedfs):
    from storage.dev.bootstrap import ensure_bucket

    ensure_bucket(seaweed_spec(seaweedfs, bucket=TWIN_BUCKET))
    return TWIN_BUCKET


@pytest.fixture
def twin_connection(db, seaweedfs, twin_bucket):
    """The connection "twin": another bucket on the session's SeaweedFS, with the same credentials."""
    return add_connection(seaweed_spec(seaweedfs, name="twin", bucket=twin_bucket, is_default=False))


@pytest.fixture(autouse=True)
def _no_language_left_over():
    """A request in Chinese leaves Chinese (and a person's time zone) active in the thread; the next test
    starts in the console's language and zone, as a new request would."""
    yield
    from django.utils import timezone, translation

    translation.deactivate()
    timezone.deactivate()


@pytest.fixture(autouse=True)
def _fresh_gateways():
    """Built gateways and clients are cached per process, and /readyz's storage result, the CSP's storage
    origins, rendered previews and sorted readings; every test starts without them."""
    from console.csp import forget_origins
    from console.files import preview_cache, sorted_snapshots
    from console.health import forget_storage_check
    from storage import record_cache
    from storage.factory import reset_gateways

    def forget_all():
        reset_gateways()
        record_cache.forget()
        forget_storage_check()
        forget_origins()
        preview_cache.clear()
        sorted_snapshots.clear()

    forget_all()
    yield
    forget_all()


# --- a real OpenID Connect provider --------------------------------------------------


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    """django-oauth-toolkit in OIDC mode, as its own process (tests/oidc_provider/); failing to start fails the run."""
    from tests.oidc_provider.server import OidcProvider

    provider = OidcProvider(tmp_path_factory.mktemp("oidc-provider"))
    try:
        provider.start()
    except Exception as e:  # noqa: BLE001 - any reason it cannot start is the message
        provider.stop()
        pytest.fail(f"The test OpenID Connect provider could not start:\n{e}", pytrace=False)
    yield provider
    provider.stop()


def use_oidc_provider(settings, provider, console_url: str, **extra) -> None:
    """Point the console at the provider (as its environment would), and let the provider send people back."""
    from console.accounts.oidc import provider as discovery

    for name, value in {**provider.console_settings(), **extra}.items():
        setattr(settings, name, value)
    provider.client([f"{console_url}/oidc/callback/"], [f"{console_url}/accounts/login/"])
    discovery.forget()


# --- people ---------------------------------------------------------------------------

PASSWORD = "correct horse battery staple"


@pytest.fixture
def users(db):
    """Named people, one per role, plus an outsider who holds no role."""
    from django.contrib.auth.models import Group, User

    people = {}
    for name in ("admin", "editor", "viewer", "outsider"):
        user = User.objects.create_user(name, f"{name}@example.com", PASSWORD)
        if name != "outsider":
            user.groups.add(Group.objects.get_or_create(name=name)[0])  # flushed by transactional tests
        people[name] = user
    return people


def _client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def as_admin(users):
    return _client_for(users["admin"])


@pytest.fixture
def as_editor(users):
    return _client_for(users["editor"])


@pytest.fixture
def as_viewer(users):
    return _client_for(users["viewer"])


@pytest.fixture
def as_outsider(users):
    return _client_for(users["outsider"])
