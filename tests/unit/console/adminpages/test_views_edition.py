"""The edition page: choices, locked environment values, the manager URL test, gateway reset."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from console.models import AuditEvent
from storage import factory
from storage.edition import effective_edition
from storage.models import EditionSettings
from tests.unit.admin_support import htmx, is_partial


class FakeManager(BaseHTTPRequestHandler):
    """Answers like an OSS Gateway Manager (or not), depending on the path prefix."""

    def do_GET(self):  # noqa: N802
        if self.path == "/good/api/ossgateway/v1/default-storage":
            self._send(200, {"storage_id": "store-7"})
        elif self.path == "/empty/api/ossgateway/v1/default-storage":
            self._send(404, {"code": "404031002", "message": "no default storage"})
        elif self.path == "/locked/api/ossgateway/v1/default-storage":
            self._send(401, {"message": "token required"})
        else:
            self.send_response(404)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<h1>Not found</h1>")

    def _send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def manager():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeManager)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_it_shows_the_edition_and_the_gateway(as_admin):
    page = as_admin.get("/edition/").content.decode()
    assert "Now running: <strong>community</strong> edition with the <strong>S3 gateway</strong>" in page
    assert "locked by" not in page


def test_it_saves_the_edition_resets_gateways_and_records_it(as_admin, manager):
    factory._cache[("stale", "")] = object()
    response = as_admin.post("/edition/", {"edition": "commercial", "storage_backend": "",
                                           "ossgateway_url": manager + "/good/"})
    assert response.status_code == 302
    row = EditionSettings.load()
    assert (row.edition, row.ossgateway_url) == ("commercial", manager + "/good")
    assert factory._cache == {}
    event = AuditEvent.objects.get(kind="edition.updated")
    assert event.detail["edition"] == "commercial" and set(event.detail["changed"]) == {"edition", "ossgateway_url"}
    footer = as_admin.get("/edition/").content.decode()
    assert "Gateway: <strong>OSS Gateway Manager client</strong>" in footer


def test_it_asks_for_a_manager_url_when_the_backend_needs_one(as_admin):
    page = as_admin.post("/edition/", {"edition": "community", "storage_backend": "ossgateway",
                                       "ossgateway_url": ""}).content.decode()
    assert "needs the manager&#x27;s URL" in page
    assert EditionSettings.load().storage_backend == ""


def test_it_refuses_a_manager_url_on_a_metadata_address(as_admin):
    page = as_admin.post("/edition/", {"edition": "commercial", "storage_backend": "",
                                       "ossgateway_url": "http://169.254.169.254/"}).content.decode()
    assert "link-local, metadata" in page
    assert EditionSettings.load().edition == "community"


def test_it_shows_environment_values_locked_and_never_saves_over_them(as_admin, settings):
    settings.EDITION = "commercial"
    settings.OSSGATEWAY_URL = "https://manager.example.com"
    page = as_admin.get("/edition/").content.decode()
    assert "locked by EDITION" in page and "locked by OSSGATEWAY_URL" in page
    assert 'value="https://manager.example.com"' in page and "disabled" in page
    as_admin.post("/edition/", {"edition": "community", "storage_backend": "s3", "ossgateway_url": "https://x.example"})
    row = EditionSettings.load()
    assert (row.edition, row.ossgateway_url, row.storage_backend) == ("community", "", "s3")
    assert effective_edition().edition == "commercial"


@pytest.mark.parametrize(("path", "expected"), [
    ("/good", "reachable; its default storage is &#x27;store-7&#x27;"),
    ("/empty", "reachable, but it has no default storage yet"),
    ("/locked", "wants a valid token"),
    ("/other", "not in the OSS Gateway Manager protocol"),
])
def test_it_tests_the_manager_url(as_admin, manager, path, expected):
    response = as_admin.post("/edition/test-manager/", {"ossgateway_url": manager + path}, **htmx())
    assert is_partial(response) and expected in response.content.decode()


def test_it_says_when_nothing_listens(as_admin, manager):
    closed = manager.rsplit(":", 1)[0] + ":9"
    response = as_admin.post("/edition/test-manager/", {"ossgateway_url": closed}, **htmx())
    assert b"connection refused" in response.content or b"could not connect" in response.content


def test_it_never_probes_a_metadata_address(as_admin, monkeypatch):
    monkeypatch.setattr("storage.ossgateway.probe.requests.get", lambda *a, **k: pytest.fail("probed"))
    response = as_admin.post("/edition/test-manager/", {"ossgateway_url": "http://169.254.169.254"}, **htmx())
    assert b"link-local, metadata" in response.content


def test_it_tests_the_manager_without_javascript(as_admin, manager):
    page = as_admin.post("/edition/test-manager/", {"ossgateway_url": manager + "/good"}).content.decode()
    assert "<footer" in page and "store-7" in page


def test_it_tests_the_locked_url_from_the_environment(as_admin, manager, settings):
    settings.OSSGATEWAY_URL = manager + "/good"
    response = as_admin.post("/edition/test-manager/", {}, **htmx())
    assert b"store-7" in response.content
