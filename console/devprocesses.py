"""Process groups for `make run`: stop a whole group, and a watchdog for when devserver dies hard.

devserver starts runserver and SeaweedFS each in a session (so a process group) of its own;
stopping the group also stops runserver's autoreloaded child, the process that holds the port,
whatever signals the children inherited as ignored. If devserver is killed hard (SIGKILL, OOM),
the watchdog, a child reading a pipe from devserver, sees the pipe close and stops the groups.

No Django here: the watchdog runs as `python -m console.devprocesses`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

DONE = "done"


def group_alive(pgid: int) -> bool:
    """Whether a process of the group is still running (zombies, already dead, do not count)."""
    proc = Path("/proc")
    if not proc.is_dir():  # not Linux: any member, zombies included
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] != "Z":
            return True
    return False


def stop_groups(pgids: list[int], timeout: float = 10.0) -> None:
    """SIGTERM to every group, then SIGKILL to what is still running after `timeout` seconds."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pgid in pgids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pgid, sig)
        deadline = time.monotonic() + timeout
        while any(map(group_alive, pgids)) and time.monotonic() < deadline:
            time.sleep(0.1)
        if not any(map(group_alive, pgids)):
            return


class Watchdog:
    """devserver's side: tell the watchdog which groups to stop, and when all is stopped cleanly."""

    def __init__(self, cwd: Path):
        try:
            self.process = subprocess.Popen([sys.executable, "-m", __name__], cwd=cwd, stdin=subprocess.PIPE,
                                            start_new_session=True, text=True)
        except OSError:
            self.process = None

    def _send(self, line: str) -> None:
        try:
            self.process.stdin.write(line + "\n")
            self.process.stdin.flush()
        except (AttributeError, OSError, ValueError):
            pass  # no watchdog: devserver's own clean-up still stops everything

    def watch(self, pgid: int) -> None:
        self._send(str(pgid))

    def done(self) -> None:
        if self.process is None:
            return
        self._send(DONE)
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def main() -> None:
    """The watchdog: the groups come one a line; end of input without "done" means devserver died."""
    for sig in (signal.SIGINT, signal.SIGHUP):  # a terminal's signals are devserver's to act on
        signal.signal(sig, signal.SIG_IGN)
    pgids = []
    for line in sys.stdin:
        if line.strip() == DONE:
            return
        pgids.append(int(line))
    stop_groups(pgids)


if __name__ == "__main__":
    main()
