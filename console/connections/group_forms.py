"""The form that makes or changes a group of connections: its name, its members, how writes pick one."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from storage.gateway import ConnectionNotFound
from storage.groups.members import GROUP, member_problem
from storage.models import Connection


class GroupForm(forms.ModelForm):
    members = forms.MultipleChoiceField(
        label=gettext_lazy("Members"), widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("The connections this group presents as one. Each new file goes to one of them."),
    )

    class Meta:
        model = Connection
        fields = ["name", "placement"]
        labels = {"name": gettext_lazy("Name"), "placement": gettext_lazy("Where new files go")}
        help_texts = {"placement": gettext_lazy(
            "By key: each file's name decides its member, and adding a member moves about one file in n. "
            "Most free space: the member that reports the most room (by key when none reports it). "
            "A file that exists already is always replaced where it is.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = self.instance.pk is not None
        self.instance.kind = GROUP  # before validation: the model asks a bucket only of kind "s3"
        choices = Connection.objects.exclude(kind=GROUP).filter(enabled=True).order_by("name")
        self.fields["members"].choices = [(c.name, c.name) for c in choices]
        if self.editing:
            self.fields["name"].disabled = True
            self.fields["name"].help_text = gettext_lazy("The name is the storage id; it cannot change.")
            self.initial["members"] = list(self.instance.members or [])

    def clean(self):
        cleaned = super().clean()
        name, members = cleaned.get("name") or self.instance.name, tuple(cleaned.get("members") or ())
        if name and members:
            problem = member_problem(name, members, _record_lookup)
            if problem:
                self.add_error("members", problem)
        return cleaned

    def save(self, commit: bool = True) -> Connection:
        connection = super().save(commit=False)
        connection.kind, connection.bucket = GROUP, ""
        connection.members = sorted(self.cleaned_data["members"])  # the ring does not depend on their order
        if commit:
            connection.save()
        return connection


def _record_lookup(name: str):
    connection = Connection.objects.filter(name=name, enabled=True).first()
    if connection is None:
        raise ConnectionNotFound(name)
    return connection
