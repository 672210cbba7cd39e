"""The S3 endpoint's bodies under gunicorn as deployed (console/gunicorn_conf.py, gthread): a chunked upload arrives
decoded in wsgi.input, and a streamed answer of 1 GiB leaves the worker's memory flat."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import requests

from storage.dev.seaweedfs import free_port

ROOT = Path(__file__).resolve().parents[3]
MiB = 1024 * 1024
_BLOCK = os.urandom(MiB - 3)  # pieces that do not line up with the reads


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.integration.serving.probe_settings", "DEBUG": "true",
           "DATA_DIR": str(tmp_path_factory.mktemp("gunicorn-data")), "GUNICORN_ACCESS_LOG": "",
           "ALLOWED_HOSTS": "127.0.0.1"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    command = [str(Path(sys.executable).parent / "gunicorn"), "--config", "python:console.gunicorn_conf",
               "--bind", f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(url + "/probe/small", timeout=1)
                break
            except requests.RequestException:
                assert process.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        yield url, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def _worker(process: subprocess.Popen) -> psutil.Process:
    (worker,) = psutil.Process(process.pid).children()
    return worker


def _pieces(size: int):
    sent = 0
    while sent < size:
        piece = _BLOCK[:size - sent]
        sent += len(piece)
        yield piece


def test_a_chunked_body_arrives_decoded_in_wsgi_input_and_not_through_djangos_stream(server):
    url, _process = server
    size = 20 * MiB + 11
    digest = hashlib.md5()
    for piece in _pieces(size):
        digest.update(piece)
    answer = requests.put(url + "/probe/echo", data=_pieces(size), timeout=60).json()  # a generator: sent chunked
    assert answer["transfer_encoding"] == "chunked" and answer["content_length"] == ""
    assert (answer["size"], answer["md5"]) == (size, digest.hexdigest())
    assert answer["through_django"] == 0  # no Content-Length: Django's request.read() sees an empty body
    assert answer["largest_read"] <= MiB


def test_a_1_gib_streamed_answer_leaves_the_workers_memory_flat(server):
    url, process = server
    worker = _worker(process)
    requests.get(url + "/probe/big?mib=8", timeout=30).content  # noqa: B018 - a first answer: imports, buffers
    before = worker.memory_info().rss
    received, peak = 0, before
    with requests.get(url + "/probe/big?mib=1024", stream=True, timeout=60) as answer:
        for chunk in answer.iter_content(MiB):
            received += len(chunk)
            if received % (64 * MiB) < MiB:
                peak = max(peak, worker.memory_info().rss)
    assert received == 1024 * MiB
    assert peak - before < 32 * MiB, f"the worker grew by {(peak - before) / MiB:.0f} MiB"
