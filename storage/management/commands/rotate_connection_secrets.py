from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils.translation import ngettext

from storage.crypto import rotate
from storage.models import Connection


class Command(BaseCommand):
    help = "Re-encrypt every stored secret with the first key of CONNECTION_SECRET_KEYS."

    @transaction.atomic
    def handle(self, **options):
        # Raw rows: the model field would decrypt, and rotation needs the ciphertext.
        table = connection.ops.quote_name(Connection._meta.db_table)
        count = 0
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, secret_access_key FROM {table}")
            for pk, stored in cursor.fetchall():
                if stored:
                    cursor.execute(f"UPDATE {table} SET secret_access_key = %s WHERE id = %s", [rotate(stored), pk])
                    count += 1
        self.stdout.write(ngettext("Re-encrypted %(count)s secret with the newest key.",
                                   "Re-encrypted %(count)s secrets with the newest key.", count) % {"count": count})
