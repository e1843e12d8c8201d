"""Moderation seen live: a suspension closes the person's topic sockets of that space at once (they may
reconnect and read, not post), and the report threshold under concurrent reports (PostgreSQL)."""

import datetime
import threading

import pytest
from asgiref.sync import sync_to_async
from django.db import connection
from django.utils import timezone

from exchange_groups.accounts.realtime import CLOSE_FORBIDDEN
from exchange_groups.models import SpaceRole
from exchange_groups.spaces import services as membership
from forums import moderation
from forums.models import Report
from tests.factories import UserFactory

from .conftest import consenting
from .test_live_socket import (  # noqa: F401 — the autouse fixture too
    _fresh_layer_and_cache,
    close_code,
    collect,
    connect,
    nothing_but_chatter,
    post_message,
)


def _moderator(world):
    moderator = consenting(UserFactory(first_name="Marek", last_name="Moderator"))
    membership.add_member(world["admin"], world["space"], moderator, SpaceRole.MODERATOR, notify=False)
    return moderator


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_moderation_suspension_closes_the_members_sockets_within_2s_and_posting_is_refused(world, topic):
    moderator = await sync_to_async(_moderator)(world)
    reader, _client, _hello = await connect(world["other"], topic.pk)
    until = timezone.now() + datetime.timedelta(hours=3)
    await sync_to_async(moderation.sanction_member)(
        moderator, world["forum"], world["other"], "suspension", "Spam w wątkach", until
    )
    assert await close_code(reader, timeout=2) == CLOSE_FORBIDDEN
    # they may reconnect and read, but a post over the socket is refused with the reason
    again, _client, hello = await connect(world["other"], topic.pk)
    assert hello["type"] == "hello"
    await again.send_json_to(post_message("Po zawieszeniu"))
    answers = [m for m in await collect(again, timeout=0.5) if m.get("type") == "error"]
    assert answers and answers[0]["code"] == "forbidden" and "Spam w wątkach" in answers[0]["message"]
    await again.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_moderation_silence_leaves_the_socket_open(world, topic):
    moderator = await sync_to_async(_moderator)(world)
    reader, _client, _hello = await connect(world["other"], topic.pk)
    until = timezone.now() + datetime.timedelta(hours=3)
    await sync_to_async(moderation.sanction_member)(moderator, world["forum"], world["other"], "silence", "x", until)
    assert await nothing_but_chatter(reader, timeout=0.5) is True
    await reader.send_json_to({"type": "resync", "after": 0})
    messages = await collect(reader, timeout=0.5)
    assert any(m.get("type") == "resync" for m in messages)
    await reader.disconnect()


# --- PostgreSQL: concurrent reports ------------------------------------------------------------------


def _run_together(target, count):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(index):
        try:
            barrier.wait(timeout=10)
            results.append(target(index))
        except Exception as error:  # noqa: BLE001 — reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_moderation_concurrent_reports_hide_the_post_once_at_the_threshold(world, topic):
    assert connection.vendor == "postgresql"
    post = topic.posts.get()
    people = []
    for number in range(5):
        person = consenting(UserFactory(first_name=f"Zgłaszający{number}", last_name="Równoległy"))
        membership.add_member(world["admin"], world["space"], person, SpaceRole.PARTICIPANT, notify=False)
        people.append(person)

    results, errors = _run_together(lambda i: moderation.report_post(people[i], post, "Spam").pk, count=5)

    assert errors == []
    post.refresh_from_db()
    assert post.hidden and post.hidden_pending_review
    assert Report.objects.filter(post=post).count() == 5
    assert post.events.filter(kind="hidden").count() == 1
    assert moderation.ModerationAction.objects.filter(kind="auto_hide", post=post).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_moderation_double_submit_of_a_report_makes_one(world, topic):
    post = topic.posts.get()

    results, errors = _run_together(lambda i: moderation.report_post(world["other"], post, "Spam").pk, count=2)

    assert Report.objects.filter(post=post, reporter=world["other"]).count() == 1
    assert len(results) == 1 and len(errors) == 1
    assert getattr(errors[0], "code", None) == "already_reported"
