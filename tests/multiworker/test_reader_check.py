"""The reader check each worker keeps (forums.consumers.FANOUT) stays exact across workers: a member removed
while their socket is open on the other worker receives nothing further, while the others still do."""

import asyncio

import pytest
from channels.layers import channel_layers
from django.db import connection

from exchange_groups.models import Membership
from exchange_groups.spaces import services as membership
from tests.factories import UserFactory
from tests.live_client import LiveReader, Writer
from tests.multiworker.conftest import ORIGIN, session_cookie
from tests.multiworker.test_production_shape import settle

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def remove(actor, person, space) -> None:
    try:
        ended = Membership.objects.get(space=space, user=person, until__isnull=True)
        membership.remove_member(actor, ended, "Koniec współpracy.")
    finally:
        connection.close()  # this thread's connection, not left open for the test database's teardown


def test_member_removed_while_reading_on_the_other_worker_receives_nothing_further(
    cluster, discussion, redis_server, settings
):
    worker_a, worker_b = cluster
    # The removal is made here: its close event goes out on the workers' channel layer, as the site's would.
    layer = {**settings.CHANNEL_LAYERS["default"], "CONFIG": {"hosts": [redis_server.url]}}
    settings.CHANNEL_LAYERS = {"default": layer}
    channel_layers.backends.clear()
    topic, space = discussion["topic"], discussion["space"]
    staying, leaving = discussion["readers"][:2]
    admin = UserFactory(is_superuser=True)
    cookies = {person.pk: session_cookie(person) for person in (staying, leaving, discussion["writer"])}

    async def scenario():
        readers = [
            LiveReader([worker_b.ws_url], topic.pk, cookies[person.pk], ORIGIN, last_seq=topic.last_seq)
            for person in (staying, leaving)
        ]
        for reader in readers:
            reader.start()
        await asyncio.wait_for(asyncio.gather(*(reader.connected.wait() for reader in readers)), 15)
        writer = Writer([worker_a.ws_url], topic.pk, cookies[discussion["writer"].pk], ORIGIN)
        before = await writer.post("Przed usunięciem.")  # worker B now keeps who may read the topic
        await settle(readers, {before})
        await asyncio.to_thread(remove, admin, leaving, space)
        after = [await writer.post(f"Po usunięciu nr {n}.") for n in range(3)]
        await writer.close()
        await settle(readers[:1], set(after))
        await asyncio.sleep(0.5)  # time for anything wrongly sent to the removed reader to arrive
        for reader in readers:
            await reader.stop()
        return readers, before, after

    (stayed, left), before, after = asyncio.run(scenario())
    assert before in stayed.posts and before in left.posts  # both read it while both were members
    assert set(after) <= set(stayed.posts)
    assert not set(after) & set(left.posts), "a removed member received posts written after the removal"
    assert 4403 in left.closed_codes and left.connects == 1
    channel_layers.backends.clear()
