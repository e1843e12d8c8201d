"""Settings for the test suite.

Without DATABASE_URL / REDIS_URL: SQLite and the in-memory channel layer. With them: PostgreSQL and
Redis. REQUIRE_SERVICES=1 (set by .ci/run) turns a missing service into a failure (tests/conftest.py).
"""

import os
import sys

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1", "[::1]"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A daphne started by a browser test serves the files of that test: it is given the test's MEDIA_ROOT.
MEDIA_ROOT = os.environ.get("OSWIATA_TEST_MEDIA_ROOT") or VAR_DIR / "test-media" / str(os.getpid())
WAGTAILADMIN_BASE_URL = SITE_BASE_URL = "http://testserver"
# Tasks run at once in tests; "database" is the real backend, for the tests of scheduling and retries.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # Tests clear the cache before each test: keep them off the database number other software may use.
    from urllib.parse import urlparse

    CACHES["default"]["LOCATION"] = os.environ.get(
        "TEST_REDIS_CACHE_URL", urlparse(REDIS_URL)._replace(path="/15").geturl()
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "root": {"handlers": ["null"], "level": "CRITICAL"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# SQLite test database in a file (not in memory), so that a daphne process started by the browser tests
# serves the same data. One file per test run, so two runs at once never share it; with --reuse-db
# (make test-fast) a stable name, so pytest-django keeps the migrated database between runs.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _reuse = "--reuse-db" in sys.argv or "--reuse-db" in os.environ.get("PYTEST_ADDOPTS", "")
    _name = "test-reused.sqlite3" if _reuse else f"test-{os.getpid()}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / _name)}

# A server process started by the browser tests writes its mail where the test can read it.
if os.environ.get("OSWIATA_EMAIL_FILE_PATH"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["OSWIATA_EMAIL_FILE_PATH"]
if os.environ.get("OSWIATA_SITE_BASE_URL"):
    WAGTAILADMIN_BASE_URL = SITE_BASE_URL = os.environ["OSWIATA_SITE_BASE_URL"]
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, "127.0.0.1"]

# The benchmark's workers (tests/perf) queue tasks in the database as production does, instead of running them.
if os.environ.get("TEST_TASKS_QUEUED"):
    TASKS["default"] = TASKS["database"]
