"""manage.py load_teryt [PATH] — load the TERYT TERC register (by default the file shipped with the app)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from exchange_groups.registry.services import TercFileError, load_terc, shipped_terc_path


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(gettext("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value}) from exc


class Command(BaseCommand):
    help = (
        "Load the TERYT TERC register of territorial units (default: the file shipped with exchange_groups). "
        "Idempotent: a newer file updates names, adds units and marks vanished ones inactive; nothing is deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="TERC CSV file (default: the shipped TERC_Urzedowy_2020-01-01)")
        parser.add_argument("--date", type=_date, help="register date to record instead of the file's STAN_NA")
        parser.add_argument(
            "--allow-older", action="store_true", help="load a file older than the register already loaded"
        )

    def handle(self, *args, path=None, date=None, allow_older=False, **options):
        path = path or shipped_terc_path()
        try:
            report = load_terc(path, source_date=date, allow_older=allow_older)
        except TercFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            gettext("TERYT register as of %(date)s loaded from %(path)s.")
            % {"date": report.source_date.isoformat(), "path": path}
        )
        self.stdout.write(
            self.style.SUCCESS(
                gettext(
                    "Units created: %(created)d, updated: %(updated)d, marked inactive: %(deactivated)d, "
                    "unchanged: %(unchanged)d."
                )
                % {
                    "created": report.created,
                    "updated": report.updated,
                    "deactivated": report.deactivated,
                    "unchanged": report.unchanged,
                }
            )
        )
