"""SSRF through the OSS Gateway Manager (issue #11, item 6): redirects and the URLs it hands out.

Two tiny HTTP servers on 127.0.0.1: a stand-in manager (which also plays storage under
/storage/) and a "target" that records every request reaching it, standing in for a
metadata service or any other address the console must not be led to. The console must
never follow a redirect, from the manager or from storage, and must check every URL the
manager returns against the endpoint rules before sending to it or handing it out.
"""

from __future__ import annotations

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

import pytest
import requests

from storage.gateway import StorageRequestFailed
from storage.ossgateway.client import OssGatewayClient

METADATA = "http://169.254.169.254/latest/meta-data/iam/security-credentials/"
SECRET = "AKIA-FROM-THE-METADATA-SERVICE"


class Target(BaseHTTPRequestHandler):
    """Where a redirect points: answers with a secret, records every hit."""

    protocol_version = "HTTP/1.1"
    hits: list

    def log_message(self, *args):
        pass

    def _answer(self):
        self.hits.append((self.command, self.path))
        body = json.dumps([{"id": SECRET, "name": SECRET}]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = _answer


class Manager(BaseHTTPRequestHandler):
    """A manager whose answers are set per test: `signed_url` for signing verbs, `redirect` for the rest."""

    protocol_version = "HTTP/1.1"
    target: str  # the Target server's root
    signed_url: str  # what signing verbs hand out; "{self}" is this server's root
    storage_hits: list

    def log_message(self, *args):
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        path = unquote(urlsplit(self.path).path)
        root = f"http://127.0.0.1:{self.server.server_port}"
        if path.startswith("/storage/"):  # storage that redirects elsewhere
            self.storage_hits.append((self.command, path))
            return self._send(302, b"", {"Location": self.target + "/latest/meta-data/"})
        verb = path.split("/")[4]
        if verb == "objectstorageinfo":  # the manager itself redirects
            return self._send(302, b"", {"Location": self.target + "/latest/meta-data/"})
        url = self.signed_url.replace("{self}", root)
        if verb == "initmultiupload":
            body = {"upload_id": "u1", "part_size": 5}
        elif verb == "uploadpart":
            query = dict(p.split("=", 1) for p in urlsplit(self.path).query.split("&"))
            first, count = int(query["part_id"]), int(query["part_num"])
            body = {str(n): {"method": "PUT", "url": url, "headers": {}} for n in range(first, first + count)}
        else:
            body = {"method": {"head": "HEAD", "delete": "DELETE"}.get(verb, "GET"), "url": url, "headers": {}}
        payload = json.dumps(body).encode()
        self._send(200, payload, {"Content-Type": "application/json"})

    do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = _handle


def _serve(handler):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    return server


@pytest.fixture
def servers():
    """(manager handler, target handler, manager port): set `signed_url` on the first, read `hits` from the second."""
    target = _serve(type("T", (Target,), {"hits": []}))
    manager = _serve(type("M", (Manager,), {"target": f"http://127.0.0.1:{target.server_port}",
                                            "signed_url": "{self}/storage/a.txt", "storage_hits": []}))
    yield manager.RequestHandlerClass, target.RequestHandlerClass, manager.server_port
    for server in (manager, target):
        server.shutdown()
        server.server_close()


@pytest.fixture
def client(servers) -> OssGatewayClient:
    return OssGatewayClient(f"http://127.0.0.1:{servers[2]}", token="osc_t", concurrency=2, multipart_threshold=10,
                            manager_timeout=(2, 2), storage_timeout=(2, 2))


@pytest.fixture
def network_spy(client, monkeypatch):
    """Every request the storage session would send; none leaves this machine (the spy refuses them)."""
    sent: list[str] = []
    real = client.storage.session.request

    def request(method, url, **kwargs):
        sent.append(url)
        if urlsplit(url).hostname != "127.0.0.1":
            raise requests.ConnectionError("a test stands in for the network")
        return real(method, url, **kwargs)

    monkeypatch.setattr(client.storage.session, "request", request)
    return sent


# --- redirects ---

def test_a_redirect_from_the_manager_is_an_error_and_never_followed(client, servers):
    _manager, target, _port = servers
    with pytest.raises(StorageRequestFailed, match=r"answered with a redirect \(302\).*does not follow") as caught:
        client.list_storages()
    assert target.hits == [], "the console contacted the redirect's target"
    assert SECRET not in str(caught.value)


def test_a_redirect_from_storage_is_an_error_and_never_followed(client, servers):
    manager, target, _port = servers
    with pytest.raises(StorageRequestFailed, match=r"with a redirect \(302\); the console does not follow"):
        client.get_object_meta("s1", "a.txt")
    with pytest.raises(StorageRequestFailed, match="redirect") as caught:
        client.delete_file("s1", "a.txt")
    assert [m for m, _ in manager.storage_hits] == ["HEAD", "DELETE"]
    assert target.hits == [], "the console contacted the redirect's target"
    assert SECRET not in str(caught.value)


# --- URLs the manager hands out ---

@pytest.mark.parametrize("url", [METADATA, "http://[::ffff:169.254.169.254]/x", "http://2852039166/x",
                                 "http://metadata.google.internal/computeMetadata/v1/", "file:///etc/passwd",
                                 "gopher://127.0.0.1:6379/_x", "http://user:pw@127.0.0.1/x",
                                 "http://169.254.169.%32%35%34/latest/meta-data/", "http://0.0.0.%30/x"])
def test_a_signed_url_the_endpoint_rules_refuse_is_never_contacted(client, servers, network_spy, url):
    servers[0].signed_url = url
    with pytest.raises(StorageRequestFailed, match="handed out a URL the console will not use") as caught:
        client.get_object_meta("s1", "a.txt")
    assert network_spy == []
    assert SECRET not in str(caught.value)


def test_every_server_side_transfer_checks_the_url(client, servers, network_spy, tmp_path):
    servers[0].signed_url = METADATA
    for call in (lambda: client.download_file("s1", "a.txt"),
                 lambda: client.download_file_to_local("s1", "a.txt", tmp_path / "a.txt"),
                 lambda: client.delete_file("s1", "a.txt"),
                 lambda: client.simple_upload("s1", "a.txt", b"12345"),
                 lambda: client.upload_file("s1", "big.bin", io.BytesIO(b"x" * 12), 12),  # multipart parts
                 lambda: client.complete_multipart_upload("s1", "big.bin", "u1", [(1, "etag")])):
        with pytest.raises(StorageRequestFailed, match="link-local, metadata"):
            call()
    assert network_spy == []


def test_urls_handed_out_are_checked_too(client, servers):
    servers[0].signed_url = METADATA
    for internal in (True, False):
        with pytest.raises(StorageRequestFailed, match="link-local, metadata"):
            client.get_download_url("s1", "a.txt", internal=internal)
        with pytest.raises(StorageRequestFailed, match="link-local, metadata"):
            client.get_upload_request("s1", "a.txt", internal=internal)
        with pytest.raises(StorageRequestFailed, match="link-local, metadata"):
            client.sign_upload_part("s1", "a.txt", "u1", 1, internal=internal)
        with pytest.raises(StorageRequestFailed, match="link-local, metadata"):
            client.sign_upload_parts("s1", "a.txt", "u1", [1, 2], internal=internal)


def test_private_networks_follow_the_setting_for_what_the_console_fetches(client, servers, network_spy, settings):
    servers[0].signed_url = ATTACHMENT_URL
    settings.ALLOW_PRIVATE_ENDPOINTS = False
    with pytest.raises(StorageRequestFailed, match="ALLOW_PRIVATE_ENDPOINTS is off"):
        client.get_object_meta("s1", "a.txt")
    assert network_spy == []
    # a browser may be sent to a private network: that is where it reaches storage
    assert client.get_download_url("s1", "a.txt").startswith("http://10.0.0.7:9000/")
    with pytest.raises(StorageRequestFailed, match="ALLOW_PRIVATE_ENDPOINTS is off"):
        client.get_download_url("s1", "a.txt", internal=True)  # a service in the console's place would fetch it


@pytest.mark.parametrize("url", [
    "http://0.0.0.%30:8625/latest/meta-data/", "http://169.254.169.%32%35%34/", "http://%31%32%37.0.0.1/",
    "http://[fe80::1%25eth0]/", "http://exa%6dple.com/",
])
def test_a_percent_encoded_host_is_refused_before_any_lookup(url):
    """requests decodes %3X in a host; the check must never see another host than the one contacted."""
    from storage.endpoint_rules import EndpointRefused, check_url

    with pytest.raises(EndpointRefused):
        check_url(url, allow_private=True, resolve=lambda host, port: [])


ATTACHMENT_URL = "http://10.0.0.7:9000/bucket/a.txt?response-content-disposition=attachment%3B%20filename%3Da.txt"


@pytest.mark.parametrize("name", ["page.html", "logo.svg", "photo.png"])
def test_a_manager_link_a_browser_could_show_as_a_page_is_not_handed_out(client, servers, name):
    """Found by the second attack pass: a manager that ignores save_name would let stored HTML run."""
    servers[0].signed_url = "http://10.0.0.7:9000/bucket/" + name  # no response-* overrides at all
    with pytest.raises(StorageRequestFailed, match="could show as a page"):
        client.get_download_url("s1", name, filename=name, inline=True)
    servers[0].signed_url = ATTACHMENT_URL
    assert client.get_download_url("s1", name, filename=name, inline=True) == ATTACHMENT_URL  # a download instead
