from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeGroupsConfig(AppConfig):
    name = "exchange_groups"
    verbose_name = _("People, JSTs and spaces")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals, signals_meetings  # noqa: F401
