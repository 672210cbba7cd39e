"""The audit log's filter (a GET form, so a filtered view is a link people can keep)."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from console.adminpages.audit_names import kind_name
from console.audit import target_under
from console.models import AuditEvent
from storage.gateway import InvalidKey
from storage.keys import as_folder


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    user = forms.CharField(label=gettext_lazy("User"), required=False, max_length=150)
    connection = forms.CharField(label=gettext_lazy("Connection"), required=False, max_length=63)
    folder = forms.CharField(label=gettext_lazy("Folder"), required=False, max_length=1024,
                             widget=forms.TextInput(attrs={"placeholder": "team/", "spellcheck": "false"}))
    since = forms.DateField(label=pgettext_lazy("date", "From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=pgettext_lazy("date", "To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = AuditEvent.objects.order_by("kind").values_list("kind", flat=True).distinct()
        self.fields["kind"].choices = [("", _("Any")), *((k, kind_name(k)) for k in kinds)]

    def clean_folder(self) -> str:
        try:
            return as_folder(self.cleaned_data["folder"])
        except InvalidKey as e:
            raise forms.ValidationError(_("This cannot be a folder: %(reason)s") % {"reason": e})

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned

    def filter(self, events: QuerySet) -> QuerySet:
        if not self.is_valid():
            return events.none()
        data = self.cleaned_data
        if data["kind"]:
            events = events.filter(kind=data["kind"])
        if data["user"]:
            events = events.filter(actor_name__iexact=data["user"].strip())
        if data["connection"]:
            events = events.filter(connection__iexact=data["connection"].strip())
        if data["folder"]:  # an object's key, a grant's folder: what the entry was done to
            events = events.filter(target_under(data["folder"]))
        if data["since"]:
            events = events.filter(at__date__gte=data["since"])
        if data["until"]:
            events = events.filter(at__date__lte=data["until"])
        return events
