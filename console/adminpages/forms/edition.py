"""The edition form: fields fixed by the environment are shown, locked, and never saved."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from storage.edition import effective_edition
from storage.endpoint_rules import EndpointRefused, check_endpoint
from storage.models import EditionSettings


class EditionForm(forms.ModelForm):
    ossgateway_url = forms.URLField(
        label=gettext_lazy("OSS Gateway Manager URL"), required=False, assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://ossgateway.example.com"}),
        help_text=gettext_lazy("Used by the commercial edition (the OSS Gateway Manager client)."),
    )

    class Meta:
        model = EditionSettings
        fields = ["edition", "storage_backend", "ossgateway_url"]
        widgets = {"edition": forms.RadioSelect, "storage_backend": forms.RadioSelect}
        labels = {"edition": gettext_lazy("Edition"), "storage_backend": gettext_lazy("Storage backend override")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.effective = effective_edition(self.instance)
        for name, env_name in self.effective.locked.items():
            field = self.fields[name]
            field.disabled = True
            field.initial = getattr(self.effective, name)
            self.initial[name] = getattr(self.effective, name)
            field.locked_by = env_name  # shown next to the field

    def clean_ossgateway_url(self) -> str:
        url = (self.cleaned_data.get("ossgateway_url") or "").rstrip("/")
        if url and "ossgateway_url" not in self.effective.locked:
            try:
                check_endpoint(url)
            except EndpointRefused as e:
                raise forms.ValidationError(str(e)) from None
        return url

    def clean(self):
        cleaned = super().clean()
        backend = cleaned.get("storage_backend") or ("ossgateway" if cleaned.get("edition") == "commercial" else "s3")
        if backend == "ossgateway" and not cleaned.get("ossgateway_url") and "ossgateway_url" not in self.errors:
            self.add_error("ossgateway_url", _("The OSS Gateway Manager client needs the manager's URL."))
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # Locked values come from the environment: the row keeps what admins last chose.
        stored = EditionSettings.objects.filter(pk=self.instance.pk).first() or EditionSettings()
        for name in self.effective.locked:
            setattr(self.instance, name, getattr(stored, name))

    def changed_fields(self) -> list[str]:
        return [n for n in self.changed_data if n not in self.effective.locked]


class ManagerTestForm(forms.Form):
    ossgateway_url = forms.URLField(label=gettext_lazy("OSS Gateway Manager URL"), assume_scheme="https")
