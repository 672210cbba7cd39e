"""A Django Storage over one S3 connection record: django-storages' S3 backend, reaching S3 as the gateway does.

django-storages brings the Storage semantics (files opened for reading or streamed writing, names cleaned,
listings, overwrite rules, object parameters); this class decides where the bytes go: the connection's
record, read when the storage is first used (settings load before the database) and again whenever the
record cache lets it go, so a changed record (keys, endpoint, bucket) is picked up without a restart.
S3 is reached through the clients of `storage.s3.client` (endpoint rules, timeouts, checksums SeaweedFS and
friends accept), and URLs are signed for the connection's public endpoint: what a browser can fetch.
"""

from __future__ import annotations

import threading

from django.core.exceptions import ImproperlyConfigured, SuspiciousFileOperation
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from storage.connections import ConnectionSpec, DatabaseRegistry
from storage.gateway import ConnectionNotFound, InvalidKey
from storage.keys import validate_key
from storage.s3.client import ClientCache, build_resource
from storage.s3.gateway import check_expires

# django-storages' options that the connection record decides: given in OPTIONS they are refused (as any
# unknown option is), and the AWS_* settings or environment variables behind them are never read.
FROM_THE_RECORD = frozenset({
    "access_key", "secret_key", "security_token", "session_profile", "bucket_name", "endpoint_url", "region_name",
    "use_ssl", "verify", "addressing_style", "signature_version", "proxies", "client_config",
})

_registry = DatabaseRegistry()
_clients = ClientCache()  # the public endpoint's signing clients, one per connection version


@deconstructible(path="storage.django_storage.ConnectionStorage")
class ConnectionStorage(S3Storage):
    """Files in the bucket of the S3 connection named `connection`; other options as django-storages' S3Storage."""

    # Read by S3Storage.__init__, which builds an unused config from them: the record's values go to our clients.
    access_key = secret_key = security_token = session_profile = None
    addressing_style = signature_version = proxies = client_config = None
    # A file opened for reading is downloaded into a spooled temporary file: past this many bytes it is on disk,
    # not in memory (django-storages' default, 0, keeps the whole object in memory). OPTIONS may change it.
    max_memory_size = 8 * 1024 * 1024

    def __init__(self, connection: str = "", **options):
        if not connection:
            raise ImproperlyConfigured(_('ConnectionStorage needs the name of a connection: '
                                         'OPTIONS {"connection": "<name>"}.'))
        self.connection_name = connection
        self._resources = threading.local()
        super().__init__(**options)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(connection={self.connection_name!r})"

    def get_default_settings(self) -> dict:
        return {name: value for name, value in super().get_default_settings().items() if name not in FROM_THE_RECORD}

    def spec(self) -> ConnectionSpec:
        """The connection as its record says now (briefly cached); ImproperlyConfigured when it cannot serve."""
        try:
            spec = _registry.get(self.connection_name)
        except ConnectionNotFound as e:
            raise ImproperlyConfigured(_("The Django storage of connection '%(name)s' cannot be used: %(reason)s") % {
                "name": self.connection_name, "reason": e}) from e
        if spec.kind != "s3":
            raise ImproperlyConfigured(_("The connection '%(name)s' is of kind '%(kind)s': ConnectionStorage serves "
                                         "S3 connections only.") % {"name": self.connection_name, "kind": spec.kind})
        return spec

    @property
    def bucket_name(self) -> str:
        return self.spec().bucket

    @property
    def connection(self):
        """This thread's boto3 resource for the connection, rebuilt when its record changes."""
        spec = self.spec()
        held = getattr(self._resources, "held", None)
        if held is None or held[0] != spec.fingerprint:
            held = (spec.fingerprint, build_resource(spec))
            self._resources.held = held
        return held[1]

    @property
    def bucket(self):
        return self.connection.Bucket(self.bucket_name)

    def _save(self, name, content):
        """Only keys the console can handle afterwards (storage.keys): one it would refuse to open, copy or delete
        is refused here, before anything is written."""
        try:
            validate_key(self._normalize_name(clean_name(name)), allow_folder_marker=False)
        except InvalidKey as e:
            raise SuspiciousFileOperation(str(e)) from e
        return super()._save(name, content)

    def url(self, name, parameters=None, expire=None, http_method=None) -> str:
        """A GET URL for the connection's public endpoint, signed unless `querystring_auth` is off."""
        if self.custom_domain:
            return super().url(name, parameters, expire, http_method)
        spec = self.spec()
        params = {**(parameters or {}), "Bucket": spec.bucket, "Key": self._normalize_name(clean_name(name))}
        client = _clients.get(spec, "public" if self.querystring_auth else "public-unsigned")
        expires = check_expires(self.querystring_expire if expire is None else expire)
        return client.generate_presigned_url("get_object", Params=params, ExpiresIn=expires, HttpMethod=http_method)

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state.pop("_resources", None)
        return state

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        self._resources = threading.local()
