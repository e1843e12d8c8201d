"""notifications.conf: one typed default per setting, read when asked (so override_settings works)."""

import datetime

import pytest

from notifications.conf import DEFAULTS, notifications_settings
from notifications.tasks import max_attempts, retry_delay

EXPECTED_DEFAULTS = [
    ("UNSUBSCRIBE_LINK_DAYS", "NOTIFICATIONS_UNSUBSCRIBE_LINK_DAYS", 180),
    ("TASK_BACKEND", "NOTIFICATIONS_TASK_BACKEND", "default"),
    ("MAX_ATTEMPTS", "NOTIFICATIONS_MAX_ATTEMPTS", 5),
    ("RETRY_SECONDS", "NOTIFICATIONS_RETRY_SECONDS", 60),
]


@pytest.mark.parametrize(("attribute", "name", "default"), EXPECTED_DEFAULTS, ids=[e[0] for e in EXPECTED_DEFAULTS])
def test_notifications_settings_default_applies_when_the_host_sets_nothing(settings, attribute, name, default):
    if hasattr(settings, name):
        delattr(settings, name)
    assert getattr(notifications_settings, attribute) == default
    assert name in DEFAULTS


def test_notifications_email_language_defaults_to_the_site_language(settings):
    if hasattr(settings, "NOTIFICATIONS_EMAIL_LANGUAGE"):
        del settings.NOTIFICATIONS_EMAIL_LANGUAGE
    settings.LANGUAGE_CODE = "en"
    language = notifications_settings.EMAIL_LANGUAGE
    assert language == "en"


def test_retry_schedule_follows_the_settings_at_access_time(settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    settings.NOTIFICATIONS_RETRY_SECONDS = 10
    assert max_attempts() == 2
    assert retry_delay(3) == datetime.timedelta(seconds=40)
