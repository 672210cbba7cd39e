"""Forms for the users page: create a person with a role; change a role."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from console.accounts import lookalikes
from console.roles import ADMIN, EDITOR, VIEWER

ROLE_CHOICES = [
    (VIEWER, _("Viewer: browse and download")),
    (EDITOR, _("Editor: also upload, delete and share")),
    (ADMIN, _("Admin: also connections, edition, tokens, users and the audit log")),
]
ROLE_CHOICES_WITH_NONE = [*ROLE_CHOICES, ("", _("No role: can sign in, sees nothing"))]


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150, validators=[UnicodeUsernameValidator()],
                               widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    email = forms.EmailField(label=_("Email (optional)"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, initial=VIEWER, widget=forms.RadioSelect)

    def clean_username(self) -> str:
        name = User.normalize_username(self.cleaned_data["username"])  # as create_user will store it
        if lookalikes.key(name) in lookalikes.taken_usernames():  # "Bob", "ｂｏｂ" and "bob" are one name
            raise forms.ValidationError(_("Someone already has this user name."))
        return name


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=ROLE_CHOICES_WITH_NONE, required=False)
