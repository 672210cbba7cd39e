"""The form that issues an S3 access key: a person's own (narrowing their grants) or a service's (admins)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from console.access import rules
from console.adminpages.forms.tokens import READ_ONLY, READ_WRITE, SCOPE_ALL, SCOPE_SOME, TokenCreateForm
from storage.models import Connection

__all__ = ["READ_ONLY", "READ_WRITE", "SCOPE_ALL", "SCOPE_SOME", "AccessKeyForm"]


class AccessKeyForm(TokenCreateForm):
    """The service token's form, for a key: for a person, only the connections they hold a role on."""

    def __init__(self, *args, owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["name"].help_text = gettext_lazy("What uses it, e.g. 'laptop' or 'backup-job'.")
        self.fields["access"].choices = [
            (READ_WRITE, gettext_lazy("Read and write: also upload, copy and delete")),
            (READ_ONLY, gettext_lazy("Read only: list and download; writes are refused (AccessDenied)"))]
        self.fields["prefix"].help_text = gettext_lazy(
            "Only the keys under this folder (such as team/), on each connection ticked above (a folder needs its "
            "connections named); outside it S3 tools get AccessDenied. Empty: every key.")
        if owner is not None:
            self.fields["scope"].choices = [
                (SCOPE_ALL, gettext_lazy("Every connection I hold a role on, now and later")),
                (SCOPE_SOME, gettext_lazy("Only the connections ticked below"))]
            names = rules.visible_connections(owner)
            self.fields["connections"].queryset = Connection.objects.filter(name__in=names).order_by("name")

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the key a name."))
        return name
