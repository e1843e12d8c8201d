"""Settings the bottom layer reads, each with one typed default, read from `django.conf.settings` when used.

    from oswiata_kit.conf import kit_settings
    kit_settings.SITE_BASE_URL

A host site sets the names in `DEFAULTS` in its settings module; when a name is unset, its default applies.
Nothing is cached: every attribute reads the settings at the moment it is asked for, so `override_settings`
(and pytest-django's `settings` fixture) work as they do for Django's own settings.
"""

from django.conf import settings

DEFAULTS = {
    # The address links in e-mails, PDFs and calendar files start with ("https://oswiata.example.pl");
    # empty: links stay relative to the site ("/przestrzenie/...").
    "SITE_BASE_URL": "",
    # Wagtail's name of the site: the signature of e-mails (and the calendar's name).
    "WAGTAIL_SITE_NAME": "Oświata JST",
    # The Django group whose members administer the whole site, with the superusers (`people.ADMINISTRATOR`).
    "EXCHANGE_GROUPS_ADMIN_GROUP": "Administrator",
}


def _setting(name: str):
    return getattr(settings, name, DEFAULTS[name])


class KitSettings:
    """The settings of oswiata_kit as typed attributes; see `DEFAULTS` for the meaning of each."""

    @property
    def SITE_BASE_URL(self) -> str:
        return str(_setting("SITE_BASE_URL") or "").rstrip("/")

    @property
    def SITE_NAME(self) -> str:
        return str(_setting("WAGTAIL_SITE_NAME") or DEFAULTS["WAGTAIL_SITE_NAME"])

    @property
    def SITE_ADMIN_GROUP(self) -> str:
        return str(_setting("EXCHANGE_GROUPS_ADMIN_GROUP") or DEFAULTS["EXCHANGE_GROUPS_ADMIN_GROUP"])


kit_settings = KitSettings()
