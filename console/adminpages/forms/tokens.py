"""The form that issues a service token for the OSS Gateway Manager API."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from storage.gateway import InvalidKey
from storage.keys import as_folder
from storage.models import Connection
from storage.service_tokens import FOLDER_NEEDS_CONNECTIONS

SCOPE_ALL, SCOPE_SOME = "all", "some"
READ_WRITE, READ_ONLY = "read-write", "read-only"


class TokenCreateForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100,
                           help_text=gettext_lazy("Who or what uses it, e.g. 'reporting-service'."))
    scope = forms.ChoiceField(
        label=gettext_lazy("Scope"),
        choices=[(SCOPE_ALL, gettext_lazy("Every connection, present and future")),
                 (SCOPE_SOME, gettext_lazy("Only the connections ticked below"))],
        initial=SCOPE_ALL, widget=forms.RadioSelect,
    )
    connections = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Connections"), queryset=Connection.objects.order_by("name"), required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="name",
    )
    prefix = forms.CharField(
        label=gettext_lazy("Folder (optional)"), required=False, max_length=1024,
        help_text=gettext_lazy("Only the keys under this folder (such as team/), on each connection ticked above (a "
                               "folder needs its connections named); outside it the API answers 404. Empty: every key."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "placeholder": "team/"}),
    )
    access = forms.ChoiceField(
        label=gettext_lazy("Access"), initial=READ_WRITE, required=False, widget=forms.RadioSelect,
        choices=[(READ_WRITE, gettext_lazy("Read and write: also upload, delete, copy")),
                 (READ_ONLY, gettext_lazy("Read only: download, head and list; writes are refused (403)"))],
    )
    expires_days = forms.IntegerField(
        label=gettext_lazy("Expires after (days)"), required=False, min_value=1, max_value=3650,
        help_text=gettext_lazy("Empty: never expires (revoke it when no longer needed)."),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name

    def clean_prefix(self) -> str:
        try:
            return as_folder(self.cleaned_data["prefix"])
        except InvalidKey as e:
            raise forms.ValidationError(_("This cannot be a folder: %(reason)s") % {"reason": e})

    def clean(self):
        data = super().clean()
        if data.get("scope") == SCOPE_SOME and not data.get("connections"):
            self.add_error("connections", _("Tick at least one connection, or choose every connection."))
        if data.get("prefix") and data.get("scope") == SCOPE_ALL:
            self.add_error("prefix", FOLDER_NEEDS_CONNECTIONS)
        return data

    @property
    def scoped_connections(self) -> list[Connection] | None:
        """None when the token may use every connection."""
        if self.cleaned_data["scope"] == SCOPE_ALL:
            return None
        return list(self.cleaned_data["connections"])
