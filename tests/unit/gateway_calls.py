"""Counting what the console asks the storage: one gateway method's calls, by their second argument."""

from __future__ import annotations

from storage.factory import get_gateway


def recorded(monkeypatch, method: str) -> list[str]:
    """Every call to the gateway's `method` from now on, as its key or prefix (the argument after the connection)."""
    calls: list[str] = []
    gateway_type = type(get_gateway())
    original = getattr(gateway_type, method)

    def record(self, oss_id: str, where: str, *args, **kwargs):
        calls.append(where)
        return original(self, oss_id, where, *args, **kwargs)

    monkeypatch.setattr(gateway_type, method, record)
    return calls
