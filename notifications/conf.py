"""Settings of the notifications app, each with one typed default, read from `django.conf.settings` when used.

    from notifications.conf import notifications_settings
    notifications_settings.MAX_ATTEMPTS

A host site sets the names in `DEFAULTS` in its settings module; when a name is unset, its default applies.
Nothing is cached: every attribute reads the settings at the moment it is asked for, so `override_settings`
(and pytest-django's `settings` fixture) work as they do for Django's own settings.
"""

from django.conf import settings

DEFAULTS = {
    # Days a one-click unsubscribe link works: long enough for an old e-mail, never for ever.
    "NOTIFICATIONS_UNSUBSCRIBE_LINK_DAYS": 180,
    # Language of mention e-mails and digests; None: LANGUAGE_CODE.
    "NOTIFICATIONS_EMAIL_LANGUAGE": None,
    # Name of the django-tasks backend (in TASKS) that sends the e-mails.
    "NOTIFICATIONS_TASK_BACKEND": "default",
    # Name of the django-tasks backend (in TASKS) that works out a post's notifications (mentions, replies):
    # queued when the post is published, so the live socket answers the author without waiting for them.
    "NOTIFICATIONS_POST_TASK_BACKEND": "default",
    # Attempts to send one e-mail before it is kept as failed (listed in the Wagtail admin).
    "NOTIFICATIONS_MAX_ATTEMPTS": 5,
    # Seconds before the first retry; each later retry waits twice as long (1, 2, 4, 8 minutes).
    "NOTIFICATIONS_RETRY_SECONDS": 60,
}


def _setting(name: str):
    return getattr(settings, name, DEFAULTS[name])


class NotificationsSettings:
    """The settings of notifications as typed attributes; see `DEFAULTS` for the meaning of each."""

    @property
    def UNSUBSCRIBE_LINK_DAYS(self) -> int:
        return int(_setting("NOTIFICATIONS_UNSUBSCRIBE_LINK_DAYS"))

    @property
    def EMAIL_LANGUAGE(self) -> str:
        return str(_setting("NOTIFICATIONS_EMAIL_LANGUAGE") or settings.LANGUAGE_CODE)

    @property
    def TASK_BACKEND(self) -> str:
        return str(_setting("NOTIFICATIONS_TASK_BACKEND"))

    @property
    def POST_TASK_BACKEND(self) -> str:
        return str(_setting("NOTIFICATIONS_POST_TASK_BACKEND"))

    @property
    def MAX_ATTEMPTS(self) -> int:
        return int(_setting("NOTIFICATIONS_MAX_ATTEMPTS"))

    @property
    def RETRY_SECONDS(self) -> int:
        return int(_setting("NOTIFICATIONS_RETRY_SECONDS"))


notifications_settings = NotificationsSettings()
