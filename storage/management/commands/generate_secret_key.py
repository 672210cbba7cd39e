from django.core.management.base import BaseCommand

from storage.crypto import generate_key


class Command(BaseCommand):
    help = "Print a new key for CONNECTION_SECRET_KEYS (put it first to rotate)."

    def handle(self, **options):
        self.stdout.write(generate_key())
