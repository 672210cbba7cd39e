"""The connection form: field validation, endpoint rules (SSRF) and a write-only secret."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from console.sizes import HELP as SIZE_HELP
from console.sizes import SizeField
from storage.connections import ConnectionSpec
from storage.endpoint_rules import connection_endpoint_errors
from storage.local.rules import local_folders_refusal
from storage.models import Connection, ConnectionKind

SECRET_HELP_NEW = gettext_lazy("Write-only: it is stored encrypted and never shown again.")
SECRET_HELP_EDIT = gettext_lazy("Write-only: leave blank to keep the stored secret.")
# The fields a save names as changed, in words ("endpoint" stays the English word the message always used).
CHANGED_WORDS = {
    "name": pgettext_lazy("a changed connection field", "name"),
    "endpoint": pgettext_lazy("a changed connection field", "endpoint"),
    "public_endpoint": pgettext_lazy("a changed connection field", "public_endpoint"),
    "region": pgettext_lazy("a changed connection field", "region"),
    "bucket": pgettext_lazy("a changed connection field", "bucket"),
    "access_key_id": pgettext_lazy("a changed connection field", "access_key_id"),
    "secret_access_key": pgettext_lazy("a changed connection field", "secret_access_key"),
    "addressing_style": pgettext_lazy("a changed connection field", "addressing_style"),
    "use_ssl": pgettext_lazy("a changed connection field", "use_ssl"),
    "verify_ssl": pgettext_lazy("a changed connection field", "verify_ssl"),
    "enabled": pgettext_lazy("a changed connection field", "enabled"),
    "max_upload_size": pgettext_lazy("a changed connection field", "max_upload_size"),
    "instant_uploads": pgettext_lazy("a changed connection field", "instant_uploads"),
    "kind": pgettext_lazy("a changed connection field", "kind"),
    "local_root": pgettext_lazy("a changed connection field", "local_root"),
}
# The kinds this form makes (groups have a page of their own); the fields that belong to one kind only.
FORM_KINDS = [(ConnectionKind.S3.value, ConnectionKind.S3.label), (ConnectionKind.LOCAL.value, ConnectionKind.LOCAL.label)]
S3_TEXT = ("endpoint", "public_endpoint", "bucket", "access_key_id", "secret_access_key")


class ConnectionForm(forms.ModelForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=FORM_KINDS, initial=ConnectionKind.S3,
                             widget=forms.RadioSelect, required=False)  # a post that names none makes S3, as before
    local_root = forms.CharField(
        label=gettext_lazy("Folder"), required=False, max_length=1000,
        help_text=gettext_lazy("An absolute path on the console's server, such as /srv/files. The console keeps "
                               "the files in its objects/ folder, with their metadata beside it."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    secret_access_key = forms.CharField(
        label=gettext_lazy("Secret access key"), required=False, strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    max_upload_size = SizeField(label=gettext_lazy("Largest upload"),
                                initial=Connection._meta.get_field("max_upload_size").default,
                                help_text=format_lazy(gettext_lazy("The largest file people may upload. {help}"),
                                                      help=SIZE_HELP))
    make_default = forms.BooleanField(
        label=gettext_lazy("Make this the default connection"), required=False,
        help_text=gettext_lazy("The default is what people and services get when they do not name a connection."),
    )

    class Meta:
        model = Connection
        fields = ["kind", "name", "local_root", "endpoint", "public_endpoint", "region", "bucket", "access_key_id",
                  "secret_access_key", "addressing_style", "use_ssl", "verify_ssl", "enabled",
                  "max_upload_size", "instant_uploads"]
        labels = {"name": gettext_lazy("Name"), "endpoint": gettext_lazy("Endpoint"),
                  "public_endpoint": gettext_lazy("Public endpoint"), "region": gettext_lazy("Region"),
                  "access_key_id": gettext_lazy("Access key ID"), "bucket": gettext_lazy("Bucket"),
                  "addressing_style": gettext_lazy("Addressing style"), "enabled": gettext_lazy("Enabled")}
        help_texts = {"use_ssl": gettext_lazy("An endpoint typed with https:// or http:// decides this."),
                      "instant_uploads": gettext_lazy(
                          "The browser computes each file's SHA-256 before sending it; a file already stored in "
                          "this connection (in a place the person may read) is copied by the storage instead, and "
                          "no bytes are sent. Off by default: hashing costs the browser time, and the stored hash is "
                          "the one the uploading browser gave, so turn it on where the people who write trust "
                          "each other.")}
        widgets = {"access_key_id": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
                   "endpoint": forms.TextInput(attrs={"placeholder": gettext_lazy("s3.example.com:9000 or https://...")})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = self.instance.pk is not None
        # The secret never goes back to the browser, not even as the initial value.
        self.initial.pop("secret_access_key", None)
        self.fields["secret_access_key"].help_text = SECRET_HELP_EDIT if self.editing else SECRET_HELP_NEW
        if self.editing:
            # The name is the storage id people, shares and services use: it does not change.
            self.fields["name"].disabled = True
            self.fields["name"].help_text = _("The name is the storage id; it cannot change.")
            self.fields["kind"].disabled = True  # another kind is another storage: a new connection
            if self.instance.kind not in dict(FORM_KINDS):  # a group, made on its own page: shown as it is
                self.fields["kind"].choices = [*FORM_KINDS, (self.instance.kind, self.instance.get_kind_display())]
            if self.instance.is_default:
                self.fields["make_default"].disabled = True
                self.fields["make_default"].initial = True
                self.fields["make_default"].help_text = _("This is the default connection.")

    def clean_secret_access_key(self) -> str:
        value = self.cleaned_data.get("secret_access_key") or ""
        if not value and self.editing:
            return Connection.objects.get(pk=self.instance.pk).secret_access_key
        return value

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or (self.instance.kind if self.editing else ConnectionKind.S3)

    @property
    def is_local(self) -> bool:
        kind = self.instance.kind if self.editing else self.data.get(self.add_prefix("kind"), self.initial.get("kind"))
        return kind == ConnectionKind.LOCAL

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == ConnectionKind.LOCAL:
            self._clean_local(cleaned)
        elif cleaned.get("kind") == ConnectionKind.S3:
            self._clean_s3(cleaned)
        if cleaned.get("make_default") and not cleaned.get("enabled", True):
            self.add_error("enabled", _("The default connection must stay enabled."))
        if "make_default" in self.changed_data and cleaned.get("make_default") and (
                locked := Connection.default_lock_reason()):
            self.add_error("make_default", locked)
        return cleaned

    def _clean_local(self, cleaned: dict) -> None:
        if refusal := local_folders_refusal():
            self.add_error("kind", refusal)
        root = (cleaned.get("local_root") or "").strip()
        if not root:
            self.add_error("local_root", _("Give the folder's path on the console's server."))
        elif not root.startswith("/"):
            self.add_error("local_root", _("Give an absolute path, starting with '/'."))
        cleaned["local_root"] = root
        for name in S3_TEXT:  # a folder has no endpoint, bucket or keys: nothing of an S3 set-up is kept
            cleaned[name] = ""

    def _clean_s3(self, cleaned: dict) -> None:
        cleaned["local_root"] = ""
        if not cleaned.get("bucket") and "bucket" not in self.errors:
            self.add_error("bucket", forms.Field.default_error_messages["required"])
        if scheme := endpoint_scheme(cleaned.get("endpoint", "")):
            cleaned["use_ssl"] = scheme == "https"  # the scheme typed wins over the box
        if "endpoint" in cleaned and "public_endpoint" in cleaned:
            errors = connection_endpoint_errors(cleaned["endpoint"], cleaned["public_endpoint"],
                                                use_ssl=cleaned.get("use_ssl", True), bucket=cleaned.get("bucket", ""),
                                                addressing_style=cleaned.get("addressing_style", "auto"))
            for field_name, message in errors.items():
                self.add_error(field_name, message)

    @property
    def secret_changed(self) -> bool:
        return bool(self.data.get(self.add_prefix("secret_access_key")))

    def changed_fields(self) -> list[str]:
        """Names of the fields this save changes (the secret by name only, never its value)."""
        names = [n for n in self.changed_data if n not in ("secret_access_key", "make_default")]
        if self.secret_changed:
            names.append("secret_access_key")
        return names

    def spec(self) -> ConnectionSpec:
        """The unsaved values as a spec, to test them before saving."""
        data = self.cleaned_data
        name = data.get("name") or self.instance.name or "unsaved"
        return ConnectionSpec(
            name=name, kind=data.get("kind") or ConnectionKind.S3, local_root=data.get("local_root", ""),
            bucket=data.get("bucket", ""), endpoint=data.get("endpoint", ""),
            public_endpoint=data.get("public_endpoint", ""), region=data.get("region") or "us-east-1",
            access_key_id=data.get("access_key_id", ""), secret_access_key=data.get("secret_access_key", ""),
            addressing_style=data.get("addressing_style", "auto"), use_ssl=data.get("use_ssl", True),
            verify_ssl=data.get("verify_ssl", True), enabled=True, is_default=True,
        )


def endpoint_scheme(endpoint: str) -> str:
    """"https" or "http" when the endpoint is written as a URL with one of them; "" otherwise."""
    scheme = urlsplit(endpoint.strip()).scheme.lower() if "://" in endpoint else ""
    return scheme if scheme in ("http", "https") else ""
