"""`make run`: SeaweedFS in .data/, a ready connection and bucket, an admin, runserver and a jobs worker."""

from __future__ import annotations

import secrets
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from console.devprocesses import Watchdog, stop_groups
from storage.connections import ConnectionSpec
from storage.dev.bootstrap import ensure_bucket
from storage.dev.seaweedfs import SeaweedFS, SeaweedFSError, free_port
from storage.models import Connection

CONNECTION_NAME = "local"
BUCKET = "console"


def _kept_secret(path: Path) -> str:
    if path.exists():
        return path.read_text().strip()
    value = secrets.token_urlsafe(18)
    path.write_text(value)
    path.chmod(0o600)
    return value


STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


def _stop_on_signals() -> None:
    """SIGTERM (a service manager, `timeout`, a script) and SIGHUP stop as cleanly as Ctrl+C.

    A signal inherited as ignored stays ignored (`nohup`; SIGINT in a script's background job).
    """

    def stop(signum, frame):
        raise KeyboardInterrupt

    for signum in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(signum) != signal.SIG_IGN:
            signal.signal(signum, stop)


def _ignore_stop_signals() -> None:
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


def _port_is_free(port: int) -> bool:
    import socket

    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class Command(BaseCommand):
    help = "Run the console for development with an embedded SeaweedFS S3."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument("--s3-port", type=int, default=8333)

    def handle(self, addr, s3_port, **options):
        data = Path(settings.DATA_DIR)
        data.mkdir(parents=True, exist_ok=True)
        host, _, port = addr.rpartition(":")
        if not _port_is_free(int(port)):
            raise CommandError(gettext("Port %(port)s is taken; stop what uses it or pass --addr HOST:PORT.")
                               % {"port": port})
        s3 = SeaweedFS(data / "seaweedfs", access_key="console-dev",
                       secret_key=_kept_secret(data / "s3-dev-secret"),
                       s3_port=s3_port if _port_is_free(s3_port) else free_port())
        _stop_on_signals()
        watchdog = Watchdog(settings.BASE_DIR)  # stops SeaweedFS and runserver if this process is killed hard
        try:
            self.stdout.write(gettext("Starting SeaweedFS (data in %(data)s) ...") % {"data": s3.data_dir})
            try:
                s3.start()
            except SeaweedFSError as e:
                raise CommandError(str(e)) from None
            watchdog.watch(s3.process.pid)  # its own session: the pid is the group
            self._prepare(s3, addr)
            self._serve(addr, watchdog)
        except KeyboardInterrupt:
            pass
        finally:
            _ignore_stop_signals()  # a second signal must not cut the clean-up short
            self.stdout.write(gettext("Stopping SeaweedFS ..."))
            s3.stop()
            watchdog.done()

    def _prepare(self, s3: SeaweedFS, addr: str) -> None:
        record, _ = Connection.objects.update_or_create(
            name=CONNECTION_NAME,
            defaults={"endpoint": s3.endpoint, "region": "us-east-1", "access_key_id": s3.access_key,
                      "secret_access_key": s3.secret_key, "bucket": BUCKET, "use_ssl": False, "enabled": True},
        )
        if not Connection.objects.filter(is_default=True).exists():
            record.make_default()
        ensure_bucket(ConnectionSpec.from_record(record))
        password = _kept_secret(Path(settings.DATA_DIR) / "admin-password")
        User = get_user_model()
        user = User.objects.filter(username="admin").first()
        if user is None:
            user = User.objects.create_superuser("admin", "admin@localhost", password)
            user.groups.add(Group.objects.get(name="admin"))
        self.stdout.write(self.style.SUCCESS(gettext(
            "\nS3 (SeaweedFS): %(endpoint)s  bucket '%(bucket)s', connection '%(connection)s'\n"
            "Console: http://%(addr)s/   sign in as: admin / %(password)s\n"
            "(the password is kept in %(kept)s)\n"
        ) % {"endpoint": s3.endpoint, "bucket": BUCKET, "connection": CONNECTION_NAME, "addr": addr,
             "password": password, "kept": Path(settings.DATA_DIR) / "admin-password"}))

    def _serve(self, addr: str, watchdog: Watchdog) -> None:
        # Each in a session of its own, so a process group: stopping the group stops the autoreloader's
        # child (the process holding the port) too, and SIGTERM works where SIGINT was inherited as ignored.
        # The jobs worker runs beside the server (background jobs: delete a folder, copy, move ...).
        server = subprocess.Popen([sys.executable, "manage.py", "runserver", addr], cwd=settings.BASE_DIR,
                                  start_new_session=True)
        watchdog.watch(server.pid)
        worker = subprocess.Popen([sys.executable, "manage.py", "jobs_worker"], cwd=settings.BASE_DIR,
                                  start_new_session=True)
        watchdog.watch(worker.pid)
        try:
            server.wait()
        finally:
            _ignore_stop_signals()
            stop_groups([server.pid, worker.pid])
            server.wait()
            worker.wait()
