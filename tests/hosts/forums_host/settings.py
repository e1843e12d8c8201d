"""A host site with only oswiata_kit + exchange_groups + forums (+ channels): the proof that forums is a plugin.

No oswiata_site, learning, debates, notifications or django-axes. The apps' URLs are included under prefixes of
this host's choosing (/dyskusje/, /ludzie/), the WebSocket routes by this host's own ASGI application (asgi.py),
and the apps' pages extend this host's base template. tests/hosts/test_hosts.py runs the tests next to this file
in a subprocess with DJANGO_SETTINGS_MODULE=tests.hosts.forums_host.settings.
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent

SECRET_KEY = "host-test-only-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

INSTALLED_APPS = [
    "forums",
    "exchange_groups",
    "oswiata_kit",
    "channels",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.users",
    "wagtail.sites",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "tests.hosts.forums_host.urls"
ASGI_APPLICATION = "tests.hosts.forums_host.asgi.application"
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oswiata_kit.context_processors.base_template",
            ],
        },
    },
]
OSWIATA_BASE_TEMPLATE = "dyskusje_base.html"

# The tests get an in-memory SQLite database (shared by the threads Channels runs database calls in), built by
# running every migration of the apps above.
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "exchange_groups.User"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "exchange_groups:login"

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", "Polski"), ("en", "English")]
LOCALE_PATHS = [HERE.parents[2] / "locale"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
MEDIA_URL = "/media/"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

WAGTAIL_SITE_NAME = "Dyskusje powiatu"
WAGTAILADMIN_BASE_URL = "http://testserver"

# forums' own settings, set by the host: a shorter edit window, and the sockets under a path of its own.
FORUMS_EDIT_WINDOW_MINUTES = 15
FORUMS_SOCKET_PATH = "na-zywo/dyskusje/"
EXCHANGE_GROUPS_ACCOUNT_SOCKET_PATH = "na-zywo/konto/"
