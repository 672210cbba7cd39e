"""`export_s3_config [--include-secrets] [-o FILE]`: the connections as s3.yaml, audited like the page's export."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from console import audit
from storage.config.sync import export_text
from storage.models import Connection


class Command(BaseCommand):
    help = "Print the connections as s3.yaml (secret keys left out unless asked for)."

    def add_arguments(self, parser):
        parser.add_argument("--include-secrets", action="store_true",
                            help="Include secret access keys in plaintext.")
        parser.add_argument("--output", "-o", help="Write to this file instead of standard output.")

    def handle(self, include_secrets, output, **options):
        text = export_text(include_secrets=include_secrets)
        # Who ran it is not known here (whoever may run manage.py on the server); what left is.
        audit.record(None, "config.exported", actor_name=audit.COMMAND_LINE,
                     scope=audit.WITH_SECRETS if include_secrets else audit.WITHOUT_SECRETS,
                     connections=list(Connection.objects.order_by("name").values_list("name", flat=True)),
                     destination=audit.TO_FILE if output else audit.TO_STANDARD_OUTPUT)
        if output:
            with open(output, "w", encoding="utf-8") as f:
                f.write(text)
            if include_secrets:
                self.stderr.write(_("%(file)s holds secret keys in plaintext: protect it.") % {"file": output})
        else:
            self.stdout.write(text, ending="")
