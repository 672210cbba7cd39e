from django.core.management.base import BaseCommand, CommandError

from storage.factory import get_gateway
from storage.gateway import StorageError


class Command(BaseCommand):
    help = "Check every connection: reachable, bucket present, latency, or the cause."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=3.0)

    def handle(self, timeout, **options):
        gateway = get_gateway()
        storages = gateway.list_storages()
        if not storages:
            raise CommandError("There are no connections.")
        default_ok = True
        for storage in storages:
            label = f"{storage.name}{' (default)' if storage.default else ''}"
            if not storage.enabled:
                self.stdout.write(f"{label}: disabled")
                continue
            try:
                report = gateway.check_health(storage.id, timeout=timeout)
            except StorageError as e:
                ok, text = False, str(e)
            else:
                ok = report.ok
                text = f"ok, bucket present, {report.latency_ms:.0f} ms" if ok else report.detail
            style = self.style.SUCCESS if ok else self.style.ERROR
            self.stdout.write(style(f"{label}: {text}"))
            if storage.default and not ok:
                default_ok = False
        if not default_ok:
            raise CommandError("The default connection is not usable.")
