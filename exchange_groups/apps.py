from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeGroupsConfig(AppConfig):
    name = "exchange_groups"
    verbose_name = _("People, JSTs and spaces")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from exchange_groups.accounts import signals  # noqa: F401
        from exchange_groups.meetings import signals as meetings_signals  # noqa: F401
