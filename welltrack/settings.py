"""WellTrack settings. Every value comes from the environment, with a local default.

There is no SQL database: persistence is DynamoDB through PynamoDB (welltrack/dynamodb.py).
"""

import os
from pathlib import Path

from botocore.config import Config as BotoConfig
from django.core.exceptions import ImproperlyConfigured

from welltrack.logs import log_format, logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("WELLTRACK_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


# Off unless asked for: `make run` (the development command) and the tests turn it on.
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (the default). "
            "In production set it to a long random secret; for development use `make run`, "
            "which turns DJANGO_DEBUG on, or set DJANGO_DEBUG=true."
        )
    SECRET_KEY = "dev-only-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz"

# Django's test set-up adds "testserver" by itself; no running server answers to that name.
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.staticfiles",
    "django.forms",
    "django.contrib.messages",
    "django_htmx",
    "template_partials",
    "ninja",
    "welltrack",
    "accounts",
    "orgs",
    "wells",
    "files",
    "timeline",
]

MIDDLEWARE = [
    # Outermost: the request id and the access line cover every answer, a redirect to HTTPS included.
    "welltrack.middleware.RequestLogMiddleware",
    "welltrack.middleware.ApiErrorMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside every middleware that may answer by itself (accounts.middleware, for one).
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "welltrack.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "welltrack.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.middleware.AuthenticationMiddleware",
    "orgs.reads.RequestReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "welltrack.middleware.DependencyFailureMiddleware",
]

ROOT_URLCONF = "welltrack.urls"
WSGI_APPLICATION = "welltrack.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csrf",
                "django.contrib.messages.context_processors.messages",
                "welltrack.context_processors.navigation",
            ],
        },
    },
]

# No SQL database anywhere: everything lives in DynamoDB.
DATABASES: dict = {}

# --- DynamoDB ---------------------------------------------------------------
AWS_REGION = os.environ.get("AWS_REGION", "eu-west-1")
DYNAMODB_ENDPOINT = os.environ.get("DYNAMODB_ENDPOINT") or None
WELLTRACK_TABLE_PREFIX = os.environ.get("WELLTRACK_TABLE_PREFIX", "dev-")
DYNAMODB_CONNECT_TIMEOUT = float(os.environ.get("DYNAMODB_CONNECT_TIMEOUT", "2"))
# A frozen database must answer 503 before gunicorn (timeout 30 s) kills the worker: at most
# (connect + read) x (1 + retries) = 20 s. DynamoDB answers in milliseconds when it answers.
DYNAMODB_READ_TIMEOUT = float(os.environ.get("DYNAMODB_READ_TIMEOUT", "3"))
DYNAMODB_MAX_RETRIES = int(os.environ.get("DYNAMODB_MAX_RETRIES", "3"))

# --- Sessions and passwords -------------------------------------------------
SESSION_ENGINE = "accounts.session_store"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_SERIALIZER = "django.contrib.sessions.serializers.JSONSerializer"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # no script reads the cookie: htmx and our JS take the token from hx-headers on <body>
LOGIN_URL = "accounts:login"
API_TOKEN_AGE = 60 * 60 * 24 * 30

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "name")},
    },
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60

# --- Files -------------------------------------------------------------------
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME") or None
AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
WELLTRACK_MAX_UPLOAD_MB = int(os.environ.get("WELLTRACK_MAX_UPLOAD_MB", "100"))
# Optional: a CloudFront domain in front of the bucket for downloads (deploy/README.md, "nosniff").
WELLTRACK_DOWNLOAD_DOMAIN = os.environ.get("WELLTRACK_DOWNLOAD_DOMAIN") or None
MEDIA_ROOT = Path(os.environ.get("WELLTRACK_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
S3_CLIENT_CONFIG = BotoConfig(
    signature_version="s3v4", connect_timeout=2, read_timeout=10, retries={"mode": "standard", "total_max_attempts": 3}
)
if AWS_STORAGE_BUCKET_NAME:
    STORAGES_DEFAULT = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "region_name": AWS_REGION,
            "endpoint_url": AWS_S3_ENDPOINT_URL,
            "default_acl": None,
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": "AES256"},
            "signature_version": "s3v4",  # presigned GET/POST with SigV4 (files/storage.py)
            # Like DynamoDB's: a file store that does not answer is a 503 within seconds, not a minute.
            "client_config": S3_CLIENT_CONFIG,
        },
    }
else:
    STORAGES_DEFAULT = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": MEDIA_URL},
    }
STORAGES = {
    "default": STORAGES_DEFAULT,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Static files ------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = DEBUG

# --- Maps --------------------------------------------------------------------
# An internal tile server on closed networks, e.g. https://tiles.example.internal/{z}/{x}/{y}.png
WELLTRACK_TILE_URL = os.environ.get("WELLTRACK_TILE_URL", "")
WELLTRACK_TILE_ATTRIBUTION = os.environ.get("WELLTRACK_TILE_ATTRIBUTION", "")

# --- Email -------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "WellTrack <welltrack@localhost>")
WELLTRACK_BASE_URL = os.environ.get("WELLTRACK_BASE_URL", "http://127.0.0.1:8000")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "welltrack.mail.FileAndConsoleEmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# --- Security ----------------------------------------------------------------
SECURE = not DEBUG
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", SECURE)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_REDIRECT_EXEMPT = [r"^health$"]
X_FRAME_OPTIONS = "DENY"
# The number of proxies in front of the app whose X-Forwarded-For we trust (a load balancer: 1).
WELLTRACK_TRUSTED_PROXY_COUNT = int(os.environ.get("WELLTRACK_TRUSTED_PROXY_COUNT", "0"))

# --- Rate limits (all of them, with their windows, in docs/security.md) ------
# Failed sign-ins from one client address in a rolling 15 minutes, whatever the emails: one
# client cannot spray passwords across every account (each check is a bcrypt run).
WELLTRACK_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("WELLTRACK_LOGIN_FAILURES_PER_ADDRESS", "20"))
# Invitation emails (new and resent) one user sends in a rolling hour, across all their
# organizations: anyone can create organizations, so a cap per organization alone bounds nothing.
WELLTRACK_INVITES_PER_USER_PER_HOUR = int(os.environ.get("WELLTRACK_INVITES_PER_USER_PER_HOUR", "50"))
# Organizations one user creates in a rolling day.
WELLTRACK_ORGS_PER_USER_PER_DAY = int(os.environ.get("WELLTRACK_ORGS_PER_USER_PER_DAY", "10"))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# One line per log record on stderr: JSON (production) or readable (development, DEBUG on);
# WELLTRACK_LOG_FORMAT=json|console chooses. Every request's lines carry its id (welltrack/logs.py).
WELLTRACK_LOG_FORMAT = log_format(debug=DEBUG)
LOGGING_CONFIG = "welltrack.logs.configure_logging"
LOGGING = logging_config(log_format=WELLTRACK_LOG_FORMAT, level=os.environ.get("LOG_LEVEL", "INFO"))

FORM_RENDERER = "welltrack.forms.BootstrapFormRenderer"
# Adds X-DynamoDB-Requests / X-DynamoDB-Read-Units to every response (the benchmark and tests use it).
WELLTRACK_DB_METRICS_HEADERS = env_bool("WELLTRACK_DB_METRICS_HEADERS", False)
