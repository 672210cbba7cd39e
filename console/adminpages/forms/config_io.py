"""Forms for s3.yaml import (upload, then apply) and export."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_FILE_BYTES = 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("s3.yaml file"), help_text=gettext_lazy("At most 1 MiB."))
    prune = forms.BooleanField(
        label=gettext_lazy("Remove connections that are not in the file"), required=False,
        help_text=gettext_lazy("Without this, connections missing from the file are kept as they are."),
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MiB; an s3.yaml is a few kilobytes."))
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from None


class ExportForm(forms.Form):
    include_secrets = forms.BooleanField(
        label=gettext_lazy("Include secret access keys"), required=False,
        help_text=gettext_lazy("Anyone who gets the file can then use the storage. Keep it somewhere safe, or leave "
                               "this off."),
    )
