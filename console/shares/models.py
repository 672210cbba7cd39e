"""Managed share links: stored by token hash, revocable, counted, optionally password-protected."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ShareLink(models.Model):
    class Kind(models.TextChoices):
        FILE = "file", _("File")
        FOLDER = "folder", _("Folder (read-only)")
        DROPBOX = "dropbox", _("Upload request (drop box)")

    token_hash = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.FILE)
    connection = models.CharField(max_length=63)
    key = models.CharField(max_length=1100)  # the object, or the folder prefix
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="share_links")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    password = models.CharField(max_length=128, blank=True)  # a Django password hash
    max_downloads = models.PositiveIntegerField(null=True, blank=True)
    download_count = models.PositiveIntegerField(default=0)
    upload_count = models.PositiveIntegerField(default=0)
    last_used_at = models.DateTimeField(null=True, blank=True)
    inline = models.BooleanField(default=False)
    max_upload_size = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} link to {self.connection}:{self.key}"  # i18n: not shown (the shell, logs)

    @property
    def name(self) -> str:
        return self.key.rstrip("/").rsplit("/", 1)[-1] or self.key

    def state(self, now=None) -> str:
        """active, revoked, expired or exhausted."""
        now = now or timezone.now()
        if self.revoked_at:
            return "revoked"
        if self.expires_at and self.expires_at <= now:
            return "expired"
        if self.max_downloads is not None and self.download_count >= self.max_downloads:
            return "exhausted"
        return "active"

    @staticmethod
    def usable(now) -> Q:
        return (Q(revoked_at__isnull=True) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
                & (Q(max_downloads__isnull=True) | Q(download_count__lt=F("max_downloads"))))


class ShareAttempt(models.Model):
    """A failed password attempt, by token hash so unknown tokens are throttled alike."""

    token_hash = models.CharField(max_length=64, db_index=True)
    address = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)


class DropboxKey(models.Model):
    """A key handed to one drop-box visitor with a form upload policy.

    No one else is given the same key while that policy (and a day's grace for a slow upload)
    lives; after that, the object itself is there and keeps the name taken.
    """

    share = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="dropbox_keys")
    connection = models.CharField(max_length=63)
    key = models.CharField(max_length=1100)
    reserved_until = models.DateTimeField(db_index=True)
    address = models.GenericIPAddressField(null=True)  # who asked: policies per address are limited

    class Meta:
        constraints = [models.UniqueConstraint(fields=["connection", "key"], name="dropbox_key_once")]
