"""Connection records and the edition settings row."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from storage.crypto import EncryptedTextField

NAME_RULE = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$",
    gettext_lazy("Use 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit."),
)


class AddressingStyle(models.TextChoices):
    AUTO = "auto", gettext_lazy("Automatic (path for custom endpoints)")
    PATH = "path", gettext_lazy("Path (https://host/bucket/key)")
    VIRTUAL = "virtual", gettext_lazy("Virtual host (https://bucket.host/key)")


class ConnectionKind(models.TextChoices):
    S3 = "s3", gettext_lazy("S3-compatible storage")
    LOCAL = "local", gettext_lazy("Local folder")
    GROUP = "group", gettext_lazy("Group of connections")


class GroupPlacement(models.TextChoices):
    HASH = "hash", gettext_lazy("By key (consistent hashing)")
    FREE_SPACE = "free_space", gettext_lazy("The member with the most free space")


class Connection(models.Model):
    """A place objects live, named by the gateway's `oss_id`: an S3-compatible storage and bucket (the usual
    kind), a folder on the console's server, or a group of other connections presented as one."""

    kind = models.CharField(max_length=8, choices=ConnectionKind.choices, default=ConnectionKind.S3)

    name = models.CharField(max_length=63, unique=True, validators=[NAME_RULE])
    endpoint = models.CharField(
        max_length=255, blank=True, help_text=gettext_lazy("host[:port] or URL; empty means AWS S3.")
    )
    public_endpoint = models.CharField(
        max_length=255, blank=True,
        help_text=gettext_lazy("What browsers reach, when the endpoint is internal; empty means the same."),
    )
    region = models.CharField(max_length=64, default="us-east-1")
    access_key_id = models.CharField(max_length=255, blank=True)
    secret_access_key = EncryptedTextField(blank=True)
    bucket = models.CharField(max_length=63, blank=True)
    # kind "local": the folder on the console's server that holds the objects.
    local_root = models.CharField(max_length=1000, blank=True)
    # kind "group": the member connections' names, in order, and how a write picks one.
    members = models.JSONField(default=list, blank=True)
    placement = models.CharField(max_length=16, choices=GroupPlacement.choices, default=GroupPlacement.HASH)
    # Uploads whose SHA-256 is already stored in this connection become server-side copies.
    instant_uploads = models.BooleanField(gettext_lazy("Instant uploads of files already stored"), default=False)
    addressing_style = models.CharField(
        max_length=8, choices=AddressingStyle.choices, default=AddressingStyle.AUTO
    )
    use_ssl = models.BooleanField(gettext_lazy("Use TLS"), default=True)
    verify_ssl = models.BooleanField(gettext_lazy("Verify TLS certificates"), default=True)
    enabled = models.BooleanField(default=True)
    is_default = models.BooleanField(default=False)
    max_upload_size = models.BigIntegerField(
        default=5 * 1024**4, help_text=gettext_lazy("Largest object people may upload, in bytes.")
    )
    # The s3.yaml loaded at start-up (S3_CONFIG) that owns this record: each start applies it
    # again, so the console refuses edits that the next start would undo. Empty: people manage it.
    managed_by = models.CharField(
        max_length=500, blank=True, editable=False,
        help_text=gettext_lazy("The s3.yaml loaded at start-up that defines this connection; empty when managed in the console."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True),
                name="at_most_one_default_connection",
            ),
            models.CheckConstraint(
                condition=models.Q(is_default=False) | models.Q(enabled=True),
                name="default_connection_is_enabled",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == ConnectionKind.S3 and not self.bucket:
            raise ValidationError({"bucket": models.Field.default_error_messages["blank"]})
        if self.is_default and not self.enabled:
            raise ValidationError({"enabled": _("The default connection must stay enabled.")})

    @property
    def is_managed(self) -> bool:
        """The next start applies the file again (a mark left by a file S3_CONFIG no longer names is stale)."""
        return bool(self.managed_by) and self.managed_by == settings.S3_CONFIG

    @property
    def managed_reason(self) -> str:
        """Why the console refuses to change this record, in words for a person ('' when it does not)."""
        if not self.is_managed:
            return ""
        return _("'%(name)s' is managed by %(file)s (S3_CONFIG), which is loaded at every start: a change made here "
                 "would be undone at the next start. Change the file instead.") % {"name": self.name, "file": self.managed_by}

    @classmethod
    def default_lock_reason(cls) -> str:
        """Why the default may not move to another connection ('' when it may): the file manages it."""
        current = cls.objects.filter(is_default=True).first()
        if not (current and current.is_managed):
            return ""
        return _("The default connection comes from the start-up file. %(why)s") % {"why": current.managed_reason}

    @property
    def has_secret(self) -> bool:
        return bool(self.secret_access_key)

    def make_default(self, *, audit: Callable[[str], object] = lambda previous: None) -> str:
        """Make this the one default connection; returns the one it replaced ('' when none).

        Every connection row is locked first, in one order: parallel switches take turns (none
        trips the one-default constraint, none deadlocks), and each sees the default the one
        before it left. `audit(previous)` runs in the same transaction.
        """
        with transaction.atomic():
            rows = list(Connection.objects.select_for_update().order_by("pk").values_list("name", "is_default"))
            previous = next((name for name, is_default in rows if is_default and name != self.name), "")
            Connection.objects.filter(is_default=True).exclude(pk=self.pk).update(is_default=False)
            self.is_default = True
            self.enabled = True
            self.save(update_fields=["is_default", "enabled", "updated_at"])
            audit(previous)
        return previous

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            if self.enabled and not self.is_default:
                has_default = Connection.objects.filter(is_default=True).exclude(pk=self.pk).exists()
                if not has_default:
                    self.is_default = True  # the first enabled connection becomes the default
                    if kwargs.get("update_fields") is not None:
                        kwargs["update_fields"] = {*kwargs["update_fields"], "is_default"}
            super().save(*args, **kwargs)


class Edition(models.TextChoices):
    COMMUNITY = "community", gettext_lazy("Community (S3 directly)")
    COMMERCIAL = "commercial", gettext_lazy("Commercial (OSS Gateway Manager)")


class StorageBackend(models.TextChoices):
    AUTO = "", gettext_lazy("From the edition")
    S3 = "s3", gettext_lazy("S3 gateway")
    OSSGATEWAY = "ossgateway", gettext_lazy("OSS Gateway Manager client")


class EditionSettings(models.Model):
    """One row; values set in the environment win over it (see storage.edition)."""

    edition = models.CharField(max_length=16, choices=Edition.choices, default=Edition.COMMUNITY)
    storage_backend = models.CharField(
        max_length=16, choices=StorageBackend.choices, default=StorageBackend.AUTO, blank=True
    )
    ossgateway_url = models.URLField(gettext_lazy("OSS Gateway Manager URL"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("edition settings")
        verbose_name_plural = gettext_lazy("edition settings")

    def __str__(self) -> str:
        return f"{self.edition} edition"

    @classmethod
    def load(cls) -> EditionSettings:
        row, _ = cls.objects.get_or_create(pk=1)
        return row

    @classmethod
    def current(cls) -> EditionSettings:
        """The row, or the defaults (unsaved) before an admin saves one: reading writes nothing."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    def save(self, *args, **kwargs) -> None:
        self.pk = 1
        super().save(*args, **kwargs)


class Revocable:
    """What a credential with `revoked_at` and `expires_at` says of itself (a service token, an S3 access key)."""

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now=None) -> bool:
        from django.utils import timezone

        return self.expires_at is not None and self.expires_at <= (now or timezone.now())


class ServiceToken(Revocable, models.Model):
    """A bearer token for the OSS Gateway Manager API; only its SHA-256 is stored."""

    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(max_length=16, editable=False, help_text=gettext_lazy("The token's first characters."))
    all_connections = models.BooleanField(default=True)
    connections = models.ManyToManyField(Connection, blank=True, related_name="service_tokens")
    # "" reaches every key; a folder ("team/") only the keys under it, on each connection the token may use.
    prefix = models.CharField(max_length=1024, blank=True, default="")
    read_only = models.BooleanField(default=False, help_text=gettext_lazy("Signs reads (download, head, listing) only."))
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "name"]
        constraints = [models.CheckConstraint(condition=models.Q(prefix="") | models.Q(prefix__endswith="/"),
                                              name="service_token_prefix_is_folder")]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"


class CappedMultipartUpload(models.Model):
    """A multipart upload started through the API on a connection that caps uploads.

    Its declared size fixes every part's length, and each part URL is signed for exactly that
    length, so the parts can never add up to more than was declared (and checked against the cap).
    """

    connection = models.CharField(max_length=63)
    key = models.CharField(max_length=1100)
    upload_id = models.CharField(max_length=1024)
    size = models.BigIntegerField()
    part_size = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["connection", "upload_id"])]

    def part_length(self, number: int) -> int | None:
        """The exact length of part `number`, or None when the declared size has no such part."""
        parts = max(1, -(-self.size // self.part_size))
        if not 1 <= number <= parts:
            return None
        return self.part_size if number < parts else self.size - self.part_size * (parts - 1)


class StoredHash(models.Model):
    """One object whose SHA-256 the console learnt from its own hashed upload (#19 item 5, instant uploads).

    A lead, not a proof: before a copy, the object's own `x-amz-meta-sha256`, size and ETag are read again and
    must still match, else the row is dropped. One row per object: uploading over a key replaces its row.
    """

    sha256 = models.CharField(max_length=64, db_index=True)
    connection = models.CharField(max_length=63)
    key = models.CharField(max_length=1100)
    size = models.BigIntegerField()
    etag = models.CharField(max_length=200)
    stored_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["connection", "key"], name="stored_hash_one_per_object")]
