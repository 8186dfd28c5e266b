"""Gongkai settings: one module, driven by GONGKAI_* environment variables.

The defaults serve `make run` on a developer's machine: SQLite (WAL mode) under var/, debug on,
Simplified Chinese, Asia/Shanghai. Production sets at least

    GONGKAI_DEBUG=0  GONGKAI_SECRET_KEY=<50+ random characters>  GONGKAI_ALLOWED_HOSTS=<host,...>
    GONGKAI_DATABASE_URL=postgres://user:password@host:5432/gongkai

and then refuses to start without a real secret key. Every variable is listed in docs/deploy.md.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


VAR_DIR = Path(os.environ.get("GONGKAI_VAR_DIR", BASE_DIR / "var"))
# The SQLite database and huey's queue live here; a fresh clone has no var/ yet.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DEBUG = env_bool("GONGKAI_DEBUG", True)
# Production is decided once, from the environment (Django's test runner forces DEBUG off, so code
# that must behave differently in production asks this flag, not DEBUG).
GONGKAI_PRODUCTION = not DEBUG

# A development key is only ever used with DEBUG on; production must bring its own.
_DEV_SECRET_KEY = "gongkai-development-only-key-never-use-in-production-0123456789abcdef"
SECRET_KEY = os.environ.get("GONGKAI_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "生产环境必须设置 GONGKAI_SECRET_KEY（至少 50 个随机字符）。"
            " Production requires GONGKAI_SECRET_KEY."
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("GONGKAI_SECRET_KEY 太短或为开发用密钥，生产环境不可使用。")

ALLOWED_HOSTS = env_list("GONGKAI_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("GONGKAI_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "huey.contrib.djhuey",
    # django-ninja's own static Swagger UI (served from our origin, as the CSP requires).
    "ninja",
    "gongkai.core",
    "gongkai.audit",
    "gongkai.agencies",
    "gongkai.publishing",
    "gongkai.applications",
    "gongkai.remedies",
    "gongkai.reports",
    "gongkai.supervision",
    "gongkai.demo",
    "gongkai.portal",
    "gongkai.workbench",
    "gongkai.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "gongkai.core.middleware.InvalidCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongkai.core.middleware.SecurityHeadersMiddleware",
    "gongkai.core.middleware.DatabaseUnavailableMiddleware",
    # django-axes must come last: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gongkai" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.core.context_processors.site",
            ],
        },
    }
]

# --- Database ----------------------------------------------------------------------------------
_default_sqlite = f"sqlite:///{VAR_DIR / 'gongkai.sqlite3'}"
# Persistent connections on both databases (each app-server thread keeps its own, checked before
# reuse): on SQLite, opening one costs more than a simple page's queries (the PRAGMAs below).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("GONGKAI_DATABASE_URL", _default_sqlite),
        conn_max_age=int(os.environ.get("GONGKAI_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer writes; IMMEDIATE takes the write lock at BEGIN so
    # that two concurrent read-then-write transactions cannot deadlock on lock upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=5000;"
            "PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

# --- Auth ----------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "workbench:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "portal:home"

# The proxies (nginx) whose X-Forwarded-For names the visitor: the same variable gunicorn reads.
GONGKAI_TRUSTED_PROXIES = frozenset(
    address.strip()
    for address in os.environ.get("GONGKAI_FORWARDED_ALLOW_IPS", "127.0.0.1,::1").split(",")
    if address.strip()
)
# Lockouts count per visitor address, read as the rate limits read it (behind nginx too).
AXES_CLIENT_IP_CALLABLE = "gongkai.core.ratelimit.login_client_address"
AXES_FAILURE_LIMIT = int(os.environ.get("GONGKAI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("GONGKAI_LOGIN_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "workbench/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# TOTP second factor: required for administrators whenever DEBUG is off, unless explicitly disabled.
GONGKAI_REQUIRE_ADMIN_2FA = env_bool("GONGKAI_REQUIRE_ADMIN_2FA", not DEBUG)
OTP_TOTP_ISSUER = "Gongkai 政府信息公开"

SESSION_COOKIE_AGE = int(os.environ.get("GONGKAI_SESSION_SECONDS", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "gongkai" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("GONGKAI_STATIC_ROOT", VAR_DIR / "static"))
_NODE = BASE_DIR / "node_modules"
STATICFILES_DIRS: list[str | Path | tuple[str, Path]] = [BASE_DIR / "gongkai" / "static"]
# The npm files the pages use (gongkai.core.staticfinders.VendorFinder), with their source maps.
GONGKAI_VENDOR_FILES = {
    "vendor/bootstrap/css/bootstrap.min.css": _NODE / "bootstrap/dist/css/bootstrap.min.css",
    "vendor/bootstrap/js/bootstrap.bundle.min.js": _NODE
    / "bootstrap/dist/js/bootstrap.bundle.min.js",
    "vendor/echarts/echarts.min.js": _NODE / "echarts/dist/echarts.min.js",
    "vendor/htmx/htmx.min.js": _NODE / "htmx.org/dist/htmx.min.js",
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "gongkai.core.staticfinders.VendorFinder",
]
MEDIA_ROOT = Path(os.environ.get("GONGKAI_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Security -----------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("GONGKAI_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("GONGKAI_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Cache and background jobs -------------------------------------------------------------------
# With several app servers, the cache (login throttling, the portal's per-IP limits) must be shared:
# set GONGKAI_REDIS_URL. Without it, each process keeps its own in-memory cache (one process only).
REDIS_URL = os.environ.get("GONGKAI_REDIS_URL", "")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "gongkai",
        "url": REDIS_URL,
        "immediate": env_bool("GONGKAI_HUEY_IMMEDIATE", False),
    }
else:
    # Django's default of 300 entries is far below the portal's working set (search result pages,
    # the filters' id lists, pages beyond the stored ones): at most ~3,000 pages per process.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 3000},
        }
    }
    # `make run` starts no worker: with debug on, jobs (report renders) run inline by default.
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "gongkai",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": env_bool("GONGKAI_HUEY_IMMEDIATE", DEBUG),
    }

# --- Logging: never personal data; errors to stderr ------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GONGKAI_LOG_LEVEL", "WARNING")},
}

# Mail (the applications and supervision digests): printed to the console in development; a
# deployment sets GONGKAI_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST.
EMAIL_BACKEND = os.environ.get(
    "GONGKAI_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("GONGKAI_EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.environ.get("GONGKAI_FROM_EMAIL", "noreply@gongkai.localhost")

# --- Gongkai ------------------------------------------------------------------------------------
GONGKAI_SITE_NAME = os.environ.get("GONGKAI_SITE_NAME", "威海市文登区政府信息公开平台")
GONGKAI_SITE_DOMAIN = os.environ.get("GONGKAI_SITE_DOMAIN", "127.0.0.1:8000")
GONGKAI_SITE_ID_CODE = os.environ.get("GONGKAI_SITE_ID_CODE", "")
GONGKAI_ICP = os.environ.get("GONGKAI_ICP", "")
GONGKAI_PSB = os.environ.get("GONGKAI_PSB", "")
GONGKAI_DEMO_PASSWORD = "gongkai-demo-2024"
# Per client address per hour: online applications and tracking look-ups (spam and guessing
# defences that need no third-party service; shared between app servers through the cache).
GONGKAI_APPLY_PER_HOUR = int(os.environ.get("GONGKAI_APPLY_PER_HOUR", "5"))
GONGKAI_TRACK_PER_HOUR = int(os.environ.get("GONGKAI_TRACK_PER_HOUR", "30"))
# The audit chain's head is appended here (one JSON line per anchor, hourly and on `gongkai audit
# anchor`), outside the database; ship the file off the machine (docs/security.md).
GONGKAI_AUDIT_ANCHOR_FILE = Path(
    os.environ.get("GONGKAI_AUDIT_ANCHOR_FILE", VAR_DIR / "audit-anchors.log")
)
