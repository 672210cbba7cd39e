from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from console.sizes import HELP as SIZE_HELP
from console.sizes import SizeField
from storage.gateway import MAX_URL_EXPIRES

DROPBOX_DEFAULT_CAP = 100 * 1024**2
DROPBOX_MAX_CAP = 5 * 1024**3  # S3's limit for a form (POST) upload

EXPIRY_CHOICES = [
    ("900", gettext_lazy("15 minutes")), ("3600", gettext_lazy("1 hour")), ("86400", gettext_lazy("1 day")),
    ("604800", gettext_lazy("7 days")), ("2592000", gettext_lazy("30 days")),
    ("custom", gettext_lazy("Custom number of days")), ("never", gettext_lazy("Never (managed links only)")),
]
KIND_CHOICES = [
    ("managed", gettext_lazy("Managed link — any expiry, can be revoked, counted, optional password")),
    ("raw", gettext_lazy("Raw presigned link — at most 7 days, cannot be revoked")),
]
FOLDER_KIND_CHOICES = [
    ("managed", gettext_lazy("Read-only folder link — visitors list and download the files")),
    ("dropbox", gettext_lazy("Upload request (drop box) — visitors without an account upload into this folder")),
]


class ShareForm(forms.Form):
    kind = forms.ChoiceField(choices=KIND_CHOICES, initial="managed", widget=forms.RadioSelect)
    expires = forms.ChoiceField(choices=EXPIRY_CHOICES, initial="604800", label=gettext_lazy("Expires after"))
    custom_days = forms.IntegerField(min_value=1, max_value=3650, required=False, label=gettext_lazy("Days (custom)"))
    password = forms.CharField(required=False, widget=forms.PasswordInput, strip=False, label=gettext_lazy("Password"),
                               help_text=gettext_lazy("Managed links only. Visitors must type it."))
    max_downloads = forms.IntegerField(min_value=1, required=False, label=gettext_lazy("Maximum downloads"),
                                       help_text=gettext_lazy("Managed links only. Empty means no limit."))
    inline = forms.BooleanField(required=False, label=gettext_lazy("Open in the browser instead of downloading"))

    def __init__(self, *args, folder: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.folder = folder
        if folder:
            self.fields["kind"].choices = FOLDER_KIND_CHOICES
            self.fields["max_upload"] = SizeField(
                max_size=DROPBOX_MAX_CAP, required=False, initial=DROPBOX_DEFAULT_CAP,
                label=gettext_lazy("Largest upload"),
                help_text=format_lazy(pgettext_lazy("two sentences, one after the other", "{} {}"),
                                      gettext_lazy("Drop box only; at most 5 GB (S3's limit for a form upload)."),
                                      SIZE_HELP))

    def lifetime(self) -> dt.timedelta | None:
        choice = self.cleaned_data["expires"]
        if choice == "never":
            return None
        if choice == "custom":
            return dt.timedelta(days=self.cleaned_data["custom_days"])
        return dt.timedelta(seconds=int(choice))

    def expires_at(self) -> dt.datetime | None:
        lifetime = self.lifetime()
        return timezone.now() + lifetime if lifetime else None

    def clean(self):
        data = super().clean()
        if data.get("expires") == "custom" and not data.get("custom_days"):
            self.add_error("custom_days", _("Give the number of days."))
            return data
        if self.errors:
            return data
        lifetime = self.lifetime()
        if data["kind"] == "raw":
            if lifetime is None or lifetime.total_seconds() > MAX_URL_EXPIRES:
                self.add_error("expires", _("A raw presigned link lasts at most 7 days (an S3 signature limit). "
                                            "Choose a managed link for longer."))
            if data.get("password") or data.get("max_downloads"):
                self.add_error("kind", _("Passwords and download limits need a managed link."))
        return data
