"""Receivers: a published debate gets its opening and closing tasks queued (after the commit)."""

import contextlib
import contextvars
import logging

from django.db import transaction

logger = logging.getLogger("debates")

_suppressed = contextvars.ContextVar("debates_scheduling_suppressed", default=False)


@contextlib.contextmanager
def scheduling_suppressed():
    """Publish debates without queueing their tasks (demo data drives the services itself, with its own clock)."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def schedule_on_publish(sender, instance, **kwargs):
    from .models import DebatePage
    from .services import schedule_debate

    if _suppressed.get():
        return
    page_id = instance.pk

    def enqueue():
        debate = DebatePage.objects.filter(pk=page_id).first()
        if debate is not None:
            try:
                schedule_debate(debate)
            except Exception:  # a queue that is down must not undo the publish; the cron catches up
                logger.exception("debate %s: the schedule could not be queued", page_id)

    transaction.on_commit(enqueue)
