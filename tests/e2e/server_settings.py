"""Settings of the daphne process the browser tests share: the test settings, with a cache the tests can empty.

One server now lives through every browser test, so what it caches (Wagtail's site root paths, rate limits)
must not outlive a test. With Redis the server already uses the tests' cache database, which each test empties
(tests/conftest.py:_fresh_cache); without Redis it caches in files under OSWIATA_TEST_CACHE_DIR, a folder each
test empties (tests/e2e/conftest.py:LiveServer.reset).
"""

import os

from oswiata_site.settings.test import *  # noqa: F403
from oswiata_site.settings.test import REDIS_URL

if not REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ["OSWIATA_TEST_CACHE_DIR"],
        }
    }
