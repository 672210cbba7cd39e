"""Settings for OSS Console, read from the environment (twelve-factor)."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from console.database import database_settings
from console.env import env_bool, env_choice, env_int, env_list, env_map, env_networks, env_str, env_time_zone, env_url
from console.i18n.catalogs import catalog_languages

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / ".data")))

DEBUG = env_bool("DEBUG", False)


def _development_secret(filename: str) -> str:
    """A random secret kept in DATA_DIR so restarts keep sessions and encrypted data."""
    path = DATA_DIR / filename
    if path.exists():
        return path.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(50)
    path.write_text(value)
    path.chmod(0o600)
    return value


SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = _development_secret("dev-secret-key")

# Fernet keys (comma-separated, newest first) that encrypt connection secrets at rest.
# In development they are derived from SECRET_KEY; in production they must be given.
CONNECTION_SECRET_KEYS = env_list("CONNECTION_SECRET_KEYS")
if not CONNECTION_SECRET_KEYS and not DEBUG:
    raise ImproperlyConfigured(
        "CONNECTION_SECRET_KEYS must be set when DEBUG is off "
        "(generate one with: python manage.py generate_secret_key)"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("http://", "https://")):
        raise ImproperlyConfigured(f"CSRF_TRUSTED_ORIGINS entry {_origin!r} needs a scheme")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # intcomma: counts of files and objects on pages
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "storage",
    "console",  # the project: AuditEvent and the CSP signal handlers
    "console.files",
    "console.shares",
    "console.connections",
    "console.accounts",
    "console.adminpages",
    "console.jobs",
    "console.access",
    "console.teams",
    "console.s3api",
]

MIDDLEWARE = [
    "console.client_address.ForwardedForMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files from STATIC_ROOT (collectstatic), before anything that reads a session or the database.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "console.csp.ContentSecurityPolicyMiddleware",
    "console.middleware.ProbeMiddleware",  # /healthz, /readyz: no session, no CSRF, any Host
    "django.contrib.sessions.middleware.SessionMiddleware",
    # S3 answers (/s3/) keep only the object's own Content-Language, not the page's; before LocaleMiddleware.
    "console.s3api.middleware.S3ResponseHeadersMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # the cookie, else Accept-Language, else English
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "console.i18n.middleware.PersonPreferencesMiddleware",  # a signed-in person's saved language and time zone
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "console.middleware.DatabaseBusyMiddleware",
    "console.audit.RequestMiddleware",  # who changed a grant through Django admin (console/access/signals.py)
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "console.accounts.backends.LocalPasswordBackend",  # refuses passwords when LOCAL_LOGIN is false
    "console.accounts.oidc.backend.OidcBackend",  # answers only the single sign-on callback
]

ROOT_URLCONF = "console.urls"
WSGI_APPLICATION = "console.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "console.context_processors.console",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
            ],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'console.sqlite3'}"
# Seconds a statement waits for a lock another request holds before the request answers "try again".
DATABASE_LOCK_TIMEOUT = env_int("DATABASE_LOCK_TIMEOUT", 20, minimum=1)
DATABASES = {"default": database_settings(env_str("DATABASE_URL", _default_db), lock_timeout=DATABASE_LOCK_TIMEOUT)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3") and DATABASES["default"]["NAME"] not in ("", ":memory:"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The console's languages (README "Languages"): English, and one for each catalog under locale/.
LANGUAGE_CODE = "en"
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [("en", "English"), *catalog_languages(LOCALE_PATHS[0])]
LANGUAGE_COOKIE_NAME = "console_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Times are shown in this zone unless a person picks their own (Your settings).
TIME_ZONE = env_time_zone("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "staticfiles")))
# Production serves what `manage.py collectstatic` wrote to STATIC_ROOT: compressed, with hashed
# names cached for a year (whitenoise). Development reads the files where they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions and cookies: secure in production.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HTTPS in production: redirect, HSTS. Behind a TLS-terminating proxy set SECURE_PROXY_HEADER=true
# (it trusts X-Forwarded-Proto; only do so when the proxy sets that header itself).
SECURE_SSL_REDIRECT = not DEBUG and env_bool("SECURE_SSL_REDIRECT", True)
# Probes from load balancers and orchestrators speak plain HTTP to the process.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Preloading is consent to a browser list that is slow to leave: the operator opts in, not us.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if env_bool("SECURE_PROXY_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600, minimum=300)
# Expired sessions are deleted by each jobs worker this often (what `manage.py clearsessions` does).
SESSION_CLEANUP_SECONDS = env_int("SESSION_CLEANUP_SECONDS", 3600, minimum=60)

# Content-Security-Policy: scripts from this origin only (no inline script, no eval).
# Styles allow inline because the upload widget sets element styles. Storage origins are added
# per response from the connections (console.csp); CSP_EXTRA_STORAGE_ORIGINS adds more, e.g. for
# the commercial edition when the manager's storages are not reachable from the console.
CSP_EXTRA_STORAGE_ORIGINS = env_list("CSP_EXTRA_STORAGE_ORIGINS")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Reverse proxies whose X-Forwarded-For is believed (CIDRs, e.g. 127.0.0.1/32 for nginx on the same
# host). Empty: REMOTE_ADDR is the client. See console.client_address.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")

# Single sign-on with OpenID Connect (mozilla-django-oidc; README "Single sign-on"): on when OIDC_ISSUER is set.
# Endpoints come from <issuer>/.well-known/openid-configuration unless given here one by one.
OIDC_ISSUER = env_str("OIDC_ISSUER")
if OIDC_ISSUER and not OIDC_ISSUER.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"OIDC_ISSUER={OIDC_ISSUER!r} must start with http:// or https://")
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET")  # never logged or shown (Django's filters hide *SECRET*)
if OIDC_ISSUER and not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
    raise ImproperlyConfigured("OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET")
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "single sign-on")  # "Sign in with <this>"
OIDC_RP_SCOPES = env_str("OIDC_SCOPES", "openid profile email")
OIDC_RP_SIGN_ALGO = env_choice("OIDC_SIGN_ALGO", ("rs256", "rs384", "rs512", "es256", "es384", "es512"),
                               "rs256").upper()
OIDC_USERNAME_CLAIM = env_str("OIDC_USERNAME_CLAIM", "preferred_username")  # `sub` when missing or unusable
OIDC_GROUPS_CLAIM = env_str("OIDC_GROUPS_CLAIM", "groups")
# "idp-group=console-group,...": the only way a claim reaches the admin, editor or viewer role groups.
OIDC_GROUP_MAP = env_map("OIDC_GROUP_MAP")
# Off by default: groups hold grants, and a person who can make a group at the provider would join the console
# group of that name. On for a provider whose group names only its admins choose.
OIDC_GROUPS_BY_NAME = env_bool("OIDC_GROUPS_BY_NAME", False)
OIDC_OP_AUTHORIZATION_ENDPOINT = env_url("OIDC_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env_url("OIDC_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env_url("OIDC_USERINFO_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_url("OIDC_JWKS_ENDPOINT")
OIDC_OP_LOGOUT_ENDPOINT = env_url("OIDC_LOGOUT_ENDPOINT")  # RP-initiated logout; discovered when offered
OIDC_DISCOVERY_CACHE_SECONDS = env_int("OIDC_DISCOVERY_CACHE_SECONDS", 3600, minimum=0)
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10, minimum=1)
OIDC_CLOCK_SKEW_SECONDS = env_int("OIDC_CLOCK_SKEW_SECONDS", 60, minimum=0)
OIDC_USE_PKCE = True
# A session made to start single sign-on (its state, nonce and PKCE verifier) lives this long until the
# person signs in: anyone may start, and each start is a session row until the clean-up deletes it.
OIDC_STATE_SECONDS = env_int("OIDC_STATE_SECONDS", 15 * 60, minimum=60)
OIDC_STORE_ID_TOKEN = True  # sent back as id_token_hint when signing out at the provider
# false: no password sign-in at all (the page offers only single sign-on); `manage.py break_glass` still works.
LOCAL_LOGIN = env_bool("LOCAL_LOGIN", True)
if not LOCAL_LOGIN and not OIDC_ISSUER:
    raise ImproperlyConfigured("LOCAL_LOGIN=false needs single sign-on (OIDC_ISSUER): nobody could sign in")
BREAK_GLASS_MINUTES = env_int("BREAK_GLASS_MINUTES", 15, minimum=1)  # how long a break-glass link works

# Failed logins are throttled per user name and address.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "console.accounts.views.auth.locked_out"  # a page that says why, and for how long

# Object storage.
# The s3.yaml loaded at start-up (storage.config.startup); empty turns start-up loading off.
S3_CONFIG_DEFAULT = "/conf/s3.yaml"  # where deploys mount it from a ConfigMap
S3_CONFIG = env_str("S3_CONFIG", S3_CONFIG_DEFAULT)
# Make that file the whole truth: connections missing from it are disabled at start-up (never deleted).
S3_CONFIG_PRUNE = env_bool("S3_CONFIG_PRUNE", False)
EDITION = env_choice("EDITION", ("community", "commercial"))
STORAGE_BACKEND = env_choice("STORAGE_BACKEND", ("s3", "ossgateway"))
OSSGATEWAY_URL = env_url("OSSGATEWAY_URL")
OSSGATEWAY_TOKEN = env_str("OSSGATEWAY_TOKEN")
# Callers of this console's OSS Gateway Manager API from these networks need no token
# (explicit opt-in, off by default; matched against REMOTE_ADDR only).
OSSGATEWAY_API_TRUSTED_CIDRS = env_networks("OSSGATEWAY_API_TRUSTED_CIDRS")
# Seconds a process keeps the connection and edition rows it read (storage.record_cache).
RECORD_CACHE_SECONDS = env_int("RECORD_CACHE_SECONDS", 2, minimum=0)
S3_CONNECT_TIMEOUT = env_int("S3_CONNECT_TIMEOUT", 5, minimum=1)
S3_READ_TIMEOUT = env_int("S3_READ_TIMEOUT", 60, minimum=1)
# Endpoints on loopback or private networks are refused unless allowed (SSRF guard).
ALLOW_PRIVATE_ENDPOINTS = env_bool("ALLOW_PRIVATE_ENDPOINTS", DEBUG)
# Connections of kind "local" (a folder on this server) are refused unless allowed, or DEBUG is on.
ALLOW_LOCAL_FOLDERS = env_bool("ALLOW_LOCAL_FOLDERS", DEBUG)
# The console's address as services reach it: the signed URLs of local folders start with it ("": relative URLs,
# which browsers on the console's pages follow, and services cannot).
LOCAL_FOLDERS_URL = env_url("LOCAL_FOLDERS_URL")
# How many transfers of bytes through the console (local folders' signed GETs and PUTs, S3 endpoint requests) one
# process serves at once; more answer 503 SlowDown, which S3 clients retry (storage/transfer_slots.py). 0: no limit
# (the development server starts a thread per request). gunicorn sets it to its threads less one
# (console/gunicorn_conf.py), so slow clients never take every thread from the pages. LOCAL_FOLDER_TRANSFERS is
# its earlier name.
TRANSFER_SLOTS = env_int("TRANSFER_SLOTS", env_int("LOCAL_FOLDER_TRANSFERS", 0, minimum=0), minimum=0)
# Seconds a transfer (an S3 endpoint request, a local folder's signed GET or PUT) may wait on its client (for the next bytes of its body, or to take the next
# piece of its answer) before the connection is closed (RequestTimeout), so that idle clients cannot keep every
# slot. A piece of an answer is 1 MiB: a reader slower than 1 MiB per this many seconds is cut off.
TRANSFER_IDLE_TIMEOUT = env_int("TRANSFER_IDLE_TIMEOUT", 60, minimum=1)

# Background jobs (console.jobs). The task queue only carries "run job N"; the Job rows are the truth.
# The database backend needs nothing more (workers: `manage.py jobs_worker`); a broker backend such as
# django-tasks-rq's `django_tasks_rq.RQBackend` is this setting plus its own package and settings.
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
                     "QUEUES": ["default"]}}
JOBS_LEASE_SECONDS = env_int("JOBS_LEASE_SECONDS", 30, minimum=2)  # a dead worker's job moves on after this
JOBS_SWEEP_SECONDS = env_int("JOBS_SWEEP_SECONDS", 10, minimum=1)  # how often each worker looks for such jobs
JOBS_RENUDGE_SECONDS = env_int("JOBS_RENUDGE_SECONDS", 120, minimum=1)  # a queued job no worker took is re-sent
JOBS_MAX_ATTEMPTS = env_int("JOBS_MAX_ATTEMPTS", 20, minimum=1)  # workers that may die on one job before it fails
JOBS_STORAGE_RETRY_SECONDS = env_int("JOBS_STORAGE_RETRY_SECONDS", 120, minimum=0)  # storage unreachable: retry this long
JOBS_IN_FLIGHT = env_int("JOBS_IN_FLIGHT", 8, minimum=1)  # storage requests a job keeps in flight
JOBS_BATCH_OBJECTS = env_int("JOBS_BATCH_OBJECTS", 200, minimum=1)  # objects per copy/move checkpoint
JOBS_DELETE_BATCHES_IN_FLIGHT = env_int("JOBS_DELETE_BATCHES_IN_FLIGHT", 4, minimum=1)  # DeleteObjects of 1,000
# Jobs one person may have queued or running at once, admins too (console/jobs/limits.py); 0: no limit.
JOBS_MAX_ACTIVE_PER_USER = env_int("JOBS_MAX_ACTIVE_PER_USER", 20, minimum=0)
# Copies between connections that share no storage pass through the worker: parts of this size (S3's minimum
# is 5 MiB), this many in flight per job. Their product bounds the bytes a job holds in memory.
JOBS_STREAM_PART_MB = env_int("JOBS_STREAM_PART_MB", 8, minimum=5)
JOBS_STREAM_PARTS_IN_FLIGHT = env_int("JOBS_STREAM_PARTS_IN_FLIGHT", 4, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO").upper()},
    "loggers": {
        "botocore": {"level": "WARNING"},
        "boto3": {"level": "WARNING"},
        "s3transfer": {"level": "WARNING"},
        "urllib3": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
