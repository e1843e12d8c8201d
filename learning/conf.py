"""Settings of the learning app, each with one typed default, read from `django.conf.settings` when used.

    from learning.conf import learning_settings
    learning_settings.REPORT_MIN_GROUP

A host site sets the names in `DEFAULTS` in its settings module; when a name is unset, its default applies.
Nothing is cached: every attribute reads the settings at the moment it is asked for, so `override_settings`
(and pytest-django's `settings` fixture) work as they do for Django's own settings.
"""

from django.conf import settings

DEFAULTS = {
    # Dotted path of a callable `(user, course) -> int`: meetings attended, for blended courses.
    # "" (empty): learning's own count (presence at meetings of the course's spaces plus AttendanceRecord rows).
    "LEARNING_ATTENDANCE_PROVIDER": "",
    # Name of the Django group whose members see course reports and may enrol others (coordinators).
    "LEARNING_COORDINATOR_GROUP": "Koordynator",
    # Fewest people a course report shows a count or an average for; smaller groups are suppressed (privacy).
    "LEARNING_REPORT_MIN_GROUP": 5,
}


def _setting(name: str):
    return getattr(settings, name, DEFAULTS[name])


class LearningSettings:
    """The settings of learning as typed attributes; see `DEFAULTS` for the meaning of each."""

    @property
    def ATTENDANCE_PROVIDER(self) -> str:
        return str(_setting("LEARNING_ATTENDANCE_PROVIDER") or "")

    @property
    def COORDINATOR_GROUP(self) -> str:
        return str(_setting("LEARNING_COORDINATOR_GROUP"))

    @property
    def REPORT_MIN_GROUP(self) -> int:
        return int(_setting("LEARNING_REPORT_MIN_GROUP"))


learning_settings = LearningSettings()
