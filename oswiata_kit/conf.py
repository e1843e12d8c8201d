"""Settings the bottom layer reads, each with one typed default, read from `django.conf.settings` when used.

    from oswiata_kit.conf import kit_settings
    kit_settings.SITE_BASE_URL

A host site sets the names in `DEFAULTS` in its settings module; when a name is unset, its default applies.
Nothing is cached: every attribute reads the settings at the moment it is asked for, so `override_settings`
(and pytest-django's `settings` fixture) work as they do for Django's own settings.
"""

from pathlib import Path

from django.conf import settings

DEFAULTS = {
    # The address links in e-mails, PDFs and calendar files start with ("https://oswiata.example.pl");
    # empty: links stay relative to the site ("/przestrzenie/...").
    "SITE_BASE_URL": "",
    # Wagtail's name of the site: the signature of e-mails (and the calendar's name).
    "WAGTAIL_SITE_NAME": "Oświata JST",
    # The Django group whose members administer the whole site, with the superusers (`people.ADMINISTRATOR`).
    "EXCHANGE_GROUPS_ADMIN_GROUP": "Administrator",
    # Folder of the private files (meeting materials, library files, forum attachments), served only through
    # permission checks, never by the web server; None: "private-media" beside MEDIA_ROOT.
    "EXCHANGE_GROUPS_PRIVATE_MEDIA_ROOT": None,
    # The template every app page extends (the host's frame with the blocks title, content, extra_head, extra_js).
    "OSWIATA_BASE_TEMPLATE": "base.html",
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

    @property
    def PRIVATE_MEDIA_ROOT(self) -> str:
        configured = _setting("EXCHANGE_GROUPS_PRIVATE_MEDIA_ROOT")
        return str(configured or Path(settings.MEDIA_ROOT).parent / "private-media")

    @property
    def BASE_TEMPLATE(self) -> str:
        return str(_setting("OSWIATA_BASE_TEMPLATE") or DEFAULTS["OSWIATA_BASE_TEMPLATE"])


kit_settings = KitSettings()
