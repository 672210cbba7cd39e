"""S3Gateway behaviour that needs a real server: memory, fallback, health."""

from __future__ import annotations

import os
import threading
import time

import psutil
import pytest

from storage.connections import StaticRegistry
from storage.dev.seaweedfs import free_port
from storage.s3.gateway import S3Gateway
from tests.conftest import seaweed_spec

MiB = 1024 * 1024


class PeakRss:
    """Samples this process's resident memory while a block runs."""

    def __init__(self, interval: float = 0.005):
        self.process = psutil.Process()
        self.interval = interval
        self.baseline = self.peak = 0
        self._stop = threading.Event()

    def _sample(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(self.interval)

    def __enter__(self):
        self.baseline = self.peak = self.process.memory_info().rss
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @property
    def growth_mib(self) -> float:
        return (self.peak - self.baseline) / MiB


def test_download_to_local_of_200_mib_keeps_memory_flat(seaweedfs, key_prefix, tmp_path, capsys):
    gateway = S3Gateway(StaticRegistry([seaweed_spec(seaweedfs)]))
    source = tmp_path / "source.bin"
    with open(source, "wb") as f:
        for _ in range(200):
            f.write(os.urandom(MiB))
    with open(source, "rb") as f:
        gateway.upload_file("primary", key_prefix + "big.bin", f, 200 * MiB)
    source.unlink()
    gateway.get_object_meta("primary", "" + key_prefix + "big.bin")  # warm the client outside the measure

    target = tmp_path / "big.bin"
    with PeakRss() as memory:
        size = gateway.download_file_to_local("primary", key_prefix + "big.bin", target)
    assert size == 200 * MiB and target.stat().st_size == 200 * MiB
    with capsys.disabled():
        print(f"\n[measure] download_file_to_local 200 MiB: peak RSS growth {memory.growth_mib:.1f} MiB")
    assert memory.growth_mib < 64


def test_a_default_on_a_closed_port_falls_back_to_the_next_connection(seaweedfs):
    dead = seaweed_spec(seaweedfs, name="dead", endpoint=f"http://127.0.0.1:{free_port()}", is_default=True)
    alive = seaweed_spec(seaweedfs, name="alive", is_default=False)
    gateway = S3Gateway(StaticRegistry([dead, alive]))
    started = time.monotonic()
    assert gateway.get_available_oss() == "alive"
    assert time.monotonic() - started < 5
    report = gateway.check_health("dead")
    assert not report.ok and "connection refused" in report.detail


@pytest.mark.parametrize(("overrides", "cause"), [
    ({"secret_access_key": "wrong"}, "bad credentials"),
    ({"bucket": "no-such-bucket-here"}, "no such bucket"),
    ({"endpoint": "http://does-not-exist.invalid:8333"}, "does not resolve"),
])
def test_health_says_what_is_wrong_in_plain_words(seaweedfs, overrides, cause):
    gateway = S3Gateway(StaticRegistry([seaweed_spec(seaweedfs, **overrides)]))
    report = gateway.check_health("primary")
    assert not report.ok and cause in report.detail
    healthy = S3Gateway(StaticRegistry([seaweed_spec(seaweedfs)])).check_health("primary")
    assert healthy.ok and healthy.latency_ms is not None


def test_an_object_copied_part_by_part_keeps_bytes_type_and_metadata(seaweedfs, key_prefix):
    """UploadPartCopy: what copies objects over 5 GiB (CopyObject's limit), here on 12 MiB in 5 MiB parts."""
    gateway = S3Gateway(StaticRegistry([seaweed_spec(seaweedfs)]))
    body = os.urandom(12 * MiB)
    source, dest = key_prefix + "big.bin", key_prefix + "copy/big.bin"
    gateway.simple_upload("primary", source, body, content_type="application/x-thing")
    meta = gateway.get_object_meta("primary", source)
    upload_id = gateway.create_multipart_upload("primary", dest, content_type=meta.content_type,
                                                metadata={"owner": "jobs"})
    ranges = [(0, 5 * MiB - 1), (5 * MiB, 10 * MiB - 1), (10 * MiB, len(body) - 1)]
    parts = [(n, gateway.server_copy_part("primary", source, dest, upload_id, n, first, last, if_match=meta.etag))
             for n, (first, last) in enumerate(ranges, 1)]
    etag = gateway.complete_multipart_upload("primary", dest, upload_id, parts)
    copy = gateway.get_object_meta("primary", dest)
    assert (copy.etag, copy.size, copy.content_type, copy.metadata) == (etag, len(body), "application/x-thing",
                                                                         {"owner": "jobs"})
    assert gateway.download_file("primary", dest) == body
