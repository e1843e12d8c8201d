"""Production: PostgreSQL + Redis, gunicorn for pages, several daphne processes for /ws/.

Refuses to start with unsafe values: no secret key, `*` in allowed hosts, or DEBUG switched on.
Mail comes from EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS / EMAIL_USE_SSL.
"""

import os

from django.core.exceptions import ImproperlyConfigured

# A PostgreSQL connection pool per process unless DATABASE_POOL=0 (see base.py: daphne needs it).
os.environ.setdefault("DATABASE_POOL", "1")

from .base import *  # noqa: E402, F403
from .base import env_bool, env_list  # noqa: E402

DEBUG = False
if env_bool("DJANGO_DEBUG"):
    raise ImproperlyConfigured("DJANGO_DEBUG must not be switched on in production.")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to a random value of at least 50 characters.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the site's host names.")
if any(host.strip() in {"*", ".*"} or host.strip().startswith("*") for host in ALLOWED_HOSTS):
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must not contain a wildcard '*' in production.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS") or [f"https://{h}" for h in ALLOWED_HOSTS]

if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL must point at the PostgreSQL database in production.")
if not REDIS_URL:
    raise ImproperlyConfigured("REDIS_URL must be set in production (channel layer between daphne workers).")

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def _proxy_count() -> int:
    """TRUSTED_PROXY_COUNT (AXES_PROXY_COUNT, its older name, still works): proxies in front, default 1."""
    name = "TRUSTED_PROXY_COUNT" if "TRUSTED_PROXY_COUNT" in os.environ else "AXES_PROXY_COUNT"
    value = os.environ.get(name, "1").strip()
    if not (value.isascii() and value.isdigit()):
        raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be a whole number of proxies (0 or more), not {value!r}.")
    return int(value)


# Proxies in front of the application, each appending to X-Forwarded-For (nginx:
# `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`). The login throttle counts the client
# address our outermost proxy appended: the N-th entry from the right (exchange_groups.accounts.client_ip).
TRUSTED_PROXY_COUNT = _proxy_count()
# The proxy terminates TLS and overwrites X-Forwarded-Proto (`proxy_set_header X-Forwarded-Proto https;`).
# Without a proxy the header would come from the client, so it is then not read at all.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT else None
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)

# The demo's accounts have a password printed in the README: never on a production site.
DEMO_DATA_ALLOWED = False

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = 20

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
