"""The forms of a connection's bucket: create it, and the settings page's changes (each one previewed first)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy, pgettext_lazy

from console.i18n.sentences import joined
from storage.bucket_documents import LOCK_MODES, MAX_DAYS
from storage.gateway import InvalidKey
from storage.keys import validate_prefix

REGION_PATTERN = r"[a-z0-9][a-z0-9-]{0,62}"
LOCK_MODE_LABELS = {"GOVERNANCE": gettext_lazy("Governance"), "COMPLIANCE": gettext_lazy("Compliance")}


class BucketCreateForm(forms.Form):
    region = forms.RegexField(
        regex=rf"^{REGION_PATTERN}$", required=False, max_length=63,
        error_messages={"invalid": gettext_lazy("A region is lower-case letters, digits and dashes, such as eu-west-1.")},
        label=gettext_lazy("Region"), help_text=gettext_lazy("Where the storage keeps the bucket; empty uses the connection's region."))
    versioning = forms.BooleanField(
        required=False, label=gettext_lazy("Keep every version of every file (versioning)"),
        help_text=gettext_lazy("Overwritten and deleted files can then be recovered; old versions take space until "
                               "removed."))
    object_lock = forms.BooleanField(
        required=False, label=gettext_lazy("Allow object lock"),
        help_text=gettext_lazy("Files can then be protected from deletion for a retention period. Only chosen now, at "
                               "creation; it turns versioning on and cannot be turned off."))


def checked_prefix(value: str) -> str:
    """A folder as S3 keys allow it (no control characters, no "." or ".." segments), or "" for the whole bucket."""
    try:
        return validate_prefix(value)
    except InvalidKey as e:
        raise forms.ValidationError(str(e)) from None


def form_problem(form: forms.Form) -> str:
    """The form's errors as one sentence for a message."""
    return joined(error for errors in form.errors.values() for error in errors)


class VersioningForm(forms.Form):
    status = forms.ChoiceField(choices=[("Enabled", pgettext_lazy("versioning state", "Enabled")),  # i18n: not shown (the S3 values; labels are translated)
                                        ("Suspended", pgettext_lazy("versioning state", "Suspended"))])  # i18n: not shown (the S3 values)


class DaysField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_DAYS, **kwargs)


class LifecycleRuleForm(forms.Form):
    """One rule added in plain words: what happens, where, after how many days."""

    ACTIONS = [("expire", gettext_lazy("Delete files")), ("noncurrent", gettext_lazy("Delete older versions")),
               ("abort_uploads", gettext_lazy("Abort incomplete uploads"))]
    action = forms.ChoiceField(choices=ACTIONS, label=gettext_lazy("What happens"))
    prefix = forms.CharField(required=False, max_length=1024, label=gettext_lazy("For names starting with"),
                             help_text=gettext_lazy("Empty for the whole bucket; a folder ends in '/', such as logs/ "
                                                    "(logs alone also picks logs-old/ and logs.txt)."))
    days = DaysField(label=gettext_lazy("After how many days"))

    def clean_prefix(self) -> str:
        return checked_prefix(self.cleaned_data["prefix"])


class LockForm(forms.Form):
    mode = forms.ChoiceField(choices=[("", gettext_lazy("No default retention")), *[(m, LOCK_MODE_LABELS[m]) for m in LOCK_MODES]],
                             required=False, label=gettext_lazy("Default retention"),
                             help_text=gettext_lazy("Governance: people with a special permission can still delete. "
                                                    "Compliance: nobody can, not even the account's owner, until it "
                                                    "ends."))
    days = DaysField(required=False, label=gettext_lazy("Retention in days"))


class PolicyForm(forms.Form):
    policy = forms.CharField(required=False, strip=True, label=gettext_lazy("Policy (JSON)"),
                             widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false", "class": "code"}),
                             help_text=gettext_lazy("Empty removes the policy."))


class PublicPrefixForm(forms.Form):
    prefix = forms.CharField(max_length=1024, label=gettext_lazy("Folder"),
                             help_text=gettext_lazy("Such as public/ (ending in '/')."))
    undo = forms.BooleanField(required=False)

    def clean_prefix(self) -> str:
        return checked_prefix(self.cleaned_data["prefix"])
