"""Production: PostgreSQL, Redis (cache, sessions, broker), Celery worker + beat, gunicorn.

Everything comes from the environment; see docs/DEPLOY.md for the full list. The process
refuses to start (ImproperlyConfigured) without a real SECRET_KEY, a DATABASE_URL or a REDIS_URL.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from certificates.signing import signing_keys_check

from .base import *  # noqa: F403


def env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None or value == "":
        raise ImproperlyConfigured(f"Set the {name} environment variable (see docs/DEPLOY.md).")
    return value


def env_list(name: str, default: str | None = None) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = env("SECRET_KEY")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or "insecure" in SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak: use at least 50 random characters "
        "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )

DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
WAGTAILADMIN_BASE_URL = env("ANXUN_BASE_URL")

# --- Database: PostgreSQL with persistent connections ---------------------------------------
DATABASES = {
    # dict(): the TypedDict dj_database_url returns is a plain dict at run time already.
    "default": dict(
        dj_database_url.parse(
            env("DATABASE_URL"),
            conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        )
    )
}

# --- Redis: cache, sessions, broker -------------------------------------------------------
REDIS_URL = env("REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "anxun",
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
# Longer than any countdown or ETA we use, so a delayed task is not redelivered twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 6 * 3600}

# --- Static and media: WhiteNoise serves compressed, hashed static files ------------------
MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", MEDIA_ROOT))  # noqa: F405
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", PRIVATE_MEDIA_ROOT))  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", STATIC_ROOT))  # noqa: F405

# --- Security -----------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# --- E-mail and SMS -----------------------------------------------------------------------
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "465"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", DEFAULT_FROM_EMAIL)  # noqa: F405
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMS_BACKEND = env("SMS_BACKEND", "core.sms.HttpGatewaySmsSender")
ANXUN_SMS_GATEWAY_URL = os.environ.get("ANXUN_SMS_GATEWAY_URL", "")
ANXUN_SMS_GATEWAY_TOKEN = os.environ.get("ANXUN_SMS_GATEWAY_TOKEN", "")

# --- Certificate signing keys -------------------------------------------------------------
# The ID-number hash in certificates' QR codes (certificates.signing.id_hash): set it once and
# keep it for as long as printed certificates are in use (empty: derived from SECRET_KEY).
ANXUN_HOLDER_HASH_KEY = os.environ.get("ANXUN_HOLDER_HASH_KEY", "")
ANXUN_SIGNING_KEYS = env("ANXUN_SIGNING_KEYS")
signing_keys_check(ANXUN_SIGNING_KEYS, development_keys=[DEVELOPMENT_SIGNING_KEYS])  # noqa: F405
ANXUN_CERTIFICATE_ISSUER_NAME = os.environ.get(
    "ANXUN_CERTIFICATE_ISSUER_NAME",
    ANXUN_CERTIFICATE_ISSUER_NAME,  # noqa: F405
)

# --- Logging: one JSON object a line for the log collector --------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
