"""The form that edits a file's headers, user metadata and tags, checked by S3's rules (storage.object_headers).

User metadata is typed one "name: value" a line, tags one "key = value" a line: what was typed comes back
as typed when something is refused, with the reason beside the field.
"""

from __future__ import annotations

from django import forms

from storage.gateway import InvalidRequest, ObjectHeaders
from storage.object_headers import MAX_TAGS, validate_chosen_type, validate_headers, validate_tags


def _lines(text: str, separator: str, what: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        name, found, value = line.partition(separator)
        if not found:
            raise forms.ValidationError(f"Line {number}: write {what} as “name{separator} value”.")
        if name.strip() in pairs:
            raise forms.ValidationError(f"Line {number}: “{name.strip()[:40]}” is given twice.")
        pairs[name.strip()] = value.strip()
    return pairs


def metadata_text(metadata: dict[str, str]) -> str:
    return "\n".join(f"{name}: {value}" for name, value in metadata.items())


def tags_text(tags: dict[str, str]) -> str:
    return "\n".join(f"{key} = {value}" for key, value in tags.items())


class MetadataForm(forms.Form):
    content_type = forms.CharField(label="Content type", max_length=255, required=False,
                                   help_text="Such as text/csv or image/png. Empty: application/octet-stream.")
    cache_control = forms.CharField(label="Cache-Control", max_length=1024, required=False,
                                    help_text="Such as max-age=3600, or no-store.")
    content_disposition = forms.CharField(label="Content-Disposition", max_length=1024, required=False,
                                          help_text="inline or attachment, and a file name if you like.")
    metadata = forms.CharField(label="User metadata (x-amz-meta-*)", required=False, widget=forms.Textarea(
        attrs={"rows": 4, "spellcheck": "false"}), help_text="One “name: value” a line; ASCII only; 2 KB in all.")
    tags = forms.CharField(label="Tags", required=False, widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
                           help_text=f"One “key = value” a line, at most {MAX_TAGS}; letters, digits, spaces and "
                                     "+ - = . _ : / @.")
    etag = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, current: ObjectHeaders, tags_supported: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        if not tags_supported:
            del self.fields["tags"]

    def clean_metadata(self) -> dict[str, str]:
        return _lines(self.cleaned_data["metadata"], ":", "metadata")

    def clean_tags(self) -> dict[str, str]:
        try:
            return validate_tags(_lines(self.cleaned_data["tags"], "=", "tags"))
        except InvalidRequest as e:
            raise forms.ValidationError(str(e)) from None

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        typed = ObjectHeaders(content_type=data["content_type"], cache_control=data["cache_control"],
                              content_disposition=data["content_disposition"],
                              content_encoding=self.current.content_encoding,
                              content_language=self.current.content_language, metadata=data["metadata"])
        try:
            if typed.content_type.strip() != self.current.content_type:  # a type stored before stays as it is
                validate_chosen_type(typed.content_type.strip() or "application/octet-stream")
            data["headers"] = validate_headers(typed)
        except InvalidRequest as e:
            self.add_error(_field_of(str(e)), str(e))
        return data


def _field_of(message: str) -> str:
    """The field a refusal of storage.object_headers is about, from the label it starts with."""
    for start, name in (("Cache-Control", "cache_control"), ("Content-Disposition", "content_disposition"),
                        ("Metadata", "metadata"), ("User metadata", "metadata")):
        if message.startswith(start):
            return name
    return "content_type"


def changes(before: ObjectHeaders, after: ObjectHeaders) -> dict[str, list]:
    """What a save changes, field by field: [before, after] (what the audit records)."""
    fields = ("content_type", "cache_control", "content_disposition", "metadata")
    return {name: [getattr(before, name), getattr(after, name)] for name in fields
            if getattr(before, name) != getattr(after, name)}
