from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

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
            raise CommandError(_("There are no connections."))
        default_ok = True
        for storage in storages:
            label = _("%(name)s (default)") % {"name": storage.name} if storage.default else storage.name
            if not storage.enabled:
                self.stdout.write(_("%(name)s: disabled") % {"name": label})
                continue
            try:
                report = gateway.check_health(storage.id, timeout=timeout)
            except StorageError as e:
                ok, text = False, str(e)
            else:
                ok = report.ok
                text = _("ok, bucket present, %(ms).0f ms") % {"ms": report.latency_ms} if ok else report.detail
            style = self.style.SUCCESS if ok else self.style.ERROR
            self.stdout.write(style(_("%(name)s: %(state)s") % {"name": label, "state": text}))
            if storage.default and not ok:
                default_ok = False
        if not default_ok:
            raise CommandError(_("The default connection is not usable."))
