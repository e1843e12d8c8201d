"""Against PostgreSQL with real concurrent transactions: two workers opening (and closing) the same debate."""

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from debates import services
from debates.handlers import scheduling_suppressed
from debates.models import DebatePage, DebateTopic
from debates.signals import debate_opened
from forums.models import Topic
from tests.concurrency import run_concurrently

from .conftest import CLOSES, OPENS, at, make_debate

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_workers_opening_at_once_make_one_topic_per_forum_and_one_signal(world):
    with scheduling_suppressed():
        debate = make_debate(world, spaces=[world["public"], world["private"]], site_wide=True)
    sent = []
    debate_opened.connect(
        lambda sender, debate, topics, **kw: sent.append(len(topics)), dispatch_uid="conc", weak=False
    )
    try:
        outcomes = run_concurrently(
            lambda i: len(services.open_debate(DebatePage.objects.get(pk=debate.pk), now=OPENS)), 3
        )
    finally:
        debate_opened.disconnect(dispatch_uid="conc")
    assert outcomes.errors == []
    assert sorted(outcomes) == [0, 0, 3]
    assert sent == [3]
    assert DebateTopic.objects.filter(debate=debate).count() == 3
    assert Topic.objects.filter(title=debate.title).count() == 3


def test_two_closings_at_once_close_once(world):
    with scheduling_suppressed():
        debate = make_debate(world)
    services.open_debate(debate, now=OPENS)
    outcomes = run_concurrently(lambda i: len(services.close_debate(DebatePage.objects.get(pk=debate.pk), now=CLOSES)))
    assert outcomes.errors == []
    assert sorted(outcomes) == [0, 1]


def test_two_db_workers_run_the_queued_opening_once(world, settings, monkeypatch):
    settings.DEBATES_TASK_BACKEND = "database"
    current = {"now": at(0)}
    monkeypatch.setattr("django.utils.timezone.now", lambda: current["now"])
    debate = make_debate(world)  # autocommit: the publish queues the tasks at once
    current["now"] = at(1, 1)

    def work(index):
        # The db_worker command's Worker, without its signal handlers (those work in the main thread only).
        Worker(
            queue_names=["default"],
            interval=0.05,
            batch=True,
            backend_name="database",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"debates-test-{index}",
            excluded_queue_names=[],
        ).run()

    assert run_concurrently(work).errors == []
    assert DBTaskResult.objects.filter(task_path__endswith="open_debate_task", status="SUCCESSFUL").count() == 1
    assert DebateTopic.objects.filter(debate=debate).count() == 1
    assert Topic.objects.filter(title=debate.title).count() == 1
    assert DebatePage.objects.get(pk=debate.pk).opened_at is not None
