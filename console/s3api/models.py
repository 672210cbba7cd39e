"""Access keys for the S3 endpoint: an id in the clear, a secret kept encrypted (SigV4 needs it to check)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from storage.crypto import EncryptedTextField
from storage.models import Connection, Revocable


class AccessKey(Revocable, models.Model):
    """A key pair for S3 tools: a person's (`owner` set: their grants, narrowed by the fields below) or a
    service's (`owner` empty: only what the fields below allow, as a service token)."""

    access_key_id = models.CharField(max_length=32, unique=True, editable=False)
    secret = EncryptedTextField(editable=False)  # shown once, when issued; never rendered again
    name = models.CharField(max_length=100)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="s3_access_keys")
    all_connections = models.BooleanField(default=True)
    connections = models.ManyToManyField(Connection, blank=True, related_name="s3_access_keys")
    # "" reaches every key; a folder ("team/") only the keys under it, on each connection the key may use.
    prefix = models.CharField(max_length=1024, blank=True, default="")
    read_only = models.BooleanField(default=False, help_text=gettext_lazy("Lists and reads only."))
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "name"]
        constraints = [models.CheckConstraint(condition=models.Q(prefix="") | models.Q(prefix__endswith="/"),
                                              name="s3_access_key_prefix_is_folder")]

    def __str__(self) -> str:
        return f"{self.name} ({self.access_key_id})"

    def __repr__(self) -> str:  # never the secret
        return f"<AccessKey {self.access_key_id} {self.name!r}>"
