"""Settings read from the environment.

With nothing set the project runs embedded: SQLite in the project folder, an in-memory channel
layer, a local-memory cache and background tasks in a worker that `manage.py serve` starts itself.
With DATABASE_URL / REDIS_URL the same code runs against PostgreSQL and Redis.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", True)

_INSECURE_KEY = "django-insecure-development-only-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "") or _INSECURE_KEY
if not DEBUG and (SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "DEBUG is off but SECRET_KEY is missing or too short (at least 32 characters are required)."
    )

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "core",
    "accounts",
    "talent",
    "privacy",
    "exams",
    "imports",
    "scoring",
    "clubs",
    "openings",
    "succession",
    "evaluation",
    "training",
    "api",
    "config.apps.SiteConfig",  # last: the menu of the apps above (config/navigation.py)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # ?x=%00 answers 400 before a view hands it to PostgreSQL, which cannot hold NUL in text.
    "core.middleware.RefuseNulMiddleware",
    # Static files served by the app itself, compressed and cached, with DEBUG off as with it on.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy on every response (policy under "Security headers" below).
    "accounts.security.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A student account reaches only its own pages and the community (deny by default).
    "accounts.student_area.StudentAreaMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: turns a lockout into the "account locked" answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = None

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
                "talent.context_processors.navigation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if not IS_POSTGRES:
    # The task worker and the web server share the SQLite file; WAL and a busy timeout keep
    # them from tripping over each other's locks.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and channel layer ---------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Fails open: with Redis down, throttles let requests through and reads miss, with a logged
            # warning, instead of every API call answering 500 (core/cache.py).
            "BACKEND": "core.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ytp",
            # An unreachable Redis answers in a second, not a client's patience.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    # The pub/sub layer: a group message is one Redis PUBLISH that every server process receives and
    # fans out to its own sockets, instead of one list push per member. On loopback with 1,000
    # clients on one event it delivered every message with a lower p95 (tests/benchmarks/bench_live.py),
    # where the list-based layer left a few clients without some messages. Its limits suit this
    # project: consumers only add themselves to groups, and groups do not expire.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": "ytp"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Background tasks ----------------------------------------------------------------------------
# django-tasks (the backport of Django 6's task API) with its database backend: a queued task is a
# row, so it survives restarts, and workers on several machines claim rows with SKIP LOCKED.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A task that has been "running" longer than this without finishing is taken to have lost its
# worker and is put back in the queue (see core.tasking.requeue_stale_tasks).
TASK_STALE_AFTER_SECONDS = int(os.environ.get("TASK_STALE_AFTER_SECONDS", "1800"))
# A running job's worker writes a heartbeat every JOB_HEARTBEAT_SECONDS; one silent for JOB_STALL_SECONDS
# has lost its worker: it is queued again, up to JOB_MAX_ATTEMPTS runs, then failed with a message.
JOB_HEARTBEAT_SECONDS = float(os.environ.get("JOB_HEARTBEAT_SECONDS", "10"))
JOB_STALL_SECONDS = int(os.environ.get("JOB_STALL_SECONDS", "60"))
JOB_MAX_ATTEMPTS = int(os.environ.get("JOB_MAX_ATTEMPTS", "3"))
# An export is personal data at a point in time: after this many hours it can no longer be
# downloaded (a withdrawn consent or an erasure must not live on in old files); prune_jobs deletes it.
EXPORT_DOWNLOAD_HOURS = int(os.environ.get("EXPORT_DOWNLOAD_HOURS", "24"))
# Largest file the import pages and API accept; the commands stream files of any size.
IMPORT_MAX_UPLOAD_MB = int(os.environ.get("IMPORT_MAX_UPLOAD_MB", "200"))

# --- Auth ------------------------------------------------------------------------------------------
# Django's four rules with Vietnamese-first messages (accounts/password_validation.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.password_validation.MinimumLengthValidator"},
    {"NAME": "accounts.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.password_validation.NumericPasswordValidator"},
]
# Password-reset mails and notices: printed to the console unless an SMTP server is configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@ytp.local")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Argon2 first: new and changed passwords are hashed with it, and older PBKDF2 hashes are upgraded
# to it the next time their owner signs in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# Lockout after repeated failures (django-axes). The lockout backend comes first; it refuses a
# username+address pair that is locked out and leaves the checking of passwords to ModelBackend.
AUTHENTICATION_BACKENDS = [
    "accounts.security.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
# Lock the pair (username, client address): a stranger cannot lock a colleague out from elsewhere,
# and one address guessing many usernames is held back by the API throttles and the proxy.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# No start-up banner: commands such as ``import_candidates --json`` must print only their report.
AXES_VERBOSE = False
AXES_RESET_ON_SUCCESS = True
# Attempts while locked out neither count nor extend the lockout: it ends AXES_COOLOFF_TIME after
# it began, which is what the message tells the user.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"
AXES_COOLOFF_MESSAGE = _("Tài khoản tạm khoá do đăng nhập sai nhiều lần. Hãy thử lại sau.")
# Successful logins are written to the project's own audit log (accounts.signals), so axes keeps
# only the failure counters it needs for lockouts.
AXES_DISABLE_ACCESS_LOG = True
# Number of reverse proxies in front of the app that append to X-Forwarded-For. 0 (the default)
# trusts no forwarded header: the client address is REMOTE_ADDR, for lockouts and API throttling.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Sessions and CSRF. The session cookie lives SESSION_COOKIE_AGE seconds (a working day by default).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Language and time -----------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

# --- Static files ----------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Gzip/Brotli copies made by collectstatic (which `make run` calls); no manifest, so a page never
    # fails for a file collectstatic has not seen yet (the test suite does not collect).
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Without collected files (tests, `make dev`), serve straight from the app folders.
WHITENOISE_USE_FINDERS = DEBUG or not (STATIC_ROOT / "css").exists()

# Files the app writes (exports, uploaded evidence). Not served publicly: downloads go through
# views that check who is asking.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# --- Personal data ---------------------------------------------------------------------------------
# Keys for the citizen ID: a keyed hash (duplicate detection) and Fernet encryption keys. In
# development they derive from SECRET_KEY; in production they must be set on their own, so that
# rotating SECRET_KEY can never make stored IDs unreadable or break duplicate detection.
# PII_ENCRYPTION_KEY is a comma-separated list of Fernet keys, newest first: the first encrypts,
# all of them decrypt. To rotate, see README "Rotating the personal-data keys"
# (`manage.py rotate_pii_keys`).
PII_HASH_KEY = os.environ.get("PII_HASH_KEY", "")
PII_ENCRYPTION_KEY = ",".join(k.strip() for k in os.environ.get("PII_ENCRYPTION_KEY", "").split(",") if k.strip())
if not DEBUG and not (PII_HASH_KEY and PII_ENCRYPTION_KEY):
    raise ImproperlyConfigured(
        "DEBUG is off: set PII_HASH_KEY and PII_ENCRYPTION_KEY (a Fernet key) for citizen IDs."
    )
if PII_ENCRYPTION_KEY:
    from cryptography.fernet import Fernet as _Fernet

    for _position, _key in enumerate(PII_ENCRYPTION_KEY.split(","), start=1):
        try:
            _Fernet(_key.encode())
        except ValueError:  # the key itself is never echoed
            raise ImproperlyConfigured(
                f"PII_ENCRYPTION_KEY: key #{_position} is not a Fernet key (32 url-safe base64-encoded bytes; "
                "`manage.py rotate_pii_keys --generate-key` prints one)."
            ) from None
    del _Fernet, _position, _key
PII_HASH_KEY = PII_HASH_KEY or f"pii-hash:{SECRET_KEY}"

# --- REST API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["api.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.IdCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "DATETIME_FORMAT": "iso-8601",
    # Per client address for anonymous callers, per user otherwise; the token endpoint has its own,
    # stricter throttle. Rates are "<n>/<sec|min|hour|day>".
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "60/min"),
        "user": os.environ.get("API_THROTTLE_USER", "1200/min"),
        "token": os.environ.get("API_THROTTLE_TOKEN", "30/min"),
    },
    # Only X-Forwarded-For entries added by our own proxies identify a client (see TRUSTED_PROXY_COUNT).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Young Talent Pipeline API",
    "DESCRIPTION": "Candidates, organizations, education, achievements, languages, pipeline and pools.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "talent.models.Stage",
        "ImportKindEnum": "imports.models.ImportBatch.Kind",
        "MembershipStatusEnum": "clubs.models.Membership.Status",
        "MembershipRoleEnum": "clubs.models.Membership.Role",
        "RegistrationStatusEnum": "clubs.models.Registration.Status",
        "EventStatusEnum": "clubs.models.Event.Status",
        "EventKindEnum": "clubs.models.Event.Kind",
        "CheckInMethodEnum": "clubs.models.Registration.Method",
        "EducationLevelEnum": "talent.models.EducationRecord.Level",
        "ShortlistStageEnum": "openings.models.ShortlistStage",
        "OpeningKindEnum": "openings.models.Opening.Kind",
        "PositionLevelEnum": "succession.models.Level",
        "RemovalReasonEnum": "succession.models.PlanMember.RemovalReason",
        "NineBoxLevelEnum": "succession.models.Box",
        "EvaluationCycleKindEnum": "evaluation.models.EvaluationCycle.Kind",
        "EvaluationCycleStatusEnum": "evaluation.models.EvaluationCycle.Status",
        "RaterAsEnum": "evaluation.models.RaterAssignment.As",
        "TrainingKindEnum": "talent.models.Training.Kind",
    },
}

# --- Security headers -------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp 4): nothing inline, nothing from elsewhere. htmx is told not
# to inject its indicator <style> (meta htmx-config in base.html; the rules are in app.css), and no
# template may use inline scripts, style="" or on*="" handlers. accounts.security.CSPMiddleware adds
# ws:// and wss:// of the requested host to connect-src, which 'self' does not cover in every browser.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Security in production -----------------------------------------------------------------------
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    # HTTPS=1 says the site is reached only over HTTPS (TLS here or at the proxy): browsers are then
    # told to use nothing else for SECURE_HSTS_SECONDS (a year unless set; 0 turns HSTS off).
    # Off by default, because HSTS sent by mistake from a plain-HTTP intranet host locks users out.
    HTTPS = env_bool("HTTPS", False)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
    # Behind a proxy that terminates TLS, USE_X_FORWARDED_PROTO=1 makes request.is_secure() trust
    # its X-Forwarded-Proto header. Set it only when the proxy always sets (overwrites) that header.
    if env_bool("USE_X_FORWARDED_PROTO", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
