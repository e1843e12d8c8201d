"""Production settings refuse unsafe values and pass `check --deploy`."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAFE_ENV = {
    "DJANGO_SETTINGS_MODULE": "oswiata_site.settings.production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
    "DJANGO_ALLOWED_HOSTS": "oswiata.example.pl",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/oswiata_unused",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def run_manage(*args, **env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env.update(SAFE_ENV)
    for key, value in env_overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_deploy_check_reports_nothing():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "short"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_ALLOWED_HOSTS": "*"}, "wildcard"),
        ({"DJANGO_ALLOWED_HOSTS": "oswiata.example.pl,*"}, "wildcard"),
        ({"DJANGO_ALLOWED_HOSTS": None}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_DEBUG": "1"}, "DJANGO_DEBUG"),
        ({"DATABASE_URL": None}, "DATABASE_URL"),
        ({"REDIS_URL": None}, "REDIS_URL"),
    ],
    ids=["no-secret", "short-secret", "star-host", "star-among-hosts", "no-hosts", "debug", "no-db", "no-redis"],
)
def test_production_settings_refuse_unsafe_value(overrides, message):
    result = run_manage("check", **overrides)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_settings_secure_cookies_and_headers():
    result = run_manage(
        "shell",
        "--verbosity=0",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_CONTENT_TYPE_NOSNIFF, s.SECURE_REFERRER_POLICY, "
        "s.DEBUG, 'whitenoise' in s.STORAGES['staticfiles']['BACKEND'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "True", "same-origin", "False", "True"]


def test_production_settings_language_cookie_is_secure_http_only_and_same_site():
    result = run_manage(
        "shell",
        "--verbosity=0",
        "-c",
        "from django.conf import settings as s; print(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_HTTPONLY, "
        "s.LANGUAGE_COOKIE_SAMESITE)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "Lax"]


CLIENT_SETTINGS = (
    "from django.conf import settings as s; print(s.AXES_CLIENT_IP_CALLABLE, s.TRUSTED_PROXY_COUNT, "
    "s.SECURE_PROXY_SSL_HEADER, s.USE_X_FORWARDED_HOST, s.USE_X_FORWARDED_PORT)"
)


def test_production_settings_trust_one_proxy_through_our_client_address_resolver():
    result = run_manage("shell", "--verbosity=0", "-c", CLIENT_SETTINGS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "exchange_groups.accounts.client_ip.client_ip_address",
        "1",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "False",
        "False",
    ]


@pytest.mark.parametrize(
    ("overrides", "count"),
    [({"TRUSTED_PROXY_COUNT": "2"}, "2"), ({"AXES_PROXY_COUNT": "2"}, "2"), ({"TRUSTED_PROXY_COUNT": "0"}, "0")],
    ids=["two-proxies", "older-variable-name", "no-proxy"],
)
def test_production_settings_proxy_count_from_the_environment(overrides, count):
    result = run_manage("shell", "--verbosity=0", "-c", CLIENT_SETTINGS, **overrides)
    assert result.returncode == 0, result.stderr
    words = result.stdout.split()
    assert words[1] == count
    # With no proxy in front, no header a client sends is taken to say the connection was HTTPS.
    assert (words[2] == "None") == (count == "0")


@pytest.mark.parametrize("value", ["-1", "one", "1.5"])
def test_production_settings_refuse_a_proxy_count_that_is_not_a_number(value):
    result = run_manage("check", TRUSTED_PROXY_COUNT=value)
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in result.stderr


def test_development_settings_trust_no_forwarded_header():
    result = run_manage(
        "shell", "--verbosity=0", "-c", CLIENT_SETTINGS, DJANGO_SETTINGS_MODULE="oswiata_site.settings.dev"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "exchange_groups.accounts.client_ip.client_ip_address",
        "0",
        "None",
        "False",
        "False",
    ]


def makefile_daphne_lines() -> list[str]:
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if "daphne" in line and not line.lstrip().startswith("#")]


def test_makefile_daphne_does_not_take_the_client_address_from_headers():
    # `make run` and `make serve` have no proxy in front: daphne's --proxy-headers would take the client
    # address (and the scheme) from headers any client can send.
    lines = makefile_daphne_lines()
    assert len(lines) >= 2, lines
    assert not [line for line in lines if "--proxy-headers" in line or "--proxy-" in line]


def test_production_refuses_to_load_the_demo_data():
    """The demo creates a superuser with a published password (ASVS 15.2.3): production refuses, changing nothing."""
    result = run_manage("load_demo_data")
    assert result.returncode != 0
    assert "DEMO_DATA_ALLOWED" in result.stderr
