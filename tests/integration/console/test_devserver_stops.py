"""`make run` stops everything it started, however it is stopped (issue #11 item 15).

`manage.py devserver` runs SeaweedFS, a jobs worker and `runserver`, whose autoreloader runs the process that
actually holds the port. Started in the background from a script (SIGINT ignored, as a
non-interactive shell does for background jobs) and stopped with SIGTERM or SIGHUP, or with
Ctrl+C at a terminal, or even killed hard, nothing may be left serving the port or running.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
import pytest

from storage.dev.seaweedfs import free_port

ROOT = Path(__file__).resolve().parents[3]
MARK = "OSS_CONSOLE_DEVSERVER_TEST"  # every process of one run inherits it: cleanup finds strays by it
START_TIMEOUT = 120.0  # migrations are done beforehand; SeaweedFS and runserver start in ~10 s
PORT_TIMEOUT = 15.0
EXIT_TIMEOUT = 30.0  # SeaweedFS gets 15 s to stop on SIGTERM before SIGKILL (it takes ~2 s)


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _running(process: psutil.Process) -> bool:
    """Alive and not a zombie (an orphan's zombie waits for init, and holds no port)."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _command(process: psutil.Process) -> str:
    try:
        return " ".join(process.cmdline()[:3])
    except psutil.Error:
        return "(gone)"


def _tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _marked(token: str) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter():
        try:
            if process.pid != os.getpid() and process.environ().get(MARK) == token:
                found.append(process)
        except (psutil.Error, OSError):
            pass  # gone, or not ours to read
    return [p for p in found if _running(p)]


def _env(data_dir: Path, token: str) -> dict[str, str]:
    env = {**os.environ, "DEBUG": "true", "DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "console.settings",
           "PYTHONUNBUFFERED": "1", MARK: token}
    for name in ("DATABASE_URL", "S3_CONFIG", "EDITION", "STORAGE_BACKEND"):
        env.pop(name, None)
    return env


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """A DATA_DIR of the tests' own (never the developer's .data), migrated once for all cases."""
    path = tmp_path_factory.mktemp("devserver-data")
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=_env(path, "migrate"),
                   check=True, capture_output=True, timeout=180)
    return path


def _ignore_sigint():
    """A script's background job: SIGINT ignored, SIGTERM and SIGHUP as usual (even when the test
    run itself was started under nohup, which would otherwise hand SIGHUP down ignored)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _default_sigint():
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


# (signal sent, how devserver was started): a script's background job ignores SIGINT; at a
# terminal, Ctrl+C sends SIGINT to the whole foreground process group.
CASES = {
    "SIGTERM from a script": (signal.SIGTERM, "background"),
    "SIGHUP from a script": (signal.SIGHUP, "background"),
    "Ctrl+C at a terminal": (signal.SIGINT, "terminal"),
    "killed hard (SIGKILL)": (signal.SIGKILL, "background"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_devserver_leaves_nothing_running(case, data_dir, tmp_path):
    signum, how = CASES[case]
    token = uuid.uuid4().hex
    port, s3_port = free_port(), free_port()
    log_path = tmp_path / "devserver.log"
    started_at = time.monotonic()
    with open(log_path, "wb") as log:
        kwargs = ({"preexec_fn": _ignore_sigint} if how == "background"
                  else {"preexec_fn": _default_sigint, "process_group": 0})
        parent = subprocess.Popen(
            [sys.executable, "manage.py", "devserver", "--addr", f"127.0.0.1:{port}", "--s3-port", str(s3_port)],
            cwd=ROOT, env=_env(data_dir, token), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            **kwargs)
    seen: dict[int, psutil.Process] = {}
    try:
        while not _answers(port):
            assert parent.poll() is None, f"devserver exited with {parent.returncode}:\n" + _tail(log_path)
            assert time.monotonic() - started_at < START_TIMEOUT, f"no answer on {port}:\n" + _tail(log_path)
            time.sleep(0.2)
        time.sleep(0.5)  # let every process settle (the reloader's child is the one holding the port)
        for process in psutil.Process(parent.pid).children(recursive=True):
            seen[process.pid] = process
        commands = " | ".join(_command(p) for p in seen.values())
        assert "weed mini" in commands and "runserver" in commands and "jobs_worker" in commands, commands

        if how == "terminal":
            os.killpg(parent.pid, signum)
        else:
            parent.send_signal(signum)

        def left() -> list[str]:  # the processes seen, and any started since (a reload after an edit)
            running = {p.pid: p for p in [*seen.values(), *_marked(token)] if _running(p)}
            return sorted(f"{pid} {_command(p)}" for pid, p in running.items())

        stopped_at = time.monotonic()
        while _answers(port) and time.monotonic() - stopped_at < PORT_TIMEOUT:
            time.sleep(0.2)
        assert not _answers(port), (f"port {port} still answers {PORT_TIMEOUT:.0f} s after {case}; left: {left()}\n"
                                 + _tail(log_path))
        while (parent.poll() is None or left()) and time.monotonic() - stopped_at < EXIT_TIMEOUT:
            time.sleep(0.2)
        assert not left(), f"still running {EXIT_TIMEOUT:.0f} s after {case}: {left()}\n" + _tail(log_path)
        assert parent.poll() is not None, "devserver itself did not exit"
    finally:
        for process in [*seen.values(), *_marked(token)]:
            with contextlib.suppress(psutil.Error):
                process.kill()
        if parent.poll() is None:
            parent.kill()
        parent.wait(timeout=10)
