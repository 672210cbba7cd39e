from django.core.management.base import BaseCommand

from storage.config.sync import export_text


class Command(BaseCommand):
    help = "Print the connections as s3.yaml (secret keys left out unless asked for)."

    def add_arguments(self, parser):
        parser.add_argument("--include-secrets", action="store_true",
                            help="Include secret access keys in plaintext.")
        parser.add_argument("--output", "-o", help="Write to this file instead of standard output.")

    def handle(self, include_secrets, output, **options):
        text = export_text(include_secrets=include_secrets)
        if output:
            with open(output, "w", encoding="utf-8") as f:
                f.write(text)
            if include_secrets:
                self.stderr.write(f"{output} holds secret keys in plaintext: protect it.")
        else:
            self.stdout.write(text, ending="")
