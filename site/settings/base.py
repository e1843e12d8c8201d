"""Settings shared by every environment.

Environment variables (all optional here; production.py makes some of them mandatory):
DATABASE_URL, REDIS_URL, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DJANGO_CSRF_TRUSTED_ORIGINS,
SITE_BASE_URL, EMAIL_URL-style mail settings (see production.py), OSWIATA_VAR_DIR.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent  # site/
BASE_DIR = PROJECT_DIR.parent  # repository root
VAR_DIR = Path(os.environ.get("OSWIATA_VAR_DIR", BASE_DIR / "var"))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The project's own apps first, so their templates override Wagtail's and Django's.
    "oswiata_site",
    "notifications",
    "debates",
    "learning",
    "forums",
    "oswiata_kit",
    "exchange_groups",
    "daphne",
    "channels",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
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
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before SessionMiddleware: a password change's socket re-check goes out once the session is saved.
    "exchange_groups.accounts.socket_sessions.SessionSocketsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "oswiata_site.middleware.PolishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "oswiata_site.middleware.SecurityHeadersMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "oswiata_site.urls"
WSGI_APPLICATION = "oswiata_site.wsgi.application"
ASGI_APPLICATION = "oswiata_site.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "oswiata_kit.context_processors.base_template",
                "oswiata_site.context_processors.site_chrome",
            ],
        },
    },
]

if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'oswiata.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and os.environ.get(
    "DATABASE_POOL", "0"
).strip() in {"1", "true", "yes"}:
    # A psycopg connection pool per process: under ASGI, Channels' database_sync_to_async closes the
    # connection after each call, so without a pool every socket message or broadcast check would open a
    # new PostgreSQL connection (measured: most of a daphne worker's time). Django keeps persistent
    # connections (CONN_MAX_AGE) for WSGI only; the pool is its answer for ASGI.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": int(os.environ.get("DATABASE_POOL_MAX_SIZE", "10")),
        "timeout": 10,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the one daphne process read while a write is in flight; a busy timeout instead of
    # "database is locked" errors under concurrent requests.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")

if REDIS_URL:
    # RedisPubSubChannelLayer: DESIGN.md measured RedisChannelLayer failing at 200 subscribers on two
    # workers here, while the pub/sub layer held 500. The forums benchmark re-measures both.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": os.environ.get("CHANNEL_LAYER_BACKEND", "channels_redis.pubsub.RedisPubSubChannelLayer"),
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "oswiata",
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "exchange_groups.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend that lets in (and keeps the sessions of) confirmed, active accounts only, on every
    # login page including the Wagtail admin's.
    "exchange_groups.accounts.backends.ConfirmedAccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    # Django's validators, with help texts in the formal address (exchange_groups.accounts.password_validation).
    {"NAME": "exchange_groups.accounts.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "exchange_groups.accounts.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "exchange_groups.accounts.password_validation.CommonPasswordValidator"},
    {"NAME": "exchange_groups.accounts.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "exchange_groups:login"
# One login and one password reset for everybody: the Wagtail admin sends people to ours (throttle, confirmed
# accounts, reset mail through the background jobs) instead of keeping a second set of its own.
WAGTAILADMIN_LOGIN_URL = LOGIN_URL
WAGTAIL_PASSWORD_RESET_ENABLED = False
# `manage.py load_demo_data` creates accounts with a published password; production.py turns it off.
DEMO_DATA_ALLOWED = True
LOGIN_REDIRECT_URL = "exchange_groups:profile"
LOGOUT_REDIRECT_URL = "/"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day
ACCOUNT_CONFIRMATION_MAX_AGE = 60 * 60 * 24 * 3  # three days to confirm an e-mail address

# django-axes: lock the pair (account, address), never the account alone, so an attacker cannot
# lock a real official out of their account from somewhere else.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "exchange_groups/account/lockout.html"
# The login form passes the address as `email`, the Wagtail admin as `username`: one callable reads
# both, lower-cased, so every failure counts against the right account.
AXES_USERNAME_CALLABLE = "exchange_groups.accounts.services.axes_username"
# The client's address comes from our own resolver, not ipware's guessing: with TRUSTED_PROXY_COUNT = 0
# (no proxy in front, `make run`) only the socket's address counts, so a forged X-Forwarded-For header
# cannot step around the throttle; behind N proxies it is the N-th X-Forwarded-For entry from the right
# (production.py trusts the one nginx in front). See exchange_groups/accounts/client_ip.py.
AXES_CLIENT_IP_CALLABLE = "exchange_groups.accounts.client_ip.client_ip_address"
TRUSTED_PROXY_COUNT = 0
AXES_VERBOSE = False

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", "Polski"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_CONTENT_LANGUAGES = [("pl", "Polski")]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_PERMISSIONS = 0o640

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Oświata JST <no-reply@oswiata-jst.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background jobs (mail, digests, a debate's opening and closing) are rows in the database, run by
# `manage.py db_worker` (make run starts one beside daphne; production runs it as a service).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Live forums: flood control per person (every socket and worker together) and per socket.
FORUMS_POSTS_PER_MINUTE = int(os.environ.get("FORUMS_POSTS_PER_MINUTE", "10"))
FORUMS_SOCKET_MESSAGES_PER_MINUTE = int(os.environ.get("FORUMS_SOCKET_MESSAGES_PER_MINUTE", "120"))

WAGTAIL_SITE_NAME = "Oświata JST"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_BASE_URL", "http://127.0.0.1:8000")
SITE_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "ods", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILADMIN_USER_LOGIN_FORM = "wagtail.admin.forms.auth.LoginForm"
WAGTAILUSERS_PASSWORD_REQUIRED = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The language switch's cookie is read only by the server (the middleware and the forum socket), never
# by JavaScript. production.py also makes it Secure.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "oswiata_site.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Project settings (each app reads its own with a default; these are the site's choices).
OSWIATA_FUNDING_NOTE = _(
    "The project “Education management in local government” is co-financed by the European Union "
    "from the European Social Fund under the Operational Programme Knowledge Education Development."
)
# The template every app page extends (oswiata_kit.context_processors.base_template): a host site names its own.
OSWIATA_BASE_TEMPLATE = "base.html"
PRIVACY_NOTICE_VERSION = "2026-11-01"
TERMS_VERSION = "2026-11-01"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"axes": {"level": "WARNING"}, "daphne": {"level": "WARNING"}},
}
