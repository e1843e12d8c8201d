"""Open and close the debates whose time has come (idempotent).

The scheduled tasks do this on time when a worker runs (`manage.py db_worker`); this command is the safety net
for a cron in production, e.g. every five minutes:

    */5 * * * *  cd /srv/oswiata && .venv/bin/python manage.py run_debate_schedule --verbosity 0
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from debates.services import run_schedule


class Command(BaseCommand):
    help = "Open and close the debates whose time has come (safe to run again)."

    def handle(self, *args, **options):
        opened, closed = run_schedule()
        if options["verbosity"]:
            for debate in opened:
                self.stdout.write(_("Opened: %(title)s") % {"title": debate.title})
            for debate in closed:
                self.stdout.write(_("Closed: %(title)s") % {"title": debate.title})
            self.stdout.write(
                self.style.SUCCESS(
                    _("Debates opened: %(opened)s, closed: %(closed)s.")
                    % {"opened": len(opened), "closed": len(closed)}
                )
            )
