"""The host sites' own tests run only under their own settings (tests/hosts/test_hosts.py starts them in a
subprocess); the suite's run, under the site's settings, leaves their folders out."""

import os

HOSTS = ("learning_host", "forums_host")

collect_ignore = [name for name in HOSTS if os.environ.get("DJANGO_SETTINGS_MODULE") != f"tests.hosts.{name}.settings"]


def pytest_configure(config):
    config.addinivalue_line("markers", "hosts: runs a host site with a reduced set of apps in a subprocess")
