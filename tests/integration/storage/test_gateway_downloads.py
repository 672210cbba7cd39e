"""Downloads to a file on every gateway: ranges pinned to one ETag (a replaced object is an error, never a file
of mixed bytes), and `resume=True`, which continues a partial file when the object is still the same."""

from __future__ import annotations

import os

import pytest

from storage.gateway import IntegrityFailure, StorageUnreachable
from storage.ossgateway.client import OssGatewayClient
from storage.partial_download import partial_paths
from storage.routing import KindRouter

MiB = 1024 * 1024


def reading_gateway(g, oss: str, key: str):
    """The gateway that reads the bytes, and its name for the connection: behind a router, the gateway of the
    connection's kind; behind a group, the S3 gateway and the member holding `key`."""
    if not isinstance(g, KindRouter):
        return g, oss
    inner = g.gateway_for(oss)
    if hasattr(inner, "locate"):  # a group: its members are S3 buckets here
        return g.gateways["s3"], inner.locate(oss, key)
    return inner, oss


def replace_between_ranges(case, monkeypatch, replace, key) -> None:
    """Run `replace()` once the download's first range is under way and before its second is asked for."""
    g, oss = reading_gateway(case.gateway, case.oss_id, key)
    if isinstance(g, OssGatewayClient):
        monkeypatch.setattr(g, "concurrency", 1)  # one range after another
        fetch, done = g._fetch_range, []

        def fetch_then_replace(*args, **kwargs):
            fetch(*args, **kwargs)
            if not done:
                done.append(replace())

        monkeypatch.setattr(g, "_fetch_range", fetch_then_replace)
        return
    events, gets = g._client(g._spec(oss)).meta.events, []

    def before_get(**_kwargs):
        gets.append(1)
        if len(gets) == 2:
            replace()

    events.register("before-call.s3.GetObject", before_get)
    monkeypatch.setattr(case, "unhook", lambda: events.unregister("before-call.s3.GetObject", before_get),
                        raising=False)


@pytest.fixture
def unhooked(case):
    yield case
    if hasattr(case, "unhook"):
        case.unhook()


def test_an_object_replaced_between_ranges_fails_the_download_and_leaves_no_file(unhooked, key_prefix, tmp_path,
                                                                                 monkeypatch):
    case = unhooked
    g, oss, key = case.gateway, case.oss_id, key_prefix + "big.bin"
    if not hasattr(reading_gateway(g, oss, key)[0], "_client") and not isinstance(g, OssGatewayClient):
        pytest.skip("a local folder reads one open file, never ranges: the next test is its case")
    g.simple_upload(oss, key, b"A" * (24 * MiB))
    replace_between_ranges(case, monkeypatch, lambda: g.simple_upload(oss, key, b"B" * (24 * MiB)), key)
    target = tmp_path / "out.bin"
    with pytest.raises(IntegrityFailure):
        g.download_file_to_local(oss, key, target)
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir()] == [], "no temporary file is left behind"


@pytest.mark.parametrize("case", ["local"], indirect=True)
def test_a_local_folder_download_is_of_one_version_when_the_file_is_replaced_midway(case, key_prefix, tmp_path,
                                                                                    monkeypatch):
    g, oss, key = case.gateway, case.oss_id, key_prefix + "big.bin"
    g.simple_upload(oss, key, b"A" * (8 * MiB))
    local, opened = g.gateway_for(oss), g.gateway_for(oss).open_object

    def open_then_replace(*args, **kwargs):
        stream = opened(*args, **kwargs)
        g.simple_upload(oss, key, b"B" * (8 * MiB))  # renamed into place while the old file is open
        return stream

    monkeypatch.setattr(local, "open_object", open_then_replace)
    assert g.download_file_to_local(oss, key, tmp_path / "out.bin") == 8 * MiB
    assert (tmp_path / "out.bin").read_bytes() == b"A" * (8 * MiB)
    assert g.download_file(oss, key) == b"B" * (8 * MiB)


class CutShort:
    """A stream that breaks off after its first chunk, as a dropped connection does."""

    def __init__(self, stream):
        self.stream = stream

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stream.close()

    def __iter__(self):
        yield self.stream.read(MiB)
        raise StorageUnreachable("the network went away")


def interrupt_then_watch(g, monkeypatch, oss, key) -> list:
    """Make the next download break off after 1 MiB; record the ranges asked for after that."""
    g, _ = reading_gateway(g, oss, key)
    opened, asked = g.open_object, []

    def open_object(*args, **kwargs):
        if not asked:
            asked.append("cut")
            return CutShort(opened(*args, **kwargs))
        asked.append(kwargs.get("range"))
        return opened(*args, **kwargs)

    monkeypatch.setattr(g, "open_object", open_object)
    return asked


def test_a_resumed_download_asks_only_for_the_rest(case, key_prefix, tmp_path, monkeypatch):
    g, oss, key = case.gateway, case.oss_id, key_prefix + "a.bin"
    data = os.urandom(3 * MiB + 7)
    g.simple_upload(oss, key, data)
    target = tmp_path / "a.bin"
    asked = interrupt_then_watch(g, monkeypatch, oss, key)
    with pytest.raises(StorageUnreachable):
        g.download_file_to_local(oss, key, target, resume=True)
    part, sidecar = partial_paths(target)
    assert part.stat().st_size == MiB and not target.exists()
    assert g.download_file_to_local(oss, key, target, resume=True) == len(data)
    assert asked == ["cut", (MiB, None)]
    assert target.read_bytes() == data and not part.exists() and not sidecar.exists()


def test_a_resumed_download_of_a_replaced_object_starts_again_from_the_first_byte(case, key_prefix, tmp_path,
                                                                                  monkeypatch):
    g, oss, key = case.gateway, case.oss_id, key_prefix + "a.bin"
    g.simple_upload(oss, key, b"A" * (2 * MiB))
    target = tmp_path / "a.bin"
    asked = interrupt_then_watch(g, monkeypatch, oss, key)
    with pytest.raises(StorageUnreachable):
        g.download_file_to_local(oss, key, target, resume=True)
    g.simple_upload(oss, key, b"B" * (2 * MiB))
    assert g.download_file_to_local(oss, key, target, resume=True) == 2 * MiB
    assert asked == ["cut", (0, None)]
    assert target.read_bytes() == b"B" * (2 * MiB)


def test_a_resumed_download_of_an_empty_object_makes_an_empty_file(case, key_prefix, tmp_path):
    g, oss = case.gateway, case.oss_id
    g.simple_upload(oss, key_prefix + "empty", b"")
    assert g.download_file_to_local(oss, key_prefix + "empty", tmp_path / "empty", resume=True) == 0
    assert (tmp_path / "empty").read_bytes() == b""
