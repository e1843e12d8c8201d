from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OswiataSiteConfig(AppConfig):
    name = "oswiata_site"
    label = "oswiata_site"
    verbose_name = _("Site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .roles import ensure_site_roles_after_migrate

        post_migrate.connect(ensure_site_roles_after_migrate, sender=self)
