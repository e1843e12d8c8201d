"""Background tasks of the debates (django-tasks): open and close a debate at its time.

Queued with `run_after` when a debate is published (`services.schedule_debate`). A task re-reads the debate
and re-checks the times, so a task queued before the editor changed them does nothing when it runs early; the
re-publish queued new ones. `manage.py run_debate_schedule` is the safety net for a cron.
"""

from django.utils import timezone
from django_tasks import task

from .models import DebatePage


@task()
def open_debate_task(page_id: int) -> int:
    """Open the debate if it is due; returns the number of topics made."""
    from .services import open_debate

    debate = DebatePage.objects.live().filter(pk=page_id).first()
    if debate is None:
        return 0
    return len(open_debate(debate, timezone.now()))


@task()
def close_debate_task(page_id: int) -> int:
    """Close the debate if it is due; returns the number of topics locked."""
    from .services import close_debate

    debate = DebatePage.objects.live().filter(pk=page_id).first()
    if debate is None:
        return 0
    return len(close_debate(debate, timezone.now()))
