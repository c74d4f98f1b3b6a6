"""Settings shared by every profile.

Profiles: ``dev`` (the embedded default: SQLite, eager Celery, console e-mail and SMS),
``test`` (fast suite), ``integration`` (PostgreSQL + Redis + a real worker) and
``production`` (everything from the environment).
"""

from pathlib import Path
from typing import Any

from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# --- Core ---------------------------------------------------------------------------------
DEBUG = False
ALLOWED_HOSTS: list[str] = []
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

INSTALLED_APPS = [
    # Our apps first so their templates and translations win over third-party ones; the top
    # floor (seeding: it imports every app, none imports it) first, the ground floor (core) next.
    "seeding",
    "core",
    "accounts",
    "cms",
    "training",
    "exams",
    "certificates",
    "feedback",
    "dashboards",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # allauth
    "allauth",
    "allauth.account",
    # Staff lists
    "django_tables2",
    "django_filters",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.forms",
]

FORM_RENDERER = "core.forms.AnxunFormRenderer"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "core.middleware.AdminAccessMiddleware",
    "core.middleware.RateLimitedMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.ui",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database (profiles override) ---------------------------------------------------------
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    }
}

# --- Authentication -----------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:workbench"
LOGOUT_REDIRECT_URL = "/"

# --- Internationalisation: Chinese first --------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

# --- Static and media ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
# Worker photos are personal data: kept out of MEDIA_ROOT (which a front server may publish)
# and served only through a view that checks who asks (accounts.views.worker_photo).
PRIVATE_MEDIA_ROOT = BASE_DIR / "private_media"
# Annotated so that profiles may spread and override one backend's entries.
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Django caps form fields, not files: the front server caps upload size (client_max_body_size,
# docs/DEPLOY.md); the photo form refuses anything over ANXUN_PHOTO_MAX_BYTES.

# --- Cache (allauth's rate limits need one) -----------------------------------------------
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Wagtail ------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "安训 Anxun"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no calls to a foreign avatar service
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "txt", "zip", "jpg", "png"]

# --- django-allauth -----------------------------------------------------------------------
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "accounts.forms.AnxunLoginForm",
    "signup": "accounts.forms.WorkerSignupForm",
    "change_password": "accounts.forms.AnxunChangePasswordForm",
}
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
ACCOUNT_SIGNUP_FIELDS = ["phone*", "email", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_DISPLAY = "accounts.adapters.user_display"
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 300
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Wagtail and Django admin send a logged-in user who lacks access to this login page; it must
# show the form (to switch accounts) rather than bounce back, which would loop.
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[安训] "
# allauth's rate limits are on by default and kept in the cache (Redis in production); its
# defaults suit us: e.g. login_failed 10/m/ip + 5/5m per account, verify_phone 1/30s per number.
ACCOUNT_PREVENT_ENUMERATION = False  # real-name sign-up must say "this number is registered"
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = True
# A forgotten password is reset by an SMS code (accounts.password_reset_sms; allauth's own
# reset by code is e-mail only). Its code lives as long as a login code and takes 3 guesses;
# codes go out at most once a minute and 5 times an hour per number, 30 times an hour per
# client address (workers share addresses behind a factory's or carrier's NAT).
ACCOUNT_PASSWORD_RESET_BY_CODE_TIMEOUT = 300
ACCOUNT_PASSWORD_RESET_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_RATE_LIMITS = {"reset_password_by_sms": "1/m/key,5/h/key,30/h/ip"}
# After a login (or re-authentication) by an SMS code, which proves the phone, the password
# change page asks for no current password for this long.
ANXUN_PASSWORD_CHANGE_AFTER_CODE_LOGIN_SECONDS = 600
ALLAUTH_USER_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}

# --- Messages out (SMS, e-mail) -----------------------------------------------------------
SMS_BACKEND = "core.sms.LogSmsSender"
# Read only by the sender that needs each: FileSmsSender (integration) and HttpGatewaySmsSender
# (production), whose profiles set them; declared here so that every profile has them.
ANXUN_SMS_FILE = ""
ANXUN_SMS_GATEWAY_URL = ""
ANXUN_SMS_GATEWAY_TOKEN = ""
DEFAULT_FROM_EMAIL = "安训 Anxun <noreply@anxun.example.cn>"

