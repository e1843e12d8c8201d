from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from exchange_groups.demo import DEMO_PASSWORD, DEMO_PEOPLE


class Command(BaseCommand):
    help = "Print the demo accounts, one per role."

    def add_arguments(self, parser):
        parser.add_argument("--url", help="The address the server listens on (default: SITE_BASE_URL).")

    def handle(self, *args, **options):
        base = (options["url"] or settings.SITE_BASE_URL).rstrip("/")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Oświata JST is starting at %(url)s") % {"url": base + "/"}))
        self.stdout.write(_("Wagtail admin: %(url)s") % {"url": base + "/admin/"})
        self.stdout.write(_("Demo accounts (password for all: %(password)s):") % {"password": DEMO_PASSWORD})
        for spec in DEMO_PEOPLE.values():
            self.stdout.write(f"  {spec['group']:<14} {spec['email']}")
        self.stdout.write("")
