"""Load the Polish demo data: registry, people, spaces, pages — and, as they land, each app's own.

Idempotent: a second run finds everything in place and adds nothing. Each app contributes a `demo`
module with `load(stdout)`; the order follows the dependency direction (exchange_groups first).
"""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

DEMO_MODULES = [
    "exchange_groups.demo",
    "oswiata_site.demo",
    "exchange_groups.demo.pages",
    "learning.demo",
    "forums.demo",
    "debates.demo",
    "forums.demo.moderation",
    "notifications.demo",
]


class Command(BaseCommand):
    help = "Load the Polish demo data (safe to run again)."

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_DATA_ALLOWED", True):
            # The demo creates a superuser whose password is printed in the README (ASVS 15.2.3).
            raise CommandError(_("Demo data cannot be loaded on a production site (DEMO_DATA_ALLOWED is off)."))
        for dotted in DEMO_MODULES:
            import_module(dotted).load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(_("Demo data is in place.")))
