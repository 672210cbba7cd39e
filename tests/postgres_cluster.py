"""A throwaway PostgreSQL cluster for the tests, from Debian's `postgresql` package.

`initdb` in a temporary directory, a free port on 127.0.0.1, stopped (and the directory removed)
at the end, the way the tests start SeaweedFS. PostgreSQL refuses to run as root, so when the
tests run as root (CI does) the server runs as the package's `postgres` user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from storage.dev.seaweedfs import free_port


class PostgresError(RuntimeError):
    pass


def postgres_bin_dir() -> Path:
    """The newest installed server's bin directory (/usr/lib/postgresql/<major>/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise PostgresError("PostgreSQL is missing: install Debian's 'postgresql' package "
                            "(scripts/ensure-system-packages.sh does it as root)")
    return Path(found[-1]).parent


class PostgresCluster:
    """One cluster, one superuser (`console`), trust authentication on loopback only."""

    user = "console"

    def __init__(self, directory: Path | None = None):
        self.directory = Path(directory or tempfile.mkdtemp(prefix="oss-console-pg-"))
        self.data = self.directory / "data"
        self.port = 0
        self.bin = postgres_bin_dir()
        self._run_as = self._server_user()

    @staticmethod
    def _server_user() -> str | None:
        if os.geteuid() != 0:
            return None
        try:
            pwd.getpwnam("postgres")
        except KeyError as e:
            raise PostgresError("running as root needs the 'postgres' user that Debian's package creates") from e
        return "postgres"

    def _command(self, *args: str) -> list[str]:
        prefix = ["runuser", "-u", self._run_as, "--"] if self._run_as else []
        return [*prefix, *args]

    def _run(self, *args: str) -> None:
        done = subprocess.run(self._command(*args), capture_output=True, text=True, cwd=self.directory)
        if done.returncode != 0:
            raise PostgresError(f"{' '.join(args[:2])} failed ({done.returncode}):\n{done.stdout}{done.stderr}")

    @property
    def url(self) -> str:
        return f"postgres://{self.user}@127.0.0.1:{self.port}/postgres"

    @property
    def version(self) -> str:
        return self.bin.parts[-2]

    def start(self, timeout: float = 60.0) -> PostgresCluster:
        self.directory.mkdir(parents=True, exist_ok=True)
        if self._run_as:
            shutil.chown(self.directory, self._run_as)
            self.directory.chmod(0o700)
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", self.user, "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        self.port = free_port()
        # Durability off: the cluster lives as long as the test run. Enough connections for the
        # concurrency tests (50 parallel claims) beside the live server's own threads.
        options = (f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c max_connections=200 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.directory / "server.log"),
                  "-o", options, "-w", "-t", str(int(timeout)), "start")
        return self

    def log_tail(self, lines: int = 20) -> str:
        log = self.directory / "server.log"
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""

    def stop(self) -> None:
        if self.data.exists() and (self.data / "postmaster.pid").exists():
            subprocess.run(self._command(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                                         "-w", "stop"), capture_output=True, cwd=self.directory)
        deadline = time.monotonic() + 10
        while (self.data / "postmaster.pid").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        shutil.rmtree(self.directory, ignore_errors=True)


_ENV = "TEST_POSTGRES_URL"


def shared_cluster_url() -> str:
    """The run's cluster: started by the first process that asks, reused by its children.

    The URL goes into the environment, so a server the tests start in a subprocess (gunicorn, the
    development server) uses the same cluster; the process that started it stops it at exit.
    """
    if os.environ.get(_ENV):
        return os.environ[_ENV]
    import atexit

    cluster = PostgresCluster()
    try:
        cluster.start()
    except PostgresError:
        cluster.stop()
        raise
    atexit.register(cluster.stop)
    os.environ[_ENV] = cluster.url
    os.environ["TEST_POSTGRES_VERSION"] = cluster.version
    return cluster.url
