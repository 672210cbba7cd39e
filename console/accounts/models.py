"""Accounts that sign in through an OpenID Connect provider, linked by the provider's subject."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models


class OidcAccount(models.Model):
    """Which console user a provider's person is: found by issuer and `sub`, never by name or email.

    `synced_groups` are the memberships the sign-in sync gave this person; each sign-in
    leaves those the groups claim no longer names, and never touches memberships made here.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_account")
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    synced_groups = models.ManyToManyField(Group, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="oidc_account_one_per_subject")]

    def __str__(self) -> str:
        return f"{self.user} ({self.subject} at {self.issuer})"


class Preferences(models.Model):
    """A person's own language and time zone; blank means "as the browser asks" and "the console's zone"."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences")
    language = models.CharField(max_length=16, blank=True)
    time_zone = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.user}: {self.language or '-'}, {self.time_zone or '-'}"
