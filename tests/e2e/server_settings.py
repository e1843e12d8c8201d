"""Settings of the daphne process the browser tests share: the test settings, with a cache the tests can empty.

One server now lives through every browser test, so what it caches (Wagtail's site root paths, rate limits)
must not outlive a test. With Redis the server uses the tests' cache database and key prefix, whose keys each test
empties (tests/conftest.py:clear_cache), and their channel-layer prefix; without Redis it caches in files under
OSWIATA_TEST_CACHE_DIR, a folder each test empties (tests/e2e/conftest.py:LiveServer.reset).
"""

import os

from oswiata_site.settings.test import *  # noqa: F403
from oswiata_site.settings.test import CACHES, CHANNEL_LAYERS, REDIS_URL

if not REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ["OSWIATA_TEST_CACHE_DIR"],
        }
    }

if REDIS_URL and os.environ.get("OSWIATA_TEST_CACHE_KEY_PREFIX"):
    CACHES["default"]["KEY_PREFIX"] = os.environ["OSWIATA_TEST_CACHE_KEY_PREFIX"]
if os.environ.get("OSWIATA_TEST_CHANNEL_PREFIX") and "CONFIG" in CHANNEL_LAYERS["default"]:
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = os.environ["OSWIATA_TEST_CHANNEL_PREFIX"]
