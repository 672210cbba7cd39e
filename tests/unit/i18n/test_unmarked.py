"""No string a person can see is left unmarked: templates, Python and the pages' scripts (scripts/i18n_unmarked.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.i18n.unmarked_checker import checker


def test_nothing_in_the_project_is_left_unmarked():
    left = [f"{path.relative_to(checker.ROOT)}:{line}: {text}"
            for path in checker.project_files() for line, text in checker.unmarked(path)]
    assert not left, f"{len(left)} unmarked (run scripts/i18n_unmarked.py):\n" + "\n".join(left[:40])


def found(tmp_path: Path, name: str, source: str) -> list[str]:
    path = tmp_path / name
    path.write_text(source)
    return [text for _line, text in checker.unmarked(path)]


@pytest.mark.parametrize("source", [
    "<p>Delete this file?</p>",
    '<button type="button" title="Copy the link">{% translate "Copy" %}</button>',
    '<a href="/x" aria-label="Close the preview">×</a>',
    '<input type="submit" value="Save">',
    '<input placeholder="Filter by name">',
    '<p>{{ count }} files</p>',
    '<form hx-confirm="Really delete?"></form>',
])
def test_it_finds_template_text_that_is_not_marked(tmp_path, source):
    assert found(tmp_path, "page.html", "{% load i18n %}" + source)


@pytest.mark.parametrize("source", [
    '<p>{% translate "Delete this file?" %}</p>',
    '<p>{% blocktranslate trimmed with name=key %}Delete {{ name }}?{% endblocktranslate %}</p>',
    '<button title="{% translate \'Copy the link\' %}">⧉</button>',
    "<code>aws s3 ls s3://bucket/</code> <pre>make run</pre>",
    '<script src="/static/js/x.js"></script><style>.a b { color: red }</style>',
    '<p translate="no">OSS Console and SeaweedFS</p>',
    "<p>{{ user.get_username }} · S3 · ETag · 5 MiB</p>",
    '{% comment %}Some words for developers{% endcomment %}<input type="text" value="a default value">',
])
def test_it_lets_marked_text_code_and_names_through(tmp_path, source):
    assert found(tmp_path, "page.html", "{% load i18n %}" + source) == []


@pytest.mark.parametrize("source", [
    'messages.success(request, "The file is deleted.")',
    'raise ValidationError(f"{name} is not a folder name.")',
    'LABEL = "Destination folder"',
    'CHOICES = [("viewer", "Viewer")]',
])
def test_it_finds_python_text_that_is_not_marked(tmp_path, source):
    assert found(tmp_path, "views.py", source + "\n")


@pytest.mark.parametrize("source", [
    'messages.success(request, _("The file is deleted."))',
    'raise ValidationError(gettext_lazy("%(name)s is not a folder name.") % {"name": name})',
    'logger.warning("Storage for %s is unreachable", name)',
    '"""A docstring of several words."""',
    'if state == "not started yet": pass',
    'raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DEBUG is off")',
    'ERRORS = {"Some Key Name": 1}',
    'note = "words on purpose"  # i18n: not shown, a key of the audit log',
])
def test_it_lets_marked_python_logs_and_names_through(tmp_path, source):
    assert found(tmp_path, "views.py", source + "\n") == []


@pytest.mark.parametrize("source", [
    'status.textContent = "Upload failed";',
    "button.title = `Copied ${what}.`;",
    'alert("Your browser did not allow copying");',
])
def test_it_finds_script_text_that_is_not_marked(tmp_path, source):
    assert found(tmp_path, "page.js", source + "\n")


@pytest.mark.parametrize("source", [
    '"use strict";',
    'status.textContent = gettext("Upload failed");',
    'status.textContent = ngettext("%(n)s file", "%(n)s files", n);',
    'if (event.key === "Escape") close();',
    'document.querySelector("#gallery-tiles a[data-lightbox-src]");',
    'console.error("The catalog did not load", error);',
    '// A comment that reads as words',
])
def test_it_lets_marked_script_text_and_names_through(tmp_path, source):
    assert found(tmp_path, "page.js", source + "\n") == []
