"""The metadata form: what it refuses, and that a refusal keeps what was typed (console/files/metadata_form.py)."""

from __future__ import annotations

from console.files.metadata_form import MetadataForm
from storage.gateway import ObjectHeaders


def test_a_file_is_never_given_a_type_a_browser_runs_as_a_page_but_one_it_has_stays():
    def form(typed: str, stored: str) -> MetadataForm:
        return MetadataForm({"content_type": typed}, current=ObjectHeaders(content_type=stored), tags_supported=False)

    refused = form("text/html", "text/plain")
    assert not refused.is_valid() and "as a page" in refused.errors["content_type"][0]
    assert form("image/svg+xml", "image/svg+xml").is_valid()  # uploaded so: kept when other fields change
    assert form("text/csv", "text/plain").is_valid()


def test_lines_that_are_not_pairs_are_refused_with_their_number():
    form = MetadataForm({"content_type": "text/plain", "metadata": "owner: ann\njust words", "tags": "a = 1\na = 2"},
                        current=ObjectHeaders(content_type="text/plain"), tags_supported=True)
    assert not form.is_valid()
    assert "Line 2" in form.errors["metadata"][0] and "given twice" in form.errors["tags"][0]


def test_each_refusal_is_shown_beside_the_field_it_is_about():
    form = MetadataForm({"content_type": "not a type", "cache_control": "max-age=1\r\nX-Evil: 1",
                         "content_disposition": "evil; filename=x", "metadata": "bad name!: 1"},
                        current=ObjectHeaders(content_type="text/plain"), tags_supported=False)
    assert not form.is_valid()
    assert set(form.errors) == {"content_type", "cache_control", "content_disposition", "metadata"}
    assert "is not a content type" in form.errors["content_type"][0]
    assert form.errors["cache_control"][0].startswith("Cache-Control:")
    assert form.errors["content_disposition"][0].startswith("Content-Disposition:")
    assert form.errors["metadata"][0].startswith("Metadata name")
