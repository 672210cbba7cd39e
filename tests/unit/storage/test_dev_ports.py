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
