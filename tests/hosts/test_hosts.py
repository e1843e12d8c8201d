"""Host sites with a reduced set of apps (DESIGN.md: "Host sites in the tests prove it").

Each host has its own settings module, URLconf and base template under tests/hosts/<host>/, and its own tests
beside them. They run in a subprocess, so that INSTALLED_APPS really is the reduced set: the site's apps are not
even loaded. `make test` and `make test-fast` run them (marker `hosts`, about half a minute each).
- learning_host: oswiata_kit + exchange_groups + learning; enrol, pass a quiz, get and verify a certificate.
- forums_host: oswiata_kit + exchange_groups + forums + channels; a reply over HTTP arrives live over a socket.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOSTS = {"learning_host": 7, "forums_host": 5}

pytestmark = pytest.mark.hosts


def run_host_tests(host: str) -> subprocess.CompletedProcess:
    drop = ("DJANGO_", "DATABASE_", "REDIS_URL", "PYTEST_", "REQUIRE_SERVICES")
    env = {key: value for key, value in os.environ.items() if not key.startswith(drop)}
    env["DJANGO_SETTINGS_MODULE"] = f"tests.hosts.{host}.settings"
    command = [
        sys.executable,
        "-m",
        "pytest",
        f"tests/hosts/{host}",
        f"--ds=tests.hosts.{host}.settings",
        "-q",
        "-p",
        "no:randomly",
        "-p",
        "no:cacheprovider",
    ]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("host", sorted(HOSTS))
def test_host_site_with_a_reduced_set_of_apps_passes_its_own_tests(host):
    result = run_host_tests(host)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert f"{HOSTS[host]} passed" in output, output
    assert "skipped" not in output, output
