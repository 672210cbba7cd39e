"""Start a server in its own process group, wait until it answers, and stop the whole group."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import psutil
import requests


class ServerFailed(RuntimeError):
    pass


def tail(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return f"({path} was never written)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def spawn(command: list[str], *, log: Path, **kwargs) -> subprocess.Popen:
    """A new session, so stopping it reaches every process it started (make -> gunicorn -> workers)."""
    with open(log, "ab") as out:
        return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True, **kwargs)


def wait_for_port(process: subprocess.Popen, port: int, *, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise ServerFailed(f"{process.args[0]} exited with {process.returncode}:\n{tail(log)}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        if time.monotonic() > deadline:
            raise ServerFailed(f"{process.args[0]} does not listen on {port} after {timeout:.0f} s:\n{tail(log)}")
        time.sleep(0.1)


def wait_for_answer(process: subprocess.Popen, url: str, *, log: Path, timeout: float = 60.0) -> None:
    """Until `url` answers 200: a port can listen before the workers behind it are ready."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise ServerFailed(f"{process.args[0]} exited with {process.returncode}:\n{tail(log)}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=2).status_code == 200:
                return
        if time.monotonic() > deadline:
            raise ServerFailed(f"{url} does not answer 200 after {timeout:.0f} s:\n{tail(log)}")
        time.sleep(0.1)


def stop_group(process: subprocess.Popen, *, grace: float = 10.0) -> None:
    """SIGTERM to the group, SIGKILL to whatever is left after the grace period."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            process.poll()
            if not _group_alive(process.pid):
                return
            time.sleep(0.1)


def _group_alive(pgid: int) -> bool:
    """Any member not yet a zombie (an orphan's zombie lingers until whoever adopted it reaps it)."""
    for process in psutil.process_iter(["status"]):
        with contextlib.suppress(psutil.Error, OSError):
            if os.getpgid(process.pid) == pgid and process.info["status"] != psutil.STATUS_ZOMBIE:
                return True
    return False
