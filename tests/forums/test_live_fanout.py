"""The live fan-out: one access check per event per worker for all its sockets, as strict as one per socket."""

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import Group
from django.utils import timezone

from exchange_groups.models import Membership, SpaceRole
from exchange_groups.spaces import services as membership
from forums import services
from forums.consumers import FANOUT
from forums.permissions import can_read_topic, readers_among
from tests.factories import UserFactory
from tests.forums.test_live_socket import (  # noqa: F401 - the autouse fixture resets layer and cache
    _fresh_layer_and_cache,
    close_code,
    connect,
    receive,
)


@pytest.mark.django_db
def test_readers_among_agrees_with_can_read_topic_for_every_kind_of_person(world):
    private_topic = services.create_topic(
        world["private_member"], world["private_forum"].categories.get(), "Wątek zespołu", "Treść."
    )
    public_topic = services.create_topic(world["author"], world["forum"].categories.get(), "Wątek sieci", "Treść.")
    site_topic = services.create_topic(
        world["author"], services.ensure_site_forum().categories.first(), "Wątek ogólny", "Treść."
    )
    group_admin = UserFactory()
    group_admin.groups.add(Group.objects.get(name="Administrator"))
    inactive_member = UserFactory(is_active=True)
    membership.add_member(world["admin"], world["private"], inactive_member, SpaceRole.PARTICIPANT, notify=False)
    inactive_member.is_active = False
    inactive_member.save()
    former = UserFactory()
    membership.add_member(world["admin"], world["private"], former, SpaceRole.PARTICIPANT, notify=False)
    Membership.objects.filter(user=former).update(until=timezone.now())
    people = [
        world["admin"],
        world["coordinator"],
        world["author"],
        world["other"],
        world["private_member"],
        world["outsider"],
        group_admin,
        inactive_member,
        former,
    ]
    for topic in (private_topic, public_topic, site_topic):
        expected = {person.pk for person in people if can_read_topic(type(person).objects.get(pk=person.pk), topic)}
        assert readers_among(topic, [person.pk for person in people]) == expected, topic.title
    # A deleted topic: administrators only.
    private_topic.deleted_at = timezone.now()
    private_topic.save()
    assert readers_among(private_topic, [p.pk for p in people]) == {world["admin"].pk, group_admin.pk}


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_fanout_a_member_whose_close_event_was_lost_gets_no_event_while_the_others_do(world, topic):
    """Membership ended in the database only (the per-user close event lost): strict, per event."""
    author_socket, _c1, _h1 = await connect(world["author"], topic.pk)
    other_socket, _c2, _h2 = await connect(world["other"], topic.pk)
    await sync_to_async(Membership.objects.filter(space=world["space"], user=world["other"]).update)(
        until=timezone.now()
    )
    reply, _is_new = await sync_to_async(services.create_post)(world["coordinator"], topic, "Tylko dla członków")
    created = await receive(author_socket)
    assert created["type"] == "post.created" and created["post"]["id"] == reply.pk
    assert await close_code(other_socket) == 4403
    await author_socket.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_fanout_sockets_of_one_worker_share_one_check_per_event(world, topic, monkeypatch):
    from forums import live

    calls = []
    original = live.readers_of

    def counting(topic_id, user_ids):
        calls.append(set(user_ids))
        return original(topic_id, user_ids)

    monkeypatch.setattr(live, "readers_of", counting)
    sockets = [
        (await connect(person, topic.pk))[0] for person in (world["author"], world["other"], world["coordinator"])
    ]
    await sync_to_async(services.create_post)(world["author"], topic, "Jeden wpis, jedno sprawdzenie")
    for socket in sockets:
        assert (await receive(socket))["type"] == "post.created"
    assert len(calls) == 1
    assert calls[0] == {world["author"].pk, world["other"].pk, world["coordinator"].pk}
    for socket in sockets:
        await socket.disconnect()
    assert topic.pk not in FANOUT.listeners  # nothing left behind when the sockets close


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_fanout_keeps_its_reader_check_between_events(world, topic, monkeypatch):
    """Three posts, one question to the database for the worker's readers of the topic."""
    from forums import live

    calls = []
    original = live.readers_of
    monkeypatch.setattr(live, "readers_of", lambda topic_id, user_ids: calls.append(1) or original(topic_id, user_ids))
    sockets = [(await connect(person, topic.pk))[0] for person in (world["author"], world["other"])]
    for number in range(3):
        await sync_to_async(services.create_post)(world["coordinator"], topic, f"Wpis nr {number}")
        for socket in sockets:
            assert (await receive(socket))["type"] == "post.created"
    assert len(calls) == 1
    for socket in sockets:
        await socket.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_fanout_a_member_removed_after_the_check_was_kept_receives_nothing_further(world, topic):
    """The removal's close event makes the worker forget its answer: the removed socket closes (4403) and
    receives no later post; the others still do."""
    author_socket, _c1, _h1 = await connect(world["author"], topic.pk)
    other_socket, _c2, _h2 = await connect(world["other"], topic.pk)
    await sync_to_async(services.create_post)(world["coordinator"], topic, "Przed usunięciem")
    for socket in (author_socket, other_socket):
        assert (await receive(socket))["type"] == "post.created"
    assert topic.pk in FANOUT.answers  # the check is kept
    ended = await sync_to_async(Membership.objects.get)(space=world["space"], user=world["other"], until=None)
    await sync_to_async(membership.remove_member)(world["coordinator"], ended, "Koniec współpracy.")
    assert await close_code(other_socket) == 4403
    reply, _is_new = await sync_to_async(services.create_post)(world["coordinator"], topic, "Po usunięciu")
    created = await receive(author_socket)
    assert created["type"] == "post.created" and created["post"]["id"] == reply.pk
    await author_socket.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_fanout_check_expires_for_changes_no_event_announces(world, topic, settings):
    """A membership ended in the database only, after the check was kept: asked again once it expires."""
    settings.FORUMS_LIVE_READER_CHECK_SECONDS = 0
    author_socket, _c1, _h1 = await connect(world["author"], topic.pk)
    other_socket, _c2, _h2 = await connect(world["other"], topic.pk)
    await sync_to_async(services.create_post)(world["coordinator"], topic, "Jeszcze dla obojga")
    for socket in (author_socket, other_socket):
        assert (await receive(socket))["type"] == "post.created"
    await sync_to_async(Membership.objects.filter(space=world["space"], user=world["other"]).update)(
        until=timezone.now()
    )
    reply, _is_new = await sync_to_async(services.create_post)(world["coordinator"], topic, "Tylko dla członków")
    assert (await receive(author_socket))["post"]["id"] == reply.pk
    assert await close_code(other_socket) == 4403
    await author_socket.disconnect()
