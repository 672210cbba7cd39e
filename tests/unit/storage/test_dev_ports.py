"""The development SeaweedFS runner's ports: any free ones, or the first free ones of a range given to it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from storage.dev.seaweedfs import FREE_PORTS, _free_ports, free_port, port_range


def own_ports() -> range:
    """The ports this run may take: its FREE_PORTS (make test gives each pass its own), else some whose gRPC
    twins fit."""
    return port_range(os.environ.get(FREE_PORTS, "")) or range(base := 20000 + free_port() % 20000, base + 1000)


def test_it_takes_every_port_from_the_range_given_skipping_one_in_use():
    own = own_ports()
    start = free_port(own)
    within = range(start, min(start + 60, own.stop))
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


def test_a_run_given_free_ports_picks_every_port_from_them_at_random(monkeypatch):
    """make test's two passes run side by side, each with FREE_PORTS of its own: neither picks outside it."""
    own = own_ports()
    within = range(own.start, own.start + 40)
    monkeypatch.setenv(FREE_PORTS, f"{within.start}-{within.stop - 1}")
    picked = [free_port() for _ in range(20)]
    assert set(picked) <= set(within)
    assert len(set(picked)) > 1  # not the first free one each time: a port just given up is rarely picked again
    assert set(_free_ports(3)) <= set(within)


def test_a_port_handed_out_lately_is_not_handed_out_again(monkeypatch):
    """A port picked and not yet bound is free to bind: picked again, two servers would race for it."""
    own = own_ports()
    within = range(own.start, own.start + 600)
    monkeypatch.setenv(FREE_PORTS, f"{within.start}-{within.stop - 1}")
    picked = [free_port() for _ in range(256)]  # none bound: each stays free
    assert len(set(picked)) == 256


def test_a_child_process_does_not_take_a_port_its_parent_handed_out(monkeypatch):
    """CI once saw `manage.py devserver`'s SeaweedFS take the port the test had picked for its runserver."""
    own = own_ports()
    within = range(own.start, own.start + 600)
    monkeypatch.setenv(FREE_PORTS, f"{within.start}-{within.stop - 1}")
    monkeypatch.delenv("FREE_PORTS_HANDED", raising=False)
    picked = {free_port() for _ in range(200)}
    child = subprocess.run(
        [sys.executable, "-c", "from storage.dev.seaweedfs import free_port; print(*[free_port() for _ in range(50)])"],
        env=os.environ.copy(), capture_output=True, text=True, check=True, timeout=60)
    taken = {int(port) for port in child.stdout.split()}
    assert len(taken) == 50 and taken <= set(within)
    assert not taken & picked
