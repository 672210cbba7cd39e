"""A catalog for a language Django has no name for (locale/yue/, Cantonese) must not take every page down."""

from __future__ import annotations

from django.conf import settings
from django.test import override_settings


def test_a_page_shows_a_language_django_does_not_know_by_its_catalogs_name(as_viewer):
    with override_settings(LANGUAGES=[*settings.LANGUAGES, ("yue", "yue")]):
        response = as_viewer.get("/")
    assert response.status_code == 200
    assert 'value="yue"' in response.content.decode()
