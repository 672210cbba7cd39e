"""OssGatewayClient against a stand-in for a genuine commercial manager (no OSS Console extensions).

The stand-in answers the protocol, 404s every extension, and plays a storage whose
ranged reads come back short the first time, to prove the client's checks and retries.
"""

from __future__ import annotations

import io
import json
import os
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

import pytest

from storage.gateway import IntegrityFailure, NotSupported
from storage.ossgateway import client as ossgateway_client
from storage.ossgateway.client import OssGatewayClient
from storage.ossgateway.multipart import read_parts

DATA = os.urandom(10_000)
TOKEN = "osc_stand-in-token"


class StandIn(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    attempts: Counter  # ranged reads come back short on their first attempt
    always_short: set  # ... or on every attempt, for ranges starting here
    authorization: dict

    def log_message(self, *args):
        pass

    def _json(self, status: int, body) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _signed(self, method: str, key: str) -> None:
        self._json(200, {"method": method, "url": f"http://127.0.0.1:{self.server.server_port}/storage/{key}",
                         "headers": {}})

    def do_GET(self):
        path = unquote(urlsplit(self.path).path)
        self.authorization[path.split("/")[1] if path.startswith("/storage") else path.split("/")[4]] = \
            self.headers.get("Authorization")
        if path.startswith("/storage/"):
            return self._storage_get()
        verb = path.split("/")[4]
        if verb == "default-storage":
            return self._json(404, {"code": 404031002, "message": "no default storage"})
        if verb == "objectstorageinfo":
            return self._json(200, [{"id": "off", "name": "Off", "default": False, "enabled": False},
                                    {"id": "s2", "name": "S2", "default": False, "enabled": True}])
        if verb in ("head", "download"):
            return self._signed("HEAD" if verb == "head" else "GET", path.split("/", 6)[6])
        if verb == "upload":  # a genuine manager knows no x-amz-meta-* parameters: it signs a plain PUT
            return self._signed("PUT", path.split("/", 6)[6])
        if verb == "initmultiupload":
            return self._json(200, {"upload_id": "u1", "part_size": 8 * 1024 * 1024})
        self.send_response(404)  # a genuine manager knows nothing of /ext/...
        self.send_header("Content-Length", "9")
        self.end_headers()
        self.wfile.write(b"Not Found")

    def do_PUT(self):
        self.authorization["put"] = self.headers.get("Authorization")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self):
        self.authorization["storage"] = self.headers.get("Authorization")
        self.send_response(200)
        self.send_header("Content-Length", str(len(DATA)))
        self.end_headers()

    def _storage_get(self):
        start, end = (int(x) for x in self.headers["Range"].removeprefix("bytes=").split("-"))
        self.attempts[start] += 1
        body = DATA[start:end + 1]
        if self.attempts[start] == 1 or start in self.always_short:
            body = body[: len(body) // 2]
        self.send_response(206)
        self.send_header("Content-Range", f"bytes {start}-{end}/{len(DATA)}")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def stand_in():
    handler = type("Handler", (StandIn,), {"attempts": Counter(), "authorization": {}, "always_short": set()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, handler
    server.shutdown()
    server.server_close()


@pytest.fixture
def client(stand_in) -> OssGatewayClient:
    return OssGatewayClient(f"http://127.0.0.1:{stand_in[0].server_port}", token=TOKEN)


def test_extensions_missing_from_the_manager_are_not_supported(client):
    for call in (lambda: client.list_objects("s2", "a/"), lambda: client.list_parts("s2", "a.bin", "u"),
                 lambda: client.abort_multipart_upload("s2", "a.bin", "u"),
                 lambda: client.delete_objects("s2", ["a"]), lambda: client.check_health("s2")):
        with pytest.raises(NotSupported, match="does not offer"):
            call()


def test_without_a_default_the_first_enabled_storage_is_available(client):
    assert client.get_available_oss() == "s2"


def test_short_ranges_are_retried_and_the_bytes_come_back_exact(client, stand_in, monkeypatch):
    monkeypatch.setattr(ossgateway_client, "DOWNLOAD_RANGE", 3000)
    assert client.download_file("s2", "dir/file.bin") == DATA
    assert sorted(stand_in[1].attempts.items()) == [(0, 2), (3000, 2), (6000, 2), (9000, 2)]


def test_a_range_that_stays_short_fails_after_three_attempts(client, stand_in, tmp_path):
    stand_in[1].always_short.add(0)
    with pytest.raises(IntegrityFailure, match="Received"):
        client.download_file_to_local("s2", "file.bin", tmp_path / "file.bin")
    assert stand_in[1].attempts[0] == 3
    assert list(tmp_path.iterdir()) == [], "no partial file is left behind"


def test_the_token_goes_to_the_manager_and_never_to_storage(client, stand_in):
    client.download_file("s2", "file.bin")
    seen = stand_in[1].authorization
    assert seen["download"] == seen["head"] == f"Bearer {TOKEN}"
    assert seen["storage"] is None


def test_parts_are_cut_from_the_head_then_the_file():
    parts = list(read_parts(b"abcde", io.BytesIO(b"fghijklmn"), 4))
    assert parts == [b"abcd", b"efgh", b"ijkl", b"mn"]
    assert list(read_parts(b"", io.BytesIO(b"12345678"), 4)) == [b"1234", b"5678"]
    assert list(read_parts(b"", io.BytesIO(b""), 4)) == []


def test_consecutive_part_numbers_are_signed_in_one_call_each_run():
    from storage.ossgateway.client import _runs

    assert _runs([1, 2, 3, 7, 8, 10]) == [(1, 3), (7, 2), (10, 1)]
    assert _runs(list(range(1, 2502))) == [(1, 1000), (1001, 1000), (2001, 501)]


@pytest.mark.parametrize("oss_id", ["..", ".", "a/b", "x?y", "a#b", ""])
def test_a_storage_id_that_could_change_the_path_is_refused_before_any_request(oss_id):
    from storage.gateway import InvalidRequest
    from storage.ossgateway.client import OssGatewayClient

    client = OssGatewayClient("http://127.0.0.1:9")  # nothing listens: a request would fail differently
    with pytest.raises(InvalidRequest, match="is not a storage id"):
        client.get_object_meta(oss_id, "delete/primary/victim.txt")
    with pytest.raises(InvalidRequest):
        client.list_objects(oss_id)


def test_metadata_a_genuine_manager_leaves_out_is_refused_and_no_byte_is_sent(client, stand_in):
    metadata = {"owner": "ann"}
    for call in (lambda: client.simple_upload("s2", "a.txt", b"x", metadata=metadata),
                 lambda: client.put_object("s2", "a.txt", b"x", metadata=metadata),
                 lambda: client.get_upload_request("s2", "a.txt", metadata=metadata),
                 lambda: client.create_multipart_upload("s2", "a.txt", metadata=metadata)):
        with pytest.raises(NotSupported, match="user metadata"):
            call()
    assert "put" not in stand_in[1].authorization, "nothing went to storage"
    client.simple_upload("s2", "a.txt", b"x")  # without metadata, a genuine manager's PUT is used
    assert "put" in stand_in[1].authorization
