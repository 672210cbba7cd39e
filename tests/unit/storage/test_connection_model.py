import pytest
from django.db import IntegrityError, connection, transaction

from storage import crypto
from storage.models import Connection

pytestmark = pytest.mark.django_db


def raw_secret(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret_access_key FROM storage_connection WHERE name = %s", [name])
        return cursor.fetchone()[0]


def test_the_database_never_holds_the_plaintext_secret():
    Connection.objects.create(name="a", bucket="b", secret_access_key="plain-secret-123")
    stored = raw_secret("a")
    assert "plain-secret-123" not in stored and stored.startswith("fernet:")
    assert Connection.objects.get(name="a").secret_access_key == "plain-secret-123"


def test_secrets_survive_key_rotation(settings):
    Connection.objects.create(name="a", bucket="b", secret_access_key="rotate-me")
    old_key = settings.CONNECTION_SECRET_KEYS[0]
    new_key = crypto.generate_key()
    settings.CONNECTION_SECRET_KEYS = [new_key, old_key]
    crypto.reset_keys_cache()
    try:
        from django.core.management import call_command

        call_command("rotate_connection_secrets")
        settings.CONNECTION_SECRET_KEYS = [new_key]
        crypto.reset_keys_cache()
        assert Connection.objects.get(name="a").secret_access_key == "rotate-me"
    finally:
        settings.CONNECTION_SECRET_KEYS = [old_key]
        crypto.reset_keys_cache()


def test_the_first_enabled_connection_becomes_the_default():
    first = Connection.objects.create(name="first", bucket="b")
    second = Connection.objects.create(name="second", bucket="b")
    assert Connection.objects.get(pk=first.pk).is_default
    assert not Connection.objects.get(pk=second.pk).is_default


def test_switching_the_default_keeps_exactly_one():
    Connection.objects.create(name="first", bucket="b")
    second = Connection.objects.create(name="second", bucket="b")
    second.make_default()
    assert list(Connection.objects.filter(is_default=True).values_list("name", flat=True)) == ["second"]


def test_the_database_refuses_two_defaults():
    Connection.objects.create(name="first", bucket="b")
    other = Connection.objects.create(name="second", bucket="b")
    with pytest.raises(IntegrityError), transaction.atomic():
        Connection.objects.filter(pk=other.pk).update(is_default=True)


def test_the_database_refuses_a_disabled_default():
    first = Connection.objects.create(name="first", bucket="b")
    with pytest.raises(IntegrityError), transaction.atomic():
        Connection.objects.filter(pk=first.pk).update(enabled=False)
