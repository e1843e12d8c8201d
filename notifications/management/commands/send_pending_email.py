"""Enqueue the sending task again for every notification e-mail still pending and due (a safety net for a lost
task, e.g. after the worker was stopped, or for a backend that cannot run tasks later)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from notifications.services import requeue_pending


class Command(BaseCommand):
    help = "Enqueue again the notification e-mails that are still waiting to be sent."

    def handle(self, *args, **options):
        count = requeue_pending()
        self.stdout.write(_("E-mails enqueued again: %(count)s") % {"count": count})
