"""Enqueue the daily or weekly digests (cron: `0 7 * * * manage.py send_digests daily`,
`0 7 * * 1 manage.py send_digests weekly`). Idempotent: a person never gets the same period twice."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from notifications.models import DigestFrequency
from notifications.services import task_backend
from notifications.tasks import send_digests


class Command(BaseCommand):
    help = "Send the daily or weekly e-mail summaries (through a background task)."

    def add_arguments(self, parser):
        parser.add_argument("frequency", choices=[DigestFrequency.DAILY.value, DigestFrequency.WEEKLY.value])

    def handle(self, *args, frequency, **options):
        send_digests.using(backend=task_backend()).enqueue(frequency)
        self.stdout.write(_("The summaries have been enqueued: %(frequency)s") % {"frequency": frequency})
