"""The audit log: who changed what, when, from where. It never holds a secret."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_name = models.CharField(max_length=150, blank=True)  # kept when the user is deleted
    kind = models.CharField(max_length=64, db_index=True)  # e.g. "connection.created"
    connection = models.CharField(max_length=63, blank=True, db_index=True)
    target = models.CharField(max_length=1100, blank=True)  # an object key, a user name...
    detail = models.JSONField(default=dict, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    # The same event again from the same address soon after (console.audit.record_or_count): counted here.
    repeats = models.PositiveIntegerField(default=0)
    last_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name or '-'} {self.kind} {self.target}"


class ReadingGap(models.Model):
    """When a person last read a whole folder to sort it (console/files/sorted_snapshots.py): one row each, in the
    database so that every server process keeps the same gap between such readings."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True)
    read_at = models.DateTimeField()
