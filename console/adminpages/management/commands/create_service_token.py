"""`create_service_token NAME [--connections a,b] [--prefix team/] [--read-only] [--expires-days N]`: print it once."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from console import audit
from storage import service_tokens
from storage.models import Connection


class Command(BaseCommand):
    help = "Create a service token for the OSS Gateway Manager API and print it (it is shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="who or what uses the token")
        parser.add_argument("--connections", default="",
                            help="comma-separated connection names it may use (default: every connection)")
        parser.add_argument("--prefix", default="", help="a folder such as team/: only keys under it, on the --connections named (default: all keys)")
        parser.add_argument("--read-only", action="store_true", help="sign reads only (download, head, listing)")
        parser.add_argument("--expires-days", type=int, default=None, help="lifetime in days (default: no expiry)")

    def handle(self, name, connections, prefix, read_only, expires_days, **options):
        scope = self._connections(connections)
        try:
            issued = service_tokens.issue_token(name, connections=scope, prefix=prefix, read_only=read_only,
                                                expires_days=expires_days)
        except ValueError as e:
            raise CommandError(str(e)) from None
        audit.record(None, "token.created", target=issued.record.name, actor_name="manage.py",
                     scope="all" if scope is None else ",".join(c.name for c in scope),
                     prefix=issued.record.prefix, read_only=issued.record.read_only,
                     expires_at=issued.record.expires_at.isoformat() if issued.record.expires_at else "never")
        self.stderr.write(_("Created '%(name)s'. Store the token now: it is not shown again.") % {"name": issued.record.name})
        self.stdout.write(issued.raw)

    @staticmethod
    def _connections(names: str) -> list[Connection] | None:
        wanted = [n.strip() for n in names.split(",") if n.strip()]
        if not wanted:
            return None
        found = {c.name: c for c in Connection.objects.filter(name__in=wanted)}
        missing = [n for n in wanted if n not in found]
        if missing:
            raise CommandError(_("No connection named: %(names)s.") % {"names": ", ".join(missing)})
        return [found[n] for n in wanted]
