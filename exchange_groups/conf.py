"""Settings of exchange_groups, each with one typed default, read from `django.conf.settings` when used.

    from exchange_groups.conf import exchange_groups_settings
    exchange_groups_settings.INVITATION_DAYS

A host site sets the names in `DEFAULTS` in its settings module; when a name is unset, its default applies.
Nothing is cached: every attribute reads the settings at the moment it is asked for, so `override_settings`
(and pytest-django's `settings` fixture) work as they do for Django's own settings.
"""

from django.conf import settings

from oswiata_kit.conf import kit_settings

DEFAULTS = {
    # Zone in which meeting times are entered, shown and sent (e-mails, .ics files).
    "EXCHANGE_GROUPS_MEETING_TIME_ZONE": "Europe/Warsaw",
    # Days an invitation link to a space stays valid.
    "EXCHANGE_GROUPS_INVITATION_DAYS": 14,
    # Largest file a member may upload to a library or a meeting, in megabytes.
    "EXCHANGE_GROUPS_MAX_UPLOAD_MB": 20,
    # Language of the app's e-mails (membership, meetings); None: LANGUAGE_CODE.
    "EXCHANGE_GROUPS_EMAIL_LANGUAGE": None,
    # Messages one account socket (/ws/konto/) may send per minute.
    "EXCHANGE_GROUPS_SOCKET_MESSAGES_PER_MINUTE": 60,
    # Seconds between a socket's periodic re-checks of its login session.
    "EXCHANGE_GROUPS_SOCKET_SESSION_RECHECK_SECONDS": 300.0,
    # Django groups whose members review submitted good practices (the Wagtail workflow task).
    "EXCHANGE_GROUPS_PRACTICE_REVIEWER_GROUPS": ("Redaktor ZMP", "Administrator"),
    # Seconds an e-mail confirmation link stays valid (three days).
    "ACCOUNT_CONFIRMATION_MAX_AGE": 60 * 60 * 24 * 3,
    # Proxies in front of the site that each append to X-Forwarded-For (0: trust no forwarded header).
    "TRUSTED_PROXY_COUNT": 0,
    # Versions of the terms of use and of the privacy notice that consents record and the pages show.
    "TERMS_VERSION": "1",
    "PRIVACY_NOTICE_VERSION": "1",
    # Where the account socket lives (exchange_groups.routing; the notification bell connects there).
    "EXCHANGE_GROUPS_ACCOUNT_SOCKET_PATH": "ws/konto/",
}
# Read here too, with their one default in oswiata_kit.conf: EXCHANGE_GROUPS_ADMIN_GROUP (the Django group that
# administers every space, with the superusers), EXCHANGE_GROUPS_PRIVATE_MEDIA_ROOT (the private files' folder)
# and WAGTAIL_SITE_NAME (calendar names, e-mails).


def _setting(name: str):
    return getattr(settings, name, DEFAULTS[name])


class ExchangeGroupsSettings:
    """The settings of exchange_groups as typed attributes; see `DEFAULTS` for the meaning of each."""

    @property
    def ADMIN_GROUP(self) -> str:
        return kit_settings.SITE_ADMIN_GROUP

    @property
    def MEETING_TIME_ZONE(self) -> str:
        return str(_setting("EXCHANGE_GROUPS_MEETING_TIME_ZONE"))

    @property
    def INVITATION_DAYS(self) -> int:
        return int(_setting("EXCHANGE_GROUPS_INVITATION_DAYS"))

    @property
    def MAX_UPLOAD_MB(self) -> int:
        return int(_setting("EXCHANGE_GROUPS_MAX_UPLOAD_MB"))

    @property
    def MAX_UPLOAD_BYTES(self) -> int:
        return self.MAX_UPLOAD_MB * 1024 * 1024

    @property
    def PRIVATE_MEDIA_ROOT(self) -> str:
        return kit_settings.PRIVATE_MEDIA_ROOT

    @property
    def EMAIL_LANGUAGE(self) -> str:
        return str(_setting("EXCHANGE_GROUPS_EMAIL_LANGUAGE") or settings.LANGUAGE_CODE)

    @property
    def SOCKET_MESSAGES_PER_MINUTE(self) -> int:
        return max(1, int(_setting("EXCHANGE_GROUPS_SOCKET_MESSAGES_PER_MINUTE")))

    @property
    def SOCKET_SESSION_RECHECK_SECONDS(self) -> float:
        return max(0.05, float(_setting("EXCHANGE_GROUPS_SOCKET_SESSION_RECHECK_SECONDS")))

    @property
    def PRACTICE_REVIEWER_GROUPS(self) -> tuple[str, ...]:
        return tuple(_setting("EXCHANGE_GROUPS_PRACTICE_REVIEWER_GROUPS"))

    @property
    def ACCOUNT_CONFIRMATION_MAX_AGE(self) -> int:
        return int(_setting("ACCOUNT_CONFIRMATION_MAX_AGE"))

    @property
    def TRUSTED_PROXY_COUNT(self) -> int:
        return max(0, int(_setting("TRUSTED_PROXY_COUNT") or 0))

    @property
    def TERMS_VERSION(self) -> str:
        return str(_setting("TERMS_VERSION"))

    @property
    def PRIVACY_NOTICE_VERSION(self) -> str:
        return str(_setting("PRIVACY_NOTICE_VERSION"))

    @property
    def SITE_NAME(self) -> str:
        return kit_settings.SITE_NAME

    @property
    def ACCOUNT_SOCKET_PATH(self) -> str:
        """The account socket's path without a leading slash, with one trailing slash ("ws/konto/")."""
        return str(_setting("EXCHANGE_GROUPS_ACCOUNT_SOCKET_PATH")).strip("/") + "/"


exchange_groups_settings = ExchangeGroupsSettings()
