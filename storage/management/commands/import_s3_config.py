from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from storage.config.s3yaml import S3ConfigError
from storage.config.sync import import_file


class Command(BaseCommand):
    help = "Create or update connections from an s3.yaml file (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--prune", action="store_true", help="Remove connections not in the file.")

    def handle(self, path, prune, **options):
        try:
            plan = import_file(path, prune=prune)
        except S3ConfigError as e:
            raise CommandError(str(e)) from None
        for change in plan.created:
            self.stdout.write(_("created   %(name)s") % {"name": change.name})
        for change in plan.updated:
            self.stdout.write(_("updated   %(name)s (%(changed)s)") % {"name": change.name, "changed": ", ".join(change.changed)})
        for name in plan.unchanged:
            self.stdout.write(_("unchanged %(name)s") % {"name": name})
        for name in plan.removed:
            self.stdout.write(_("removed   %(name)s") % {"name": name})
        self.stdout.write(self.style.SUCCESS(_("%(path)s: %(summary)s; default is '%(default)s'") % {
            "path": path, "summary": plan.summary(), "default": plan.default}))
