from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DebatesConfig(AppConfig):
    name = "debates"
    verbose_name = _("Debates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published

        from .handlers import schedule_on_publish
        from .models import DebatePage

        page_published.connect(schedule_on_publish, sender=DebatePage, dispatch_uid="debates_schedule_on_publish")
