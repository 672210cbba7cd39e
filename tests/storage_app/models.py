"""Documents whose files live in the connection "docs" (no migrations: the test database creates the table)."""

from __future__ import annotations

from django.db import models

from storage.django_storage import storage_for


def docs_storage():
    return storage_for("docs")


class Document(models.Model):
    title = models.CharField(max_length=100)
    file = models.FileField(storage=docs_storage, upload_to="documents/")
