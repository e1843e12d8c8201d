"""Settings of the debates app, each with one typed default, read from `django.conf.settings` when used.

    from debates.conf import debates_settings
    debates_settings.EDITOR_GROUP

A host site sets the names in `DEFAULTS` in its settings module; when a name is unset, its default applies.
Nothing is cached: every attribute reads the settings at the moment it is asked for, so `override_settings`
(and pytest-django's `settings` fixture) work as they do for Django's own settings.
"""

from django.conf import settings

DEFAULTS = {
    # Name of the Django group whose members publish debates and their summaries (ZMP editors).
    "DEBATES_EDITOR_GROUP": "Redaktor ZMP",
    # Name of the django-tasks backend (in TASKS) that opens and closes debates on time.
    "DEBATES_TASK_BACKEND": "default",
}


def _setting(name: str):
    return getattr(settings, name, DEFAULTS[name])


class DebatesSettings:
    """The settings of debates as typed attributes; see `DEFAULTS` for the meaning of each."""

    @property
    def EDITOR_GROUP(self) -> str:
        return str(_setting("DEBATES_EDITOR_GROUP"))

    @property
    def TASK_BACKEND(self) -> str:
        return str(_setting("DEBATES_TASK_BACKEND"))


debates_settings = DebatesSettings()
