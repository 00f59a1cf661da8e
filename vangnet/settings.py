# SPDX-License-Identifier: EUPL-1.2
"""One settings module, driven by the environment.

Every value comes from an environment variable with a typed helper. Demo defaults exist so that
`make run` works on a fresh checkout; with ``VANGNET_ENV=production`` the demo defaults are
refused and the process stops with a message that names the variable to set.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VANGNET_VAR_DIR", BASE_DIR / "var"))

# Demo values: usable for `make run` and tests, refused in production.
DEMO_SECRET_KEY = "demo-insecure-secret-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105
DEMO_KEYRING = "demo1:" + base64.b64encode(b"D" * 32).decode()
DEMO_PEPPER = "64656d6f2d7065707065722d6e6f742d666f722d70726f64756374696f6e2121"
DEMO_LINKAGE_KEY = "64656d6f2d6c696e6b6167652d6b65792d6e6f742d666f722d70726f64212121"


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"Set the environment variable {name}.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_hex_key(name: str, default: str, *, min_bytes: int = 32) -> bytes:
    raw = env_str(name, default)
    try:
        key = bytes.fromhex(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be hexadecimal.") from None
    if len(key) < min_bytes:
        raise ImproperlyConfigured(f"{name} must hold at least {min_bytes} bytes.")
    return key


VANGNET_ENV = env_str("VANGNET_ENV", "demo")
if VANGNET_ENV not in {"demo", "test", "production"}:
    raise ImproperlyConfigured(
        f"VANGNET_ENV must be demo, test or production, not {VANGNET_ENV!r}."
    )
PRODUCTION = VANGNET_ENV == "production"

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY", DEMO_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

# Encryption at rest: "kid:base64key,kid:base64key"; the first key encrypts, all keys decrypt.
VANGNET_KEYRING = env_str("VANGNET_KEYRING", DEMO_KEYRING)
# Pepper for return-code hashes and the key for keyed rate-limit hashes.
VANGNET_PEPPER = env_hex_key("VANGNET_PEPPER", DEMO_PEPPER)
# Key for the radar's keyed Bloom-filter encodings (shared by all organisations, nothing else).
VANGNET_LINKAGE_KEY = env_hex_key("VANGNET_LINKAGE_KEY", DEMO_LINKAGE_KEY)

if PRODUCTION:
    problems = []
    if SECRET_KEY == DEMO_SECRET_KEY or len(SECRET_KEY) < 50:
        problems.append("SECRET_KEY (at least 50 random characters, not the demo value)")
    if VANGNET_KEYRING == DEMO_KEYRING:
        problems.append("VANGNET_KEYRING (your own keys, see README)")
    if VANGNET_PEPPER == bytes.fromhex(DEMO_PEPPER):
        problems.append("VANGNET_PEPPER")
    if VANGNET_LINKAGE_KEY == bytes.fromhex(DEMO_LINKAGE_KEY):
        problems.append("VANGNET_LINKAGE_KEY")
    if DEBUG:
        problems.append("DEBUG (must be false)")
    if "DATABASE_URL" not in os.environ:
        problems.append("DATABASE_URL (production runs on PostgreSQL)")
    if problems:
        raise ImproperlyConfigured(
            "Production refuses demo settings. Set: " + "; ".join(problems) + "."
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "channels",
    "rest_framework",
    "drf_spectacular",
    "vangnet.lib",
    "vangnet.accounts",
    "vangnet.audit",
    "vangnet.public",
    "vangnet.intake",
    "vangnet.chat",
    "vangnet.triage",
    "vangnet.cases",
    "vangnet.radar",
    "vangnet.referrals",
    "vangnet.stats",
]

MIDDLEWARE = [
    # First: the request loses its IP address and user agent before anything can log them.
    "vangnet.lib.middleware.AnonymiseRequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "vangnet.lib.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "vangnet.accounts.middleware.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "vangnet.audit.middleware.TraceMiddleware",
]

ROOT_URLCONF = "vangnet.urls"
ASGI_APPLICATION = "vangnet.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "vangnet" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vangnet.public.context_processors.public_site",
            ],
        },
    }
]

# Database: SQLite by default (zero set-up), PostgreSQL through DATABASE_URL.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'vangnet.sqlite3'}"), conn_max_age=0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN: concurrent writers queue instead of failing.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        " PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["TEST"] = {"NAME": env_str("VANGNET_TEST_SQLITE", ":memory:")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Under ASGI every request runs on a thread of its own, so persistent connections cannot be
    # reused; without a pool each request would start a new PostgreSQL backend (ADR 0008).
    # A pool per process: closing a connection at the end of a request returns it.
    _pool_size = env_int("VANGNET_DB_POOL_SIZE", 16, minimum=0)
    if _pool_size:
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(2, _pool_size),
            "max_size": _pool_size,
            "timeout": 30,
        }
# Threads per server process for HTTP requests (ADR 0008); below the database pool size.
VANGNET_HTTP_THREADS = env_int("VANGNET_HTTP_THREADS", 12, minimum=1)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

FORM_RENDERER = "vangnet.lib.forms.Renderer"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Staff sessions: sliding idle timeout plus an absolute maximum.
SESSION_IDLE_SECONDS = env_int("VANGNET_SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_MAX_SECONDS = env_int("VANGNET_SESSION_MAX_SECONDS", 10 * 60 * 60, minimum=300)
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# No cookie outlives the browser session: a shared device should keep no trace of a visit.
CSRF_COOKIE_AGE = None
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "vangnet.public.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
# same-origin: nothing leaks to other sites; no-referrer would make browsers send
# "Origin: null" on our own form posts, which the CSRF check (rightly) refuses.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000"
)

# Step-up: sensitive actions need a second factor entered at most this long ago.
STEP_UP_MAX_AGE_SECONDS = env_int("VANGNET_STEP_UP_MAX_AGE_SECONDS", 5 * 60, minimum=30)
# Failed staff logins: this many tries per window, then locked for the window.
LOGIN_MAX_FAILURES = env_int("VANGNET_LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("VANGNET_LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60, minimum=1)
OTP_TOTP_ISSUER = "Vangnet"

# Internationalisation: Dutch first.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "vangnet" / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "vangnet" / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Caches hold throttle counters (keyed hashes only). Redis when there is more than one process.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    # Redis Pub/Sub: a chat line is one PUBLISH and reaches each process once (the list-based
    # layer took about seven Redis round trips per line, and kept a killed process's sockets in
    # the groups). Nothing is buffered for a process that is not listening; the chat protocol
    # repairs a missed event from the database (prev/sync/pong, ADR 0020).
    # Pub/Sub channels are global to the Redis server (not per Redis database), and groups are
    # named after database ids ("chat.conv.5"): the prefix names the database, so two
    # installations, test runs or benchmarks sharing a Redis server do not hear each other.
    _db = DATABASES["default"]
    _db_identity = f"{_db.get('HOST', '')}:{_db.get('PORT', '')}/{_db.get('NAME', '')}"
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": "vg" + hashlib.sha256(_db_identity.encode()).hexdigest()[:12],
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

TASKS = {
    "default": {
        "BACKEND": env_str("VANGNET_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Vangnet API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# Public side.
VANGNET_QUICK_EXIT_URL = env_str("VANGNET_QUICK_EXIT_URL", "https://www.weeronline.nl/")
VANGNET_PUBLIC_RATE_PER_MINUTE = env_int("VANGNET_PUBLIC_RATE_PER_MINUTE", 20, minimum=1)
# Anonymous contacts that never became a report are deleted after this many days (ADR 0007).
VANGNET_ANONYMOUS_RETENTION_DAYS = env_int("VANGNET_ANONYMOUS_RETENTION_DAYS", 90, minimum=1)
# Chat (ADR 0020): grace period after a closed tab, opening hours ("24/7" or e.g.
# "mon-fri 09:00-21:00; sat,sun 12:00-17:00"), line size, per-conversation rate limit.
VANGNET_CHAT_GRACE_SECONDS = env_int("VANGNET_CHAT_GRACE_SECONDS", 300, minimum=10)
VANGNET_CHAT_OPENING_HOURS = env_str("VANGNET_CHAT_OPENING_HOURS", "24/7")
VANGNET_CHAT_MAX_MESSAGE_CHARS = env_int("VANGNET_CHAT_MAX_MESSAGE_CHARS", 2000, minimum=1)
VANGNET_CHAT_RATE_MESSAGES = env_int("VANGNET_CHAT_RATE_MESSAGES", 20, minimum=1)
VANGNET_CHAT_RATE_WINDOW_SECONDS = env_int("VANGNET_CHAT_RATE_WINDOW_SECONDS", 30, minimum=1)
# Published figures: cells below the threshold are suppressed, all counts rounded to the base.
VANGNET_STATS_THRESHOLD = env_int("VANGNET_STATS_THRESHOLD", 10, minimum=0)
VANGNET_STATS_BASE = env_int("VANGNET_STATS_BASE", 5, minimum=1)
VANGNET_DEMO = VANGNET_ENV == "demo"
VANGNET_VERSION = "0.1.0"

# Logging: structured, to stderr. Nothing here may carry an IP address or a user agent; the
# AnonymiseRequestMiddleware removes them from every request before any handler runs.
LOG_LEVEL = env_str("VANGNET_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        "django.security.DisallowedHost": {"level": "ERROR"},
        "uvicorn.access": {"level": "WARNING", "propagate": False, "handlers": []},
    },
}
