"""forums.conf: one typed default per setting, read when asked (so override_settings works)."""

import pytest

from forums.conf import DEFAULTS, forums_settings
from forums.sanitize import PostBodyError, check_length

EXPECTED_DEFAULTS = [
    ("MAX_POST_CHARS", "FORUMS_MAX_POST_CHARS", 20_000),
    ("MAX_SOCKET_MESSAGE_BYTES", "FORUMS_MAX_SOCKET_MESSAGE_BYTES", 0),
    ("POSTS_PER_MINUTE", "FORUMS_POSTS_PER_MINUTE", 10),
    ("SOCKET_MESSAGES_PER_MINUTE", "FORUMS_SOCKET_MESSAGES_PER_MINUTE", 120),
    ("MAX_ATTACHMENTS", "FORUMS_MAX_ATTACHMENTS", 5),
    ("MAX_ATTACHMENT_MB", "FORUMS_MAX_ATTACHMENT_MB", 10),
    ("EDIT_WINDOW_MINUTES", "FORUMS_EDIT_WINDOW_MINUTES", 30),
    ("REPORT_HIDE_THRESHOLD", "FORUMS_REPORT_HIDE_THRESHOLD", 3),
]


@pytest.mark.parametrize(("attribute", "name", "default"), EXPECTED_DEFAULTS, ids=[e[0] for e in EXPECTED_DEFAULTS])
def test_forums_settings_default_applies_when_the_host_sets_nothing(settings, attribute, name, default):
    if hasattr(settings, name):
        delattr(settings, name)
    assert getattr(forums_settings, attribute) == default
    assert name in DEFAULTS


def test_forums_settings_follow_the_settings_at_access_time(settings):
    settings.FORUMS_POSTS_PER_MINUTE = 2
    assert forums_settings.POSTS_PER_MINUTE == 2
    settings.FORUMS_POSTS_PER_MINUTE = 0
    assert forums_settings.POSTS_PER_MINUTE == 1  # never zero: flood control still lets one post through


def test_post_longer_than_the_max_post_chars_setting_is_refused(settings):
    settings.FORUMS_MAX_POST_CHARS = 10
    with pytest.raises(PostBodyError):
        check_length("Dwanaście znaków")
