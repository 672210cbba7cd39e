"""Encryption at rest for connection secrets (MultiFernet: rotate by adding a newer key)."""

from __future__ import annotations

import base64
import functools
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "fernet:"


@functools.cache
def _fernet() -> MultiFernet:
    keys = list(settings.CONNECTION_SECRET_KEYS)
    if not keys:
        # Development only (settings refuse this in production): derive from SECRET_KEY.
        digest = hashlib.sha256(("connection-secrets:" + settings.SECRET_KEY).encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as e:
        raise ImproperlyConfigured(
            "CONNECTION_SECRET_KEYS must hold url-safe base64 Fernet keys (32 bytes each)"
        ) from e


def reset_keys_cache() -> None:
    _fernet.cache_clear()


def encrypt(plaintext: str) -> str:
    if plaintext == "":
        return ""
    return PREFIX + _fernet().encrypt(plaintext.encode()).decode()


def decrypt(stored: str) -> str:
    if stored == "":
        return ""
    if not stored.startswith(PREFIX):
        raise ImproperlyConfigured("a stored secret is not encrypted; refusing to use it")
    try:
        return _fernet().decrypt(stored[len(PREFIX):].encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "a stored secret cannot be decrypted with CONNECTION_SECRET_KEYS "
            "(was a key removed before rotation finished?)"
        ) from None


def rotate(stored: str) -> str:
    """Re-encrypt with the newest key."""
    if stored == "":
        return ""
    return PREFIX + _fernet().rotate(stored[len(PREFIX):].encode()).decode()


def generate_key() -> str:
    return Fernet.generate_key().decode()


class EncryptedTextField(models.TextField):
    """Holds plaintext in Python and only ciphertext in the database."""

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return value
        return encrypt(value)

    def to_python(self, value):
        # Fixtures (loaddata) carry ciphertext, as value_to_string writes it.
        if isinstance(value, str) and value.startswith(PREFIX):
            return decrypt(value)
        return super().to_python(value)

    def value_to_string(self, obj):
        """Serialisers (dumpdata) get ciphertext: a dump never holds a secret in plaintext."""
        value = self.value_from_object(obj)
        return encrypt(value) if value else ""
