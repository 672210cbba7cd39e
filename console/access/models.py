"""A grant: a user or a group holds a role on one connection, on the whole bucket or one folder of it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from console.roles import EDITOR, MANAGER, VIEWER
from storage.gateway import InvalidKey
from storage.keys import has_direction_controls, validate_prefix
from storage.models import Connection

FOLDER_SHOWS_AS_ANOTHER = gettext_lazy("The folder holds a text-direction control character, which can make it show "
                                      "as another folder's name; type it without one.")


class Grant(models.Model):
    class Role(models.TextChoices):
        VIEWER = VIEWER, gettext_lazy("Viewer (browse, preview, download)")
        EDITOR = EDITOR, gettext_lazy("Editor (also upload, delete, rename, move, copy, share)")
        MANAGER = MANAGER, gettext_lazy("Manager (also CORS, incomplete uploads, grants on the connection)")

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="grants")
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(max_length=8, choices=Role.choices)
    # "" is the whole bucket; otherwise a folder ("team/"): it covers the keys that start with it.
    prefix = models.CharField(max_length=1100, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["connection__name", "prefix", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(user__isnull=False, group__isnull=True)
                                   | Q(user__isnull=True, group__isnull=False), name="grant_to_user_or_group"),
            models.CheckConstraint(condition=Q(prefix="") | Q(prefix__endswith="/"), name="grant_prefix_is_folder"),
            models.CheckConstraint(condition=Q(role__in=[VIEWER, EDITOR, MANAGER]), name="grant_role_known"),
            # NULLs are distinct in a unique constraint: one constraint per kind of holder.
            models.UniqueConstraint(fields=["connection", "user", "prefix"], condition=Q(user__isnull=False),
                                    name="one_grant_per_user_and_folder"),
            models.UniqueConstraint(fields=["connection", "group", "prefix"], condition=Q(group__isnull=False),
                                    name="one_grant_per_group_and_folder"),
        ]

    def __str__(self) -> str:
        holder = f"group {self.group}" if self.group_id else f"user {self.user}"
        return f"{holder}: {self.role} on {self.connection}:{self.prefix or '(all)'}"

    @property
    def holder_label(self) -> str:
        """Whom it is given to, as a sentence says it: "the group finance", "pat"."""
        return _("the group %(name)s") % {"name": self.group.name} if self.group_id else self.user.get_username()

    @property
    def place(self) -> str:
        """Where it holds, as a sentence says it: "team/ on primary", "the whole of primary"."""
        if self.prefix:
            return _("%(folder)s on %(connection)s") % {"folder": self.prefix, "connection": self.connection.name}
        return _("the whole of %(connection)s") % {"connection": self.connection.name}

    def clean(self) -> None:
        if (self.user_id is None) == (self.group_id is None):
            raise ValidationError(_("A grant is given to a user or to a group, not both."))
        if self.prefix and not self.prefix.endswith("/"):
            raise ValidationError({"prefix": _("A folder ends in '/' (for example team/); leave it empty for the "
                                               "whole bucket.")})
        try:
            validate_prefix(self.prefix)
        except InvalidKey as e:
            raise ValidationError({"prefix": str(e)})
        if has_direction_controls(self.prefix):
            raise ValidationError({"prefix": FOLDER_SHOWS_AS_ANOTHER})
