"""Forms for grants and groups: give a role (to whom, on which connection, at which folder), name a group."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import Group, User
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from console.access import rules
from console.access.models import FOLDER_SHOWS_AS_ANOTHER, Grant
from console.roles import MANAGER, ROLES, VIEWER
from storage.gateway import InvalidKey
from storage.keys import as_folder, has_direction_controls
from storage.models import Connection

FOLDER_HELP = gettext_lazy("Empty: the whole bucket. A folder such as team/ covers every key under it, never team2/ "
                           "nor a file named team.")


def holder_value(holder: User | Group) -> str:
    return f"group:{holder.pk}" if isinstance(holder, Group) else f"user:{holder.pk}"


def holder_choices() -> list:
    """Groups (the role groups are not given grants: they hold their role everywhere), then active people."""
    teams = [(holder_value(g), g.name) for g in Group.objects.exclude(name__in=ROLES).order_by("name")]
    people = [(holder_value(u), u.get_username()) for u in User.objects.filter(is_active=True).order_by("username")]
    return [("", _("Choose a group or a person")), (_("Groups"), teams), (_("People"), people)]


def known_holders(user) -> list[str]:
    """Whom a manager may pick without typing a name: the holders of the grants they manage, nobody else."""
    managed = rules.scopes(user, MANAGER) or []
    grants = Grant.objects.filter(connection__name__in={c for c, _ in managed}).select_related(
        "connection", "user", "group")
    return sorted({g.group.name if g.group_id else g.user.get_username() for g in grants
                   if rules.allows(user, MANAGER, g.connection.name, g.prefix) and (g.group_id or g.user.is_active)})


def find_holder(text: str) -> dict:
    """The person (by exact user name or email address) or group (by exact name; "group:NAME") named."""
    text = text.strip()
    groups = Group.objects.exclude(name__in=ROLES)
    if text.startswith("group:"):
        found = {"group": list(groups.filter(name=text.removeprefix("group:")))}
    else:
        found = {"user": list(User.objects.filter(Q(username=text) | Q(email__iexact=text), is_active=True)[:2]),
                 "group": list(groups.filter(name=text))}
    matches = [(kind, holder) for kind, holders in found.items() for holder in holders]
    if not matches or not text:
        raise forms.ValidationError(_("No active person has that user name or email address, and no group that name."))
    if len(matches) > 1:
        raise forms.ValidationError(_("That names more than one person or group: give the user name, or write "
                                      "group:NAME for the group."))
    kind, holder = matches[0]
    return {kind: holder}


def managed_connections(user) -> list[str]:
    """The connections where `user` manages something (all of them for an admin)."""
    managed = rules.scopes(user, MANAGER)
    names = Connection.objects.order_by("name").values_list("name", flat=True)
    return list(names) if managed is None else [n for n in names if any(c == n for c, _ in managed)]


def managed_folders(user, connection: str) -> list[str]:
    """The folders of `connection` that `user` manages ("" is the whole bucket)."""
    managed = rules.scopes(user, MANAGER)
    return [""] if managed is None else [prefix for c, prefix in managed if c == connection]


class GrantForm(forms.Form):
    """A new grant. On a connection's page the connection is fixed; on a user's or group's page the holder."""

    holder = forms.ChoiceField(label=gettext_lazy("Who"))
    connection = forms.ChoiceField(label=gettext_lazy("Connection"))
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Grant.Role.choices, initial=VIEWER)
    folder = forms.CharField(label=gettext_lazy("Folder (optional)"), required=False, max_length=1024, help_text=FOLDER_HELP,
                             widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                                           "placeholder": "team/", "list": "folder-choices"}))

    def __init__(self, *args, by, holder: User | Group | None = None, connection: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.by = by
        self.whole_directory = rules.scopes(by, MANAGER) is None  # admins; a manager names whom they mean
        self.known_holders = [] if self.whole_directory else known_holders(by)
        if self.whole_directory:
            self.fields["holder"].choices = holder_choices()
        else:
            self.fields["holder"] = forms.CharField(
                label=_("Who"), max_length=254, help_text=_("Their exact user name or email address, or the exact name "
                                                            "of a group (group:NAME when a person has that name too)."),
                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "list": "holder-choices"}))
        self.fields["connection"].choices = [(n, n) for n in managed_connections(by)]
        for name, fixed in (("holder", holder and holder_value(holder)), ("connection", connection)):
            if fixed:
                self.fields[name].initial = fixed
                self.fields[name].widget = forms.HiddenInput()
                self.fields[name].choices = [(fixed, fixed)]

    def clean_folder(self) -> str:
        try:
            folder = as_folder(self.cleaned_data["folder"])
        except InvalidKey as e:
            raise forms.ValidationError(_("This cannot be a folder: %(reason)s") % {"reason": e})
        if has_direction_controls(folder):
            raise forms.ValidationError(FOLDER_SHOWS_AS_ANOTHER)
        return folder

    @property
    def typed_holder(self) -> bool:
        return not self.whole_directory and not self.fields["holder"].widget.is_hidden

    def clean_holder(self) -> dict | str:
        if self.typed_holder:
            return self.cleaned_data["holder"]  # looked up in clean(), for a place they manage only
        kind, _, pk = self.cleaned_data["holder"].partition(":")
        found = (Group.objects.exclude(name__in=ROLES) if kind == "group" else User.objects.filter(is_active=True)
                 ).filter(pk=int(pk)).first() if pk.isascii() and pk.isdigit() else None
        if found is None:
            raise forms.ValidationError(_("Choose a group or a person from the list."))
        return {kind: found}

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        connection, folder = data["connection"], data["folder"]
        if not rules.allows(self.by, MANAGER, connection, folder):
            where = pgettext("list separator", ", ").join(f or _("the whole bucket")
                                                          for f in managed_folders(self.by, connection))
            self.add_error("folder", _("You manage only %(folders)s on %(connection)s: choose a folder inside.") % {
                "folders": where, "connection": connection})
            return data
        if self.typed_holder:  # not before: a form refused anyway must not say whether a name exists
            try:
                data["holder"] = find_holder(data["holder"])
            except forms.ValidationError as e:
                self.add_error("holder", e)
                return data
        if Grant.objects.filter(connection__name=connection, prefix=folder, **data["holder"]).exists():
            self.add_error(None, _("They already hold a role there: change that grant's role in the list instead."))
        return data

    def new_grant(self) -> Grant:
        """The grant asked for, not yet saved (console.access.changes.add_grant stores and audits it)."""
        data = self.cleaned_data
        return Grant(connection=Connection.objects.get(name=data["connection"]), role=data["role"],
                     prefix=data["folder"], created_by=self.by, **data["holder"])


class GrantRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Grant.Role.choices)


class GroupNameForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Group name"), max_length=150,
                           help_text=gettext_lazy("Single sign-on maps groups from the provider's claim to these names."),
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))

    def __init__(self, *args, group: Group | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if name.lower() in ROLES:
            raise forms.ValidationError(_("'%(name)s' is a role group (a role on every connection); choose another "
                                          "name.") % {"name": name})
        taken = Group.objects.filter(name__iexact=name)
        if self.group is not None:
            taken = taken.exclude(pk=self.group.pk)
        if taken.exists():
            raise forms.ValidationError(_("There already is a group with this name."))
        return name


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(label=gettext_lazy("Person"), queryset=User.objects.none(),
                                  empty_label=gettext_lazy("Choose a person"))

    def __init__(self, *args, group: Group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).exclude(groups=group).order_by("username")
