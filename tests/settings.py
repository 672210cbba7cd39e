"""Settings for the test suite: production-like, with fixed test keys."""

import os
import tempfile

# Nothing from the developer's own AWS set-up may leak into tests.
for _name in list(os.environ):
    if _name.startswith("AWS_"):
        del os.environ[_name]
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

for _name in ("EDITION", "STORAGE_BACKEND", "OSSGATEWAY_URL", "OSSGATEWAY_TOKEN", "S3_CONFIG", "S3_CONFIG_PRUNE",
              "DATABASE_URL"):
    os.environ.pop(_name, None)
os.environ["S3_CONFIG"] = ""  # not /conf/s3.yaml: a test that wants a start-up file names its own

os.environ["DEBUG"] = "false"
os.environ["DJANGO_SECRET_KEY"] = "test-secret-key-not-for-production-0123456789abcdefghijklmnop"
os.environ["CONNECTION_SECRET_KEYS"] = "Zm9yLXRlc3RzLW9ubHktMzItYnl0ZXMta2V5LTAxMjM="
os.environ["ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
os.environ["ALLOW_PRIVATE_ENDPOINTS"] = "true"
os.environ["SECURE_COOKIES"] = "false"
os.environ["SECURE_SSL_REDIRECT"] = "false"
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="oss-console-test-"))

from console.settings import *  # noqa: E402,F403

if os.environ.get("TEST_DATABASE", "sqlite") == "postgres":
    # `make test` runs the unit and integration tiers a second time this way (README, "Tests").
    from console.database import database_settings
    from tests.postgres_cluster import shared_cluster_url

    # As production builds it (the lock timeout included), without keeping connections between requests.
    DATABASES = {"default": {**database_settings(shared_cluster_url(), lock_timeout=DATABASE_LOCK_TIMEOUT),  # noqa: F405
                             "CONN_MAX_AGE": 0}}
else:
    # A file, not memory: live-server tests run requests in parallel threads, each with its own connection.
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(os.environ["DATA_DIR"], "test-db.sqlite3")}  # noqa: F405

INSTALLED_APPS = [*INSTALLED_APPS, "tests.storage_app"]  # noqa: F405 - a model with files in a connection's storage

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast test users
AXES_ENABLED = True

# Static files straight from static/ (no collectstatic, no manifest), served by whitenoise's finders
# as well as by the live server's static handler; tests/integration/test_serve.py covers the manifest.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