# --- Celery -------------------------------------------------------------------------------
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
# Run the schedule below inside `runserver` (core/beat.py): only the dev profile, which has no
# broker and no `celery beat`, sets it.
ANXUN_EMBEDDED_BEAT = False
CELERY_BEAT_SCHEDULE: dict = {
    # Scheduled go-live and expiry of outreach pages, to the minute.
    "publish-scheduled-pages": {"task": "cms.tasks.publish_scheduled_pages", "schedule": 60.0},
    # Dashboards and home-page counters: incremental, so every five minutes is cheap.
    "refresh-aggregates": {"task": "dashboards.tasks.refresh_aggregates", "schedule": 300.0},
    # A nightly full rebuild catches what the incremental runs cannot see (an enterprise moved
    # between districts, a worker deleted from another district's enterprise).
    "rebuild-aggregates": {
        "task": "dashboards.tasks.refresh_aggregates",
        "schedule": crontab(minute=0, hour=3),
        "kwargs": {"full": True},
    },
    "escalate-cases": {"task": "feedback.tasks.escalate_cases", "schedule": 900.0},
    "invite-ratings": {"task": "feedback.tasks.invite_ratings", "schedule": 3600.0},
    "weekly-reports": {
        "task": "dashboards.tasks.make_weekly_reports",
        "schedule": crontab(minute=30, hour=6, day_of_week="mon"),  # after Sunday's last refresh
    },
    # Messages queued while the broker was down (core.notifications): none is ever lost.
    "resend-messages": {"task": "core.tasks.resend_messages", "schedule": 300.0},
    "submit-expired-attempts": {"task": "exams.tasks.submit_expired_attempts", "schedule": 30.0},
    "sweep-bookings": {"task": "exams.tasks.sweep_bookings", "schedule": 300.0},
    "certificate-review-reminders": {
        "task": "certificates.tasks.send_review_reminders",
        "schedule": 6 * 3600.0,  # one message per certificate and threshold, so often is harmless
    },
    "remind-workers-not-started": {
        "task": "training.tasks.remind_workers_not_started",
        "schedule": 6 * 3600.0,  # deduplicated per enrolment and week, so often is harmless
    },
}

# --- Anxun --------------------------------------------------------------------------------
ANXUN_CAMPAIGN_TARGET = 1_000_000
# Service ratings and complaint cases (差评闭环: 1日回访、15日整改反馈), in working days.
ANXUN_RATING_DAYS = 30  # how long after the service a rating is taken
ANXUN_CASE_CALLBACK_WORKING_DAYS = 1
ANXUN_CASE_RECTIFICATION_WORKING_DAYS = 15
ANXUN_CASE_CALLBACK_WARNING_HOURS = 12  # deadlines end at midnight: supervisors hear by noon
ANXUN_CASE_RECTIFICATION_WARNING_DAYS = 2
# Practical exams: how long a freed seat is offered to the waiting list, when reminders go out.
ANXUN_WAITLIST_OFFER_HOURS = 12
ANXUN_BOOKING_REMINDER_HOURS = 24
# The function a passing practical result calls in its transaction (the certificates app).
ANXUN_CERTIFICATE_ISSUER = "certificates.services.certificate_issue"
# Reference data loaded by `manage.py load_reference_data` (replace for another city).
ANXUN_DISTRICTS_FILE = BASE_DIR / "accounts" / "data" / "districts_hangzhou.json"
ANXUN_INDUSTRIES_FILE = BASE_DIR / "accounts" / "data" / "industries_gbt4754.json"
# Worker photos (证件照): accepted types, upload ceiling, minimum size, stored bounding box.
ANXUN_PHOTO_MAX_BYTES = 5 * 1024 * 1024
ANXUN_PHOTO_MIN_SIZE = (200, 250)
ANXUN_PHOTO_MAX_PIXELS = 40_000_000
ANXUN_PHOTO_STORED_SIZE = (600, 800)
# CJK fonts for every document the engine draws (core/documents/fonts.py: posters, certificates,
# tickets, the 学时证明, the demo's pictures): the first path that exists and can draw Chinese
# wins. TrueType outlines (not CFF) so reportlab can embed them.
ANXUN_CJK_FONT_PATHS = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
]
# Certificate signing keys (certificates/signing.py): "<key id>=<base64url Ed25519 private key>",
# comma-separated, the first signing. This one is for development and tests only and is public;
# production reads its own from the environment (`manage.py certificate_keygen` makes one).
DEVELOPMENT_SIGNING_KEYS = "dev-2026=RYB5A4kq8yBipCrewJ5BRS1_eIHrj-c0S2UapcuIX-Q"
ANXUN_SIGNING_KEYS = DEVELOPMENT_SIGNING_KEYS
# The secret key of the ID-number hash in a certificate's QR code (certificates.signing.id_hash):
# base64url, 32 bytes; empty derives it from SECRET_KEY. It must outlive the printed codes.
ANXUN_HOLDER_HASH_KEY = ""
ANXUN_CERTIFICATE_ISSUER_NAME = "杭州市应急管理局"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},  # Wagtail's background search/reference indexing
        "wagtail": {"level": "WARNING"},
    },
}
