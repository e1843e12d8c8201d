"""exchange_groups.conf: one typed default per setting, read when asked (so override_settings works)."""

import pytest
from django.urls import reverse

from exchange_groups.accounts.services import consent_text_version
from exchange_groups.conf import DEFAULTS, exchange_groups_settings
from exchange_groups.models import ConsentPurpose

EXPECTED_DEFAULTS = [
    ("MEETING_TIME_ZONE", "EXCHANGE_GROUPS_MEETING_TIME_ZONE", "Europe/Warsaw"),
    ("INVITATION_DAYS", "EXCHANGE_GROUPS_INVITATION_DAYS", 14),
    ("MAX_UPLOAD_MB", "EXCHANGE_GROUPS_MAX_UPLOAD_MB", 20),
    ("SOCKET_MESSAGES_PER_MINUTE", "EXCHANGE_GROUPS_SOCKET_MESSAGES_PER_MINUTE", 60),
    ("SOCKET_SESSION_RECHECK_SECONDS", "EXCHANGE_GROUPS_SOCKET_SESSION_RECHECK_SECONDS", 300.0),
    ("PRACTICE_REVIEWER_GROUPS", "EXCHANGE_GROUPS_PRACTICE_REVIEWER_GROUPS", ("Redaktor ZMP", "Administrator")),
    ("ACCOUNT_CONFIRMATION_MAX_AGE", "ACCOUNT_CONFIRMATION_MAX_AGE", 3 * 24 * 60 * 60),
    ("TRUSTED_PROXY_COUNT", "TRUSTED_PROXY_COUNT", 0),
    ("TERMS_VERSION", "TERMS_VERSION", "1"),
    ("PRIVACY_NOTICE_VERSION", "PRIVACY_NOTICE_VERSION", "1"),
]
# Read by exchange_groups, with their one default in oswiata_kit.conf.
KIT_DEFAULTS = [
    ("ADMIN_GROUP", "EXCHANGE_GROUPS_ADMIN_GROUP", "Administrator"),
    ("SITE_NAME", "WAGTAIL_SITE_NAME", "Oświata JST"),
    ("PRIVATE_MEDIA_ROOT", "EXCHANGE_GROUPS_PRIVATE_MEDIA_ROOT", None),
]


def _unset(settings, name):
    if hasattr(settings, name):
        delattr(settings, name)


@pytest.mark.parametrize(("attribute", "name", "default"), EXPECTED_DEFAULTS, ids=[e[0] for e in EXPECTED_DEFAULTS])
def test_exchange_groups_settings_default_applies_when_the_host_sets_nothing(settings, attribute, name, default):
    _unset(settings, name)
    assert getattr(exchange_groups_settings, attribute) == default
    assert name in DEFAULTS


@pytest.mark.parametrize(("attribute", "name", "default"), KIT_DEFAULTS, ids=[e[0] for e in KIT_DEFAULTS])
def test_exchange_groups_settings_shared_with_the_kit_have_the_kits_one_default(settings, attribute, name, default):
    from oswiata_kit.conf import DEFAULTS as KIT_DEFAULT_VALUES

    _unset(settings, name)
    assert KIT_DEFAULT_VALUES[name] == default
    if default is not None:
        assert getattr(exchange_groups_settings, attribute) == default
    assert name not in DEFAULTS


def test_exchange_groups_settings_follow_the_settings_at_access_time(settings):
    settings.EXCHANGE_GROUPS_INVITATION_DAYS = 3
    settings.EXCHANGE_GROUPS_ADMIN_GROUP = "Zarząd"
    assert exchange_groups_settings.INVITATION_DAYS == 3
    assert exchange_groups_settings.ADMIN_GROUP == "Zarząd"
    settings.EXCHANGE_GROUPS_INVITATION_DAYS = 7
    assert exchange_groups_settings.INVITATION_DAYS == 7


def test_exchange_groups_settings_derived_defaults_follow_the_host(settings, tmp_path):
    _unset(settings, "EXCHANGE_GROUPS_EMAIL_LANGUAGE")
    _unset(settings, "EXCHANGE_GROUPS_PRIVATE_MEDIA_ROOT")
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    language, root = exchange_groups_settings.EMAIL_LANGUAGE, exchange_groups_settings.PRIVATE_MEDIA_ROOT
    assert language == "en"
    assert root == str(tmp_path / "private-media")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("route", "name", "purpose"),
    [
        ("exchange_groups:terms", "TERMS_VERSION", ConsentPurpose.TERMS),
        ("exchange_groups:privacy_notice", "PRIVACY_NOTICE_VERSION", ConsentPurpose.PRIVACY_NOTICE),
    ],
    ids=["terms", "privacy-notice"],
)
def test_versioned_page_without_version_setting_shows_the_version_consents_record(
    client, settings, route, name, purpose
):
    _unset(settings, name)
    html = client.get(reverse(route)).content.decode()
    recorded = consent_text_version(purpose)
    assert recorded == "1"
    assert f"Wersja {recorded}." in html


def test_calendar_feed_without_site_name_setting_is_named_for_oswiata_jst(settings):
    from exchange_groups.meetings.calendars import ics_feed
    from tests.factories import UserFactory

    _unset(settings, "WAGTAIL_SITE_NAME")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("exchange_groups.meetings.calendars.feed_meetings", lambda user, now=None: [])
        feed = ics_feed(UserFactory.build()).decode()
    assert "Oświata JST" in feed.replace("\r\n ", "")
