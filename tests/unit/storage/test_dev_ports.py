"""The development SeaweedFS runner's ports: any free ones, or the first free ones of a range given to it."""

from __future__ import annotations

import socket

from storage.dev.seaweedfs import _free_ports, free_port


def test_it_takes_every_port_from_the_range_given_skipping_one_in_use():
    start = free_port(range(base := 20000 + free_port() % 20000, base + 1000))  # one whose gRPC twin fits
    within = range(start, start + 60)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", start))
        ports = _free_ports(3, within)
        assert free_port(within) != start
    assert len(set(ports)) == 3
    assert all(port in within for port in ports)
    assert start not in ports


def test_without_a_range_any_free_port_will_do():
    assert len(set(_free_ports(3))) == 3


def test_no_port_is_the_grpc_twin_of_another_nor_of_one_the_caller_keeps(monkeypatch):
    """weed mini refused to start when the WebDAV port it was given was another port's gRPC twin (port + 10000):
    seen once in CI, in a fault test that restarts SeaweedFS on the S3 port it kept."""
    from storage.dev import seaweedfs

    offered = iter([21000, 31000, 22000, 11000, 23000, 24000])  # 31000 and 11000 are twins of 21000 and the kept one
    monkeypatch.setattr(seaweedfs, "free_port", lambda within=None: next(offered))
    monkeypatch.setattr(seaweedfs, "_bindable", lambda port: True)
    assert _free_ports(3, reserved=(1000,)) == [21000, 22000, 23000]
