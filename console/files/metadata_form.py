"""The form that edits a file's headers, user metadata and tags, checked by S3's rules (storage.object_headers).

User metadata is typed one "name: value" a line, tags one "key = value" a line: what was typed comes back
as typed when something is refused, with the reason beside the field.
"""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from storage.gateway import InvalidRequest, ObjectHeaders
from storage.media_types import validate_content_type
from storage.object_headers import (
    MAX_TAGS,
    validate_cache_control,
    validate_chosen_type,
    validate_disposition,
    validate_headers,
    validate_metadata,
    validate_tags,
)


def _lines(text: str, separator: str, how: str) -> dict[str, str]:
    """The typed lines as pairs; `how` is the sentence for a line without `separator` (with `%(number)s`)."""
    pairs: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        name, found, value = line.partition(separator)
        if not found:
            raise forms.ValidationError(how % {"number": number})
        if name.strip() in pairs:
            raise forms.ValidationError(_("Line %(number)s: “%(name)s” is given twice.")
                                        % {"number": number, "name": name.strip()[:40]})
        pairs[name.strip()] = value.strip()
    return pairs


def metadata_text(metadata: dict[str, str]) -> str:
    return "\n".join(f"{name}: {value}" for name, value in metadata.items())


def tags_text(tags: dict[str, str]) -> str:
    return "\n".join(f"{key} = {value}" for key, value in tags.items())


class MetadataForm(forms.Form):
    content_type = forms.CharField(label=gettext_lazy("Content type"), max_length=255, required=False,
                                   help_text=gettext_lazy("Such as text/csv or image/png. Empty: "
                                                          "application/octet-stream."))
    cache_control = forms.CharField(label="Cache-Control", max_length=1024, required=False,
                                    help_text=gettext_lazy("Such as max-age=3600, or no-store."))
    content_disposition = forms.CharField(label="Content-Disposition", max_length=1024, required=False,
                                          help_text=gettext_lazy("inline or attachment, and a file name if you like."))
    metadata = forms.CharField(label=gettext_lazy("User metadata (x-amz-meta-*)"), required=False, widget=forms.Textarea(
        attrs={"rows": 4, "spellcheck": "false"}), help_text=gettext_lazy("One “name: value” a line; ASCII only; 2 KB "
                                                                          "in all."))
    tags = forms.CharField(label=gettext_lazy("Tags"), required=False,
                           widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
                           help_text=lazy(lambda: _("One “key = value” a line, at most %(most)s; letters, digits, "
                                                    "spaces and + - = . _ : / @.") % {"most": MAX_TAGS}, str)())
    etag = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, current: ObjectHeaders, tags_supported: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        if not tags_supported:
            del self.fields["tags"]

    def clean_content_type(self) -> str:
        typed = self.cleaned_data["content_type"].strip() or "application/octet-stream"
        if typed == self.current.content_type:  # a type stored before stays as it is
            return typed
        return _checked(lambda: validate_chosen_type(validate_content_type(typed)))

    def clean_cache_control(self) -> str:
        return _checked(lambda: validate_cache_control(self.cleaned_data["cache_control"]))

    def clean_content_disposition(self) -> str:
        return _checked(lambda: validate_disposition(self.cleaned_data["content_disposition"]))

    def clean_metadata(self) -> dict[str, str]:
        typed = _lines(self.cleaned_data["metadata"], ":", _("Line %(number)s: write metadata as “name: value”."))
        return _checked(lambda: validate_metadata(typed))

    def clean_tags(self) -> dict[str, str]:
        typed = _lines(self.cleaned_data["tags"], "=", _("Line %(number)s: write tags as “name= value”."))
        return _checked(lambda: validate_tags(typed))

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        typed = ObjectHeaders(content_type=data["content_type"], cache_control=data["cache_control"],
                              content_disposition=data["content_disposition"],
                              content_encoding=self.current.content_encoding,
                              content_language=self.current.content_language, metadata=data["metadata"])
        try:  # each field was checked on its own above; what is left are the stored encoding and language
            data["headers"] = validate_headers(typed)
        except InvalidRequest as e:
            self.add_error(None, str(e))
        return data


def _checked(check):
    """`check()`'s value, or its refusal as this field's error."""
    try:
        return check()
    except InvalidRequest as e:
        raise forms.ValidationError(str(e)) from None


def changes(before: ObjectHeaders, after: ObjectHeaders) -> dict[str, list]:
    """What a save changes, field by field: [before, after] (what the audit records)."""
    fields = ("content_type", "cache_control", "content_disposition", "metadata")
    return {name: [getattr(before, name), getattr(after, name)] for name in fields
            if getattr(before, name) != getattr(after, name)}
