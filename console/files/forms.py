"""Forms of the file manager's background operations: copy or move, abort old uploads."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from console.files.destinations import COPY, KEEP_BOTH, MOVE, DestinationError, clean_folder, clean_name, plan
from console.jobs.services import UPLOAD_AGE_DAYS, UPLOAD_AGE_WORDS

CONFLICTS = [
    (KEEP_BOTH, gettext_lazy("Keep both: the new one is named “name (2).ext”")),
    ("skip", gettext_lazy("Skip it: leave what is there")),
    ("overwrite", gettext_lazy("Replace what is there")),
]


class TransferForm(forms.Form):
    """Copy or move one item (to a folder, under a name) or several (to a folder, under their names), in this
    connection or another one."""

    op = forms.ChoiceField(label=pgettext_lazy("copy or move", "Do"),
                           choices=[(COPY, pgettext_lazy("operation", "Copy")), (MOVE, pgettext_lazy("operation", "Move"))],
                           widget=forms.RadioSelect)
    to = forms.ChoiceField(label=gettext_lazy("To connection"), required=False,
                           help_text=gettext_lazy("Where the destination folder is. Between connections that share no "
                                                  "storage, the worker passes the bytes along: that takes longer."),
                           error_messages={"invalid_choice": gettext_lazy("There is no enabled connection named "
                                                                          "“%(value)s”: choose one from the list.")})
    folder = forms.CharField(label=gettext_lazy("Destination folder"), required=False, max_length=1100,
                             help_text=gettext_lazy("The whole path from the top folder of the connection above, such "
                                                    "as photos/2024/. Empty means the top folder. Folders that do not "
                                                    "exist yet are made."))
    name = forms.CharField(label=gettext_lazy("Name there"), max_length=1100, required=False)
    conflict = forms.ChoiceField(label=gettext_lazy("When that name is taken"), choices=CONFLICTS,
                                 widget=forms.RadioSelect)

    def __init__(self, *args, items: list[str], connection: str, connections: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.items, self.connection = items, connection
        if len(items) != 1:
            del self.fields["name"]
        places = [name for name in [connection, *connections] if name in connections]  # where the person writes
        self.fields["to"].choices = [(name, _("%(name)s (this one)") % {"name": name} if name == connection else name)
                                     for name in dict.fromkeys(places)]
        if places and places[0] != connection and self.initial.get("to") == connection:
            self.initial["to"] = places[0]  # a viewer here copies elsewhere
        if len(self.fields["to"].choices) < 2:
            self.fields["to"].widget = forms.HiddenInput()  # nowhere else to go: no choice to show
        self.fields["folder"].widget.attrs.update(autocomplete="off", spellcheck="false")

    def clean_to(self) -> str:
        return self.cleaned_data.get("to") or self.connection

    def clean(self):
        data = super().clean()
        name = data.get("name") if "name" in self.fields else None
        checks = [(clean_folder, data.get("folder"))] + ([(clean_name, name)] if name is not None else [])
        for check, value in checks:  # each field's own error at once, not one after the other
            try:
                check(value or "")
            except DestinationError as e:
                self.add_error(e.field, str(e))
        if self.errors:
            return data
        try:
            data["pairs"] = plan(self.items, data["op"], data.get("folder", ""), name, data["conflict"],
                                 across=data.get("to", self.connection) != self.connection)
        except DestinationError as e:
            self.add_error(e.field, str(e))
        return data


class AbortOldForm(forms.Form):
    """Abort the multipart uploads under a prefix that started more than N days ago."""

    prefix = forms.CharField(label=gettext_lazy("In the folder"), required=False, max_length=1024,
                             help_text=gettext_lazy("The whole path from the top folder, such as uploads/2024/. Empty "
                                                    "means every upload on this connection."))
    days = forms.IntegerField(label=gettext_lazy("Started more than (days) ago"), min_value=UPLOAD_AGE_DAYS.start,
                              max_value=UPLOAD_AGE_DAYS.stop - 1, initial=7,
                              error_messages={k: UPLOAD_AGE_WORDS
                                              for k in ("invalid", "min_value", "max_value", "required")})

    def clean_prefix(self) -> str:
        try:
            return clean_folder(self.cleaned_data["prefix"])  # "uploads/2024" is the folder uploads/2024/
        except DestinationError as e:
            raise forms.ValidationError(str(e))
