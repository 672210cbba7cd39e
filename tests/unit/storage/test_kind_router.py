"""The community gateway sends each call to the gateway of its connection's kind."""

from __future__ import annotations

import pytest

from storage.connections import ConnectionSpec, StaticRegistry
from storage.factory import community_gateway
from storage.gateway import STREAMED, ConnectionNotFound, NotSupported
from storage.routing import ROUTED, KindRouter


class Recorder:
    """Stands in for a kind's gateway: remembers what reached it."""

    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        return lambda *args, **kwargs: self.calls.append((name, args, kwargs)) or name

    def copy_route(self, source, dest):
        return "same_bucket"


def _router(*specs):
    s3, local = Recorder(), Recorder()
    return KindRouter(StaticRegistry(list(specs)), {"s3": s3, "local": local}), s3, local


def test_a_call_goes_to_the_gateway_of_its_connections_kind():
    router, s3, local = _router(ConnectionSpec("bucket", "b"), ConnectionSpec("disk", kind="local", local_root="/x"))
    router.download_file("disk", "a.txt")
    router.get_object_meta("bucket", "b.txt", checksums=True)
    assert local.calls == [("download_file", ("disk", "a.txt"), {})]
    assert s3.calls == [("get_object_meta", ("bucket", "b.txt"), {"checksums": True})]


def test_every_operation_on_one_connection_is_routed():
    assert {"open_object", "upload_file", "list_objects", "get_upload_request", "delete_prefix"} <= set(ROUTED)
    assert "get_available_oss" not in ROUTED and "copy_route" not in ROUTED


def test_a_kind_nobody_serves_and_an_unknown_connection_fail_clearly():
    router, _, _ = _router(ConnectionSpec("grouped", kind="group", members=("a", "b")))
    with pytest.raises(NotSupported, match="group"):
        router.download_file("grouped", "a.txt")
    with pytest.raises(ConnectionNotFound):
        router.download_file("nowhere", "a.txt")


def test_a_copy_between_kinds_streams_through_the_caller():
    router, _, _ = _router(ConnectionSpec("bucket", "b"), ConnectionSpec("disk", kind="local", local_root="/x"))
    assert router.copy_route("bucket", "disk") == STREAMED
    assert router.copy_route("bucket", "bucket") == "same_bucket"


def test_the_community_gateway_serves_s3_connections():
    gateway = community_gateway(StaticRegistry([ConnectionSpec("primary", "b")]))
    assert type(gateway.gateway_for("primary")).__name__ == "S3Gateway"
