"""A connection's Django storage: built without the database, configured by the record, refusing clearly what
it cannot serve, and keeping the secret out of everything it shows. Bytes moved: tests/integration (real S3)."""

from __future__ import annotations

import pickle
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages

from storage.django_storage import ConnectionStorage, storage_for
from storage.gateway import AccessDenied, InvalidRequest
from storage.models import Connection

SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYSECRET"


def add_record(name: str = "docs", **fields) -> Connection:
    values = dict(name=name, endpoint="http://s3.internal:9000", public_endpoint="https://files.example.com",
                  access_key_id="AKIADOCS", secret_access_key=SECRET, bucket="documents", use_ssl=False)
    return Connection.objects.create(**{**values, **fields})


def test_it_is_built_without_the_database():
    """Settings (STORAGES) load before the database: building the storage reads no record (no db fixture here)."""
    storage = ConnectionStorage(connection="docs")
    assert storage.connection_name == "docs"


def test_it_needs_a_connection_name():
    with pytest.raises(ImproperlyConfigured, match="needs the name of a connection"):
        ConnectionStorage()


def test_the_record_decides_where_the_bytes_go_not_options_nor_aws_settings(db, settings):
    add_record()
    settings.AWS_STORAGE_BUCKET_NAME = "somewhere-else"
    assert ConnectionStorage(connection="docs").bucket_name == "documents"
    with pytest.raises(ImproperlyConfigured, match="bucket_name"):
        ConnectionStorage(connection="docs", bucket_name="somewhere-else")


def test_a_missing_connection_fails_clearly_on_first_use(db):
    storage = ConnectionStorage(connection="nowhere")
    with pytest.raises(ImproperlyConfigured, match="connection 'nowhere' cannot be used: There is no connection"):
        storage.exists("a.txt")


def test_a_disabled_connection_fails_clearly(db):
    add_record(is_default=False, enabled=False)
    with pytest.raises(ImproperlyConfigured, match="'docs' is disabled"):
        storage_for("docs").url("a.txt")


@pytest.mark.parametrize("kind", ["local", "group"])
def test_a_connection_that_is_not_s3_fails_clearly(db, kind):
    add_record(kind=kind, bucket="")
    with pytest.raises(ImproperlyConfigured, match=f"'docs' is of kind '{kind}': ConnectionStorage serves S3"):
        ConnectionStorage(connection="docs").save("a.txt", None)


def test_it_will_not_contact_an_endpoint_the_endpoint_rules_refuse(db):
    """A record that slipped past the forms ("this network", always refused): refused before any byte is sent."""
    add_record(endpoint="http://0.0.0.0:9")
    with pytest.raises(AccessDenied, match="will not contact storage for 'docs'"):
        ConnectionStorage(connection="docs").exists("a.txt")


def test_urls_are_signed_for_the_public_endpoint(db):
    add_record()
    url = ConnectionStorage(connection="docs").url("reports/q3 年度.txt", expire=120)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "files.example.com", "/documents/reports/q3%20%E5%B9%B4%E5%BA%A6.txt")
    assert "X-Amz-Expires=120" in url and "X-Amz-Signature=" in url


def test_an_endpoint_without_a_scheme_takes_it_from_the_tls_switch(db):
    add_record(public_endpoint="files.example.com:8443", use_ssl=True, region="eu-west-3")
    url = ConnectionStorage(connection="docs").url("a.txt")
    assert url.startswith("https://files.example.com:8443/documents/a.txt?")
    assert "%2Feu-west-3%2Fs3%2Faws4_request" in url


def test_unsigned_urls_when_querystring_auth_is_off(db):
    add_record()
    url = ConnectionStorage(connection="docs", querystring_auth=False).url("a.txt")
    assert url == "https://files.example.com/documents/a.txt"


def test_a_url_outliving_a_signature_is_refused(db):
    add_record()
    with pytest.raises(InvalidRequest, match="between 1 second and 7 days"):
        ConnectionStorage(connection="docs").url("a.txt", expire=8 * 24 * 3600)


def test_the_secret_stays_out_of_repr_deconstruct_and_pickles(db, settings):
    add_record()
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storage.django_storage.ConnectionStorage", "OPTIONS": {"connection": "docs"}}}
    storage = storages["default"]
    storage.url("a.txt")  # the record read, its clients built
    assert repr(storage) == "ConnectionStorage(connection='docs')"
    assert storage.deconstruct() == ("storage.django_storage.ConnectionStorage", (), {"connection": "docs"})
    assert SECRET.encode() not in pickle.dumps(storage)
    assert SECRET not in repr(vars(storage))
    assert pickle.loads(pickle.dumps(storage)).bucket_name == "documents"
