"""Settings for the Auto Attendant, read from the environment.

With no environment at all this is the *embedded default* a laptop needs: SQLite, local media
files, an in-memory cache and Celery running tasks eagerly. Production sets ``DEBUG=false``,
``SECRET_KEY``, ``ALLOWED_HOSTS``, ``DATABASE_URL``, ``REDIS_URL`` and optionally S3 (see README).
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_choice, env_int, env_list, env_str
from .log_format import FORMATTERS

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-the-embedded-default"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Absolute URLs in RCML (Play files, Gather actions) are built from this when set: behind a
# TLS-terminating proxy the request's own scheme and host are wrong.
PUBLIC_BASE_URL = (env_str("PUBLIC_BASE_URL", "") or "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "auditlog",  # the audit trail (DESIGN §16)
    "autoattendant",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The platforms' webhooks are answered here, past everything below (see its docstring).
    "autoattendant.middleware.PlatformWebhookMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "autoattendant.audit.AuditActorMiddleware",  # who writes (DESIGN §16)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "autoattendant.middleware.ApiErrorMiddleware",
    "autoattendant.middleware.RefuseNulMiddleware",
]

ROOT_URLCONF = "aa_project.urls"
WSGI_APPLICATION = "aa_project.wsgi.application"
# The API accepts each path with and without a trailing slash itself; never redirect.
APPEND_SLASH = False

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
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
            # A reused connection is checked with a round trip at the start of each request.
            conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", True),
        )
    }
    # PostgreSQL plans a query on every run unless it is prepared: with server-side binding each
    # connection prepares its frequent queries once (the call flow's lookup: 0.6 ms → 0.06 ms of
    # database CPU; see docs/performance.md). Off by default, as in Django: a transaction-mode
    # pooler (PgBouncer before 1.21) cannot keep prepared statements.
    if env_bool("DB_PREPARED_STATEMENTS", False):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=env_int("DB_PREPARE_THRESHOLD", 5)
        )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # Kept between requests as with DATABASE_URL: opening a SQLite connection (its
            # pragmas, the schema read) costs a call more than answering it does.
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # SQLITE_PATH or a sqlite URL
    options = DATABASES["default"].setdefault("OPTIONS", {})
    # A write transaction takes SQLite's write lock when it begins, and waits up to 20 s for it:
    # a transaction that read first and then tried to write would fail at once ("database is
    # locked") whenever another process wrote in between.
    options.setdefault("transaction_mode", "IMMEDIATE")
    options.setdefault("timeout", 20)
    # Write-ahead logging: readers (every call) never wait for a writer (the call history's
    # background writes, a console save), and a commit costs no fsync of the database file.
    # Pages go back into the database file once the log holds 10,000 of them (40 MB) rather
    # than SQLite's 1,000: the history's busiest pages are copied once for many batches instead
    # of once every few (docs/performance.md); the log file is cut back to 64 MB after that.
    # Each connection keeps up to 32 MiB of pages rather than SQLite's 2 MiB: one batch of the
    # call history's writes touches more index pages than that (10% less CPU a step).
    options.setdefault(
        "init_command",
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA wal_autocheckpoint=10000; PRAGMA journal_size_limit=67108864; "
        "PRAGMA cache_size=-32768;",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "aa"),
            # An unreachable or hung Redis fails a request (and /readyz) in 2 s, not minutes or
            # never: a caller hears the apology instead of silence.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# 01:00 UTC on the 1st of every month: roll up the month that just closed (idempotent).
CELERY_BEAT_SCHEDULE = {
    "rollup-usage": {
        "task": "autoattendant.tasks.rollup_usage",
        "schedule": crontab(minute=0, hour=1, day_of_month=1),
    },
    # Call history: recorded steps into the database every two seconds, idle calls closed every
    # minute, history past CALL_HISTORY_DAYS purged nightly.
    "drain-call-steps": {"task": "autoattendant.tasks.drain_call_steps", "schedule": 2.0},
    "close-idle-calls": {"task": "autoattendant.tasks.close_idle_calls", "schedule": 60.0},
    "purge-call-history": {
        "task": "autoattendant.tasks.purge_call_history",
        "schedule": crontab(minute=30, hour=2),
    },
}

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "autoattendant.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "console:login"
LOGIN_REDIRECT_URL = "console:dashboard"
LOGOUT_REDIRECT_URL = "console:login"

# Failed logins — API HTTP Basic, console and admin alike — allowed in a window
# (autoattendant/login_throttle.py): per username (past it every attempt with that username is
# refused, the right password too) and, higher, per client address (past it the address's wrong
# attempts are refused while right credentials still log in).
AUTH_FAILURE_LIMIT = env_int("AUTH_FAILURE_LIMIT", 10)
AUTH_ADDRESS_FAILURE_LIMIT = env_int("AUTH_ADDRESS_FAILURE_LIMIT", 100)
AUTH_FAILURE_WINDOW_SECONDS = env_int("AUTH_FAILURE_WINDOW_SECONDS", 60)
# API Basic auth with email/accountSid + *password*: a successful check is remembered this many
# seconds in the cache, under an HMAC (SECRET_KEY) of the user, its stored password hash and the
# password sent; 0 checks the hash on every request (docs/performance.md).
API_PASSWORD_CACHE_SECONDS = env_int("API_PASSWORD_CACHE_SECONDS", 300)
if min(AUTH_FAILURE_LIMIT, AUTH_ADDRESS_FAILURE_LIMIT, AUTH_FAILURE_WINDOW_SECONDS) < 1:
    raise ImproperlyConfigured(
        "AUTH_FAILURE_LIMIT, AUTH_ADDRESS_FAILURE_LIMIT and AUTH_FAILURE_WINDOW_SECONDS must be "
        "positive integers"
    )

# Credentials the telephony platform puts in the webhook URL for entry requests; with none
# configured (the embedded default) the entry is open.
PLATFORM_WEBHOOK_USER = env_str("PLATFORM_WEBHOOK_USER", "") or ""
PLATFORM_WEBHOOK_PASSWORD = env_str("PLATFORM_WEBHOOK_PASSWORD", "") or ""
# Twilio and TwiML-compatible platforms sign every webhook request with this account auth token
# (``X-Twilio-Signature``); with none configured the TwiML webhook is open (check --deploy warns).
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN", "") or ""
# Checks an operator has decided to live with (e.g. autoattendant.W001 on a Restcomm-only site).
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS", [])
# The region whose national number forms a platform's ``To`` may arrive in (ISO 3166 code, e.g.
# ``US``, ``GB``); unset, only international forms (``+…``) are parsed, anything else is taken as
# digits.
DEFAULT_PHONE_REGION = (env_str("DEFAULT_PHONE_REGION", "") or "").upper()

# --- I18N -----------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# The call flow's built-in phrases in each AA system's language (locale/<lang>/LC_MESSAGES/
# django.po, compiled to .mo by `make install` / `make compilemessages`).
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Voicemail (DESIGN §15) -------------------------------------------------------------------
# Recordings are copied only from these hosts (host or host:port, e.g. api.twilio.com or your
# Restcomm's media host); a redirect is followed only to the same host. Empty: nothing is
# copied, each message keeps the platform's URL and shows why.
RECORDING_URL_HOSTS = env_list("RECORDING_URL_HOSTS", [])
RECORDING_MAX_BYTES = env_int("RECORDING_MAX_BYTES", 20 * 1024 * 1024)
RECORDING_FETCH_TIMEOUT = env_int("RECORDING_FETCH_TIMEOUT", 15)
# Seconds before each retry of a copy or email that failed for a passing reason (back-off).
RECORDING_RETRY_DELAYS = [
    int(s) for s in env_list("RECORDING_RETRY_DELAYS", ["30", "120", "600", "1800"])
]
# A recording's copy is queued for the Celery worker; with eager Celery (the embedded default, no
# worker) it runs in a thread beside the platform's request; when set, inline in the request (as
# the tests do).
VOICEMAIL_COPY_INLINE = env_bool("VOICEMAIL_COPY_INLINE", False)
# Email: SMTP when EMAIL_HOST is set, else printed to the console (the embedded default).
EMAIL_HOST = env_str("EMAIL_HOST", "") or ""
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "") or ""
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "voicemail@localhost")

# --- Static and media files -----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Served at the site root by WhiteNoise: /favicon.ico, which browsers ask for on every page.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if AWS_STORAGE_BUCKET_NAME:
    # Any S3-compatible store; credentials come from the usual AWS_* variables or the role.
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL")
    AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME")
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = False
    AWS_S3_FILE_OVERWRITE = False

# Announcement uploads: the largest WAV accepted.
ANNOUNCEMENT_MAX_BYTES = env_int("ANNOUNCEMENT_MAX_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Text-to-speech languages a say announcement may use (<Say language=…>); anything else is
# refused (521) and the console offers only these. The default is the spec's list plus provider
# voices. A synthesizer speaks a language it does not know as English, silently, so a deployment
# narrows this to its synthesizer's: Restcomm's default, VoiceRSS, speaks
#   ca da de en en-au en-ca en-gb en-in es es-mx fi fr fr-ca it ja ko nb nl pl pt pt-br ru sv
#   zh-cn zh-hk zh-tw
# so a Restcomm deployment sets TTS_LANGUAGES to those (comma-separated). The older name
# ANNOUNCEMENT_LANGUAGES is still read when TTS_LANGUAGES is not set.
TTS_LANGUAGES = env_list(
    "TTS_LANGUAGES" if env_str("TTS_LANGUAGES") is not None else "ANNOUNCEMENT_LANGUAGES",
    [
        "bf", "bp", "ca", "cf", "cs", "da", "de", "dn", "el", "en", "en-gb", "es", "es-mx",
        "fi", "fr", "it", "ja", "ko", "nl", "no", "pl", "pt", "pt-br", "ru", "sv", "tr",
        "zh", "zh-cn", "zh-hk", "zh-tw",
        "google.en-GB-Wavenet-A", "google.en-GB-Wavenet-B", "google.en-US-Wavenet-A",
        "google.en-US-Wavenet-B", "google.de-DE-Wavenet-A", "google.fr-FR-Wavenet-A",
        "google.es-ES-Wavenet-A",
    ],
)  # fmt: skip

# Dial-by-name: the smallest rapidfuzz WRatio score that counts as a match.
DIAL_BY_NAME_MIN_SCORE = env_int("DIAL_BY_NAME_MIN_SCORE", 80)

# The call flow's process-local memory (docs/performance.md). Compiled flows in front of the
# shared cache (in front of Redis and of the in-process cache alike, which pickles too), engine
# answers, and routes (number → system), which on PostgreSQL are dropped on the notification of
# any change to numbers, systems or enterprises; turn those notifications off behind a
# transaction-mode connection pooler, which cannot keep a LISTEN.
CALLFLOW_LOCAL_FLOWS = env_int("CALLFLOW_LOCAL_FLOWS", 1024)
# How long the shared cache keeps a compiled flow; a change never waits for it (it changes the
# key), it only bounds the memory old versions occupy.
CALLFLOW_CACHE_SECONDS = env_int("CALLFLOW_CACHE_SECONDS", 24 * 3600)
CALLFLOW_LOCAL_ANSWERS = env_int("CALLFLOW_LOCAL_ANSWERS", 4096)
CALLFLOW_LOCAL_ROUTES = env_int("CALLFLOW_LOCAL_ROUTES", 16384)
CALLFLOW_ROUTE_NOTIFICATIONS = env_bool("CALLFLOW_ROUTE_NOTIFICATIONS", True)
CALLFLOW_ROUTES_MAX_AGE = env_int("CALLFLOW_ROUTES_MAX_AGE", 60)
# On SQLite, how often (milliseconds) each connection looks at the route stamp for a route
# changed by another connection or process; its own writes are seen at once. 0: on every call.
CALLFLOW_ROUTE_CHECK_MS = env_int("CALLFLOW_ROUTE_CHECK_MS", 100)
# How long a continuation URL the call flow hands a platform stays valid (seconds); each is bound
# to its call's CallSid too, so a captured URL cannot be replayed later or by another call.
CALL_STATE_MAX_AGE = env_int("CALL_STATE_MAX_AGE", 4 * 3600)

# --- Call history (DESIGN §13) ---------------------------------------------------------------
# How each webhook request's step reaches the database: "stream" (a Redis stream drained in
# batches by the drain_call_steps task; the default with REDIS_URL), "batch" (an in-process
# buffer written by a background thread every CALL_RECORDING_FLUSH_SECONDS; the embedded
# default), "sync" (written in the request) or "off".
CALL_RECORDING = env_choice(
    "CALL_RECORDING", ("stream", "batch", "sync", "off"), "stream" if REDIS_URL else "batch"
)
CALL_RECORDING_FLUSH_SECONDS = env_int("CALL_RECORDING_FLUSH_SECONDS", 1)
# A call whose last step waited for the caller this long is closed as CALLER_HUNG_UP.
CALL_IDLE_SECONDS = env_int("CALL_IDLE_SECONDS", 120)
# Calls older than this many days are purged every night.
CALL_HISTORY_DAYS = env_int("CALL_HISTORY_DAYS", 90)

# --- REST framework -------------------------------------------------------------------------
# The audit trail (DESIGN §16): django-auditlog writing into the project's own entry model.
AUDITLOG_LOGENTRY_MODEL = "autoattendant.AuditEntry"
# django-auditlog's own entry table would be unused (and, holding a key to the users, would stop
# tests on PostgreSQL from emptying the tables): its migrations are not run. Its entry model is
# swapped for ours, so no table is made for it.
MIGRATION_MODULES = {"auditlog": None}
AUDITLOG_DISABLE_REMOTE_ADDR = False

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["autoattendant.api.authentication.BasicAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["autoattendant.api.envelope.EnvelopeRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "autoattendant.api.parsers.JSONParser",
        "autoattendant.api.parsers.MultiPartParser",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "autoattendant.api.envelope.AlwaysJSONNegotiation",
    "EXCEPTION_HANDLER": "autoattendant.api.envelope.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "autoattendant.api.schema.ApiSchema",
    "DATETIME_FORMAT": "%Y-%m-%dT%H:%M:%S+0000",
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Auto Attendant API",
    "DESCRIPTION": (
        "Users, announcements, menus, schedules, auto attendant systems, phone numbers, usage "
        "records and RCML. Every response is the envelope shown here; see docs/errors.md for "
        "the error codes."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc from the installed drf-spectacular-sidecar: no CDN, they work offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge from the online validator (validator.swagger.io).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        # Users and enterprises share one set: ACTIVE, SUSPENDED, DELETED.
        "LifecycleStatusEnum": "autoattendant.choices.UserStatus",
        "SystemStatusEnum": "autoattendant.choices.SystemStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "autoattendant.api.schema.wrap_in_envelope",
    ],
}

# --- Production hardening (applies when DEBUG is off) ---------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# --- Operations (docs/deploy.md) -------------------------------------------------------------
# GET /metrics answers these client addresses (addresses or networks, comma-separated) and any
# request carrying ``Authorization: Bearer <METRICS_TOKEN>``; anyone else gets 403.
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"])
for _network in METRICS_ALLOWED_IPS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"METRICS_ALLOWED_IPS: {_network!r} is not an IP address or network"
        ) from None
METRICS_TOKEN = env_str("METRICS_TOKEN", "") or ""
# A load balancer's or Prometheus's probe over plain HTTP is answered, not redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^(healthz|readyz|metrics)/?$"]

# LOG_FORMAT=json: one JSON object a line (time, level, logger, message, and the CallSid of
# call-flow lines), for a log shipper; plain (the default) for a person. gunicorn.conf.py writes
# gunicorn's own lines the same way.
LOG_FORMAT = env_choice("LOG_FORMAT", tuple(FORMATTERS), "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": FORMATTERS,
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}
# A Celery worker keeps this configuration (JSON lines too) instead of installing its own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"

# SENTRY_DSN turns on error reporting (unhandled exceptions and ERROR log lines, from the web
# processes and the Celery worker); SENTRY_ENVIRONMENT and SENTRY_RELEASE are read by the SDK.
# No performance tracing: it would cost every call-flow request.
SENTRY_DSN = env_str("SENTRY_DSN", "") or ""
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(dsn=SENTRY_DSN, integrations=[DjangoIntegration()], send_default_pii=False)
