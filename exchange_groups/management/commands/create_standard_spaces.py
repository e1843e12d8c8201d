from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from exchange_groups.spaces.standard import ensure_standard_spaces


class Command(BaseCommand):
    help = "Create the programme's standard networks and exchange groups that do not exist yet."

    def handle(self, *args, **options):
        spaces = ensure_standard_spaces()
        self.stdout.write(_("Standard spaces in place: %(count)d") % {"count": len(spaces)})
