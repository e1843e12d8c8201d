"""The debate schedule with a controllable clock: opening at opens_at, closing at closes_at, exactly once."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from debates import services
from debates.models import DebatePage, DebateTopic, Phase
from debates.signals import debate_closed, debate_opened
from forums.models import Forum, Topic

from .conftest import CLOSES, OPENS, at, make_debate

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    calls = {"opened": [], "closed": []}

    def on_open(sender, debate, topics, **kwargs):
        calls["opened"].append((debate.pk, [t.pk for t in topics]))

    def on_close(sender, debate, topics, **kwargs):
        calls["closed"].append((debate.pk, [t.pk for t in topics]))

    debate_opened.connect(on_open, dispatch_uid="test-open")
    debate_closed.connect(on_close, dispatch_uid="test-close")
    yield calls
    debate_opened.disconnect(dispatch_uid="test-open")
    debate_closed.disconnect(dispatch_uid="test-close")


def test_debate_before_opening_time_stays_announced(debate):
    assert services.open_due_debates(now=at(0, 23)) == []
    debate.refresh_from_db()
    assert debate.phase == Phase.ANNOUNCED
    assert not DebateTopic.objects.exists()


def test_debate_opens_at_its_time_with_a_topic_in_each_target_forum(
    world, django_capture_on_commit_callbacks, received
):
    debate = make_debate(world, spaces=[world["public"], world["private"]], site_wide=True)
    with django_capture_on_commit_callbacks(execute=True):
        opened = services.open_due_debates(now=OPENS)
    assert [d.pk for d in opened] == [debate.pk]
    debate.refresh_from_db()
    assert debate.opened_at == OPENS
    assert debate.phase == Phase.DISCUSSION
    forums = {link.forum for link in DebateTopic.objects.filter(debate=debate)}
    assert forums == {world["public"].forum, world["private"].forum, Forum.objects.get(is_site_wide=True)}
    topic = DebateTopic.objects.get(debate=debate, forum=world["public"].forum).topic
    assert topic.title == debate.title
    first = topic.posts.get()
    assert "Jak liczyć koszty dowożenia uczniów?" in first.body_source
    assert debate.url in first.body_html
    assert first.author == world["moderator"]
    assert len(received["opened"]) == 1
    assert received["opened"][0][0] == debate.pk and len(received["opened"][0][1]) == 3


def test_opening_twice_makes_one_topic_per_forum_and_one_signal(debate, django_capture_on_commit_callbacks, received):
    with django_capture_on_commit_callbacks(execute=True):
        services.open_due_debates(now=OPENS)
        services.open_due_debates(now=at(2))
        services.open_debate(DebatePage.objects.get(pk=debate.pk), now=at(3))
    assert DebateTopic.objects.filter(debate=debate).count() == 1
    assert Topic.objects.filter(title=debate.title).count() == 1
    assert len(received["opened"]) == 1
    debate.refresh_from_db()
    assert debate.opened_at == OPENS


def test_topic_author_falls_back_to_a_moderator_who_may_write(world):
    # The first moderator is not a member of the space: the second one (a member) opens the topic.
    debate = make_debate(world, moderators=[world["plain"], world["moderator"]])
    services.open_debate(debate, now=OPENS)
    assert DebateTopic.objects.get(debate=debate).topic.author == world["moderator"]


def test_forum_where_nobody_may_write_is_skipped_then_filled_later(world):
    from exchange_groups.models import SpaceRole
    from exchange_groups.spaces import services as membership

    debate = make_debate(world, spaces=[world["public"], world["private"]], moderators=[world["other_moderator"]])
    services.open_debate(debate, now=OPENS)
    assert DebateTopic.objects.filter(debate=debate).count() == 1
    membership.add_member(world["admin"], world["private"], world["other_moderator"], SpaceRole.MODERATOR, notify=False)
    services.open_debate(DebatePage.objects.get(pk=debate.pk), now=at(2))
    assert DebateTopic.objects.filter(debate=debate).count() == 2


def test_unpublished_debate_never_opens(world):
    make_debate(world, publish=False)
    assert services.open_due_debates(now=at(30)) == []
    assert not DebateTopic.objects.exists()


def test_debate_closes_at_its_time_and_locks_its_topics(debate, django_capture_on_commit_callbacks, received):
    services.open_due_debates(now=OPENS)
    assert services.close_due_debates(now=at(7)) == []
    with django_capture_on_commit_callbacks(execute=True):
        closed = services.close_due_debates(now=CLOSES)
    assert [d.pk for d in closed] == [debate.pk]
    debate.refresh_from_db()
    assert debate.closed_at == CLOSES
    assert debate.phase == Phase.SUMMARY
    assert all(link.topic.locked for link in DebateTopic.objects.filter(debate=debate))
    assert len(received["closed"]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.close_due_debates(now=at(9)) == []
    assert len(received["closed"]) == 1


def test_debate_closing_tells_the_live_readers_of_each_topic_once(
    debate, django_capture_on_commit_callbacks, monkeypatch
):
    services.open_due_debates(now=OPENS)
    told = []
    monkeypatch.setattr("forums.publisher.publish_topic_changed", lambda topic, **kw: told.append((topic.pk, kw)))
    with django_capture_on_commit_callbacks(execute=True):
        services.close_due_debates(now=CLOSES)
        services.close_debate(DebatePage.objects.get(pk=debate.pk), now=at(9))
    topics = [link.topic_id for link in DebateTopic.objects.filter(debate=debate).order_by("pk")]
    assert told == [(pk, {}) for pk in topics] and topics
    assert not Topic.objects.filter(pk__in=topics, locked=False).exists()


def test_locked_debate_topic_refuses_replies(world, debate):
    from django.core.exceptions import PermissionDenied

    from forums import services as forum_services

    services.open_debate(debate, now=OPENS)
    topic = DebateTopic.objects.get(debate=debate).topic
    forum_services.create_post(world["member"], topic, "Głos w dyskusji o sieci szkół.")
    services.close_debate(DebatePage.objects.get(pk=debate.pk), now=CLOSES)
    topic.refresh_from_db()
    with pytest.raises(PermissionDenied):
        forum_services.create_post(world["member"], topic, "Spóźniony głos.")
    assert topic.posts.count() == 2


def test_debate_missed_entirely_is_opened_and_closed_by_the_schedule_command(debate, clock):
    clock.set(at(20))
    call_command("run_debate_schedule", verbosity=0)
    debate.refresh_from_db()
    assert debate.opened_at is not None and debate.closed_at is not None
    assert DebateTopic.objects.get(debate=debate).topic.locked


def test_schedule_command_is_idempotent(debate, clock):
    clock.set(OPENS)
    call_command("run_debate_schedule", verbosity=0)
    call_command("run_debate_schedule", verbosity=0)
    assert DebateTopic.objects.filter(debate=debate).count() == 1
    debate.refresh_from_db()
    assert debate.phase == Phase.DISCUSSION


def test_republishing_an_old_draft_keeps_the_systems_state(world, debate):
    services.open_debate(debate, now=OPENS)
    page = DebatePage.objects.get(pk=debate.pk)
    old_revision = page.revisions.order_by("pk").first()
    old_revision.publish()
    page.refresh_from_db()
    assert page.opened_at == OPENS


# --- the task queue ----------------------------------------------------------------------------------


@pytest.fixture
def database_tasks(settings, monkeypatch):
    settings.DEBATES_TASK_BACKEND = "database"
    # The worker drops "old" connections between tasks; inside a test's transaction that would close it.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)


def _queued():
    return {
        (row.task_path.rsplit(".", 1)[-1], row.run_after)
        for row in DBTaskResult.objects.filter(task_path__startswith="debates.tasks.")
    }


def test_publishing_queues_opening_and_closing_at_their_times(
    world, database_tasks, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_debate(world)
    assert _queued() == {("open_debate_task", OPENS), ("close_debate_task", CLOSES)}


def test_immediate_backend_queues_nothing_for_the_future(world, clock, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        debate = make_debate(world)
    debate.refresh_from_db()
    assert debate.phase == Phase.ANNOUNCED
    assert not DBTaskResult.objects.exists()


def _task_report():
    return [(r.task_path, r.run_after, r.status, r.exception_class_path) for r in DBTaskResult.objects.all()]


def _work():
    call_command("db_worker", "--batch", "--no-startup-delay", "--backend", "database", verbosity=0)


def test_worker_opens_the_debate_once_the_clock_passes(
    world, database_tasks, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        debate = make_debate(world)
    _work()
    debate.refresh_from_db()
    assert debate.phase == Phase.ANNOUNCED
    clock.set(at(1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        _work()
        _work()
    debate.refresh_from_db()
    assert debate.phase == Phase.DISCUSSION, _task_report()
    assert DebateTopic.objects.filter(debate=debate).count() == 1
    clock.set(at(8, 1))
    with django_capture_on_commit_callbacks(execute=True):
        _work()
    debate.refresh_from_db()
    assert debate.phase == Phase.SUMMARY
    assert DebateTopic.objects.get(debate=debate).topic.locked


def test_task_that_runs_early_after_the_times_changed_does_nothing(
    world, database_tasks, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        debate = make_debate(world)
    page = DebatePage.objects.get(pk=debate.pk)
    page.opens_at = at(3)
    page.closes_at = at(10)
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision(user=world["editor"]).publish()
    assert ("open_debate_task", at(3)) in _queued()
    clock.set(at(1, 1))
    _work()  # the first task is due, but the debate now opens later
    debate.refresh_from_db()
    assert debate.phase == Phase.ANNOUNCED
    clock.set(at(3, 1))
    _work()
    debate.refresh_from_db()
    assert debate.phase == Phase.DISCUSSION, _task_report()
    assert DebateTopic.objects.filter(debate=debate).count() == 1
