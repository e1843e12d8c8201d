"""The forum socket (`ws/fora/<forum_id>/`): a forum's topic list, live — new topics and reply counts."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from exchange_groups.accounts.realtime import CLOSE_FORBIDDEN, CLOSE_SESSION_ENDED, CLOSE_UNAUTHENTICATED
from exchange_groups.models import Membership
from forums import services
from oswiata_site.asgi import application
from tests.forums.test_live_socket import (  # noqa: F401 - the autouse fixture resets layer and cache
    _fresh_layer_and_cache,
    close_code,
    cookie_of,
    logged_in_client,
    receive,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def open_forum_socket(forum_id, user=None):
    headers = [(b"origin", b"http://127.0.0.1:8000"), (b"host", b"127.0.0.1:8000")]
    client = None
    if user is not None:
        client = await sync_to_async(logged_in_client)(user)
        headers.append((b"cookie", cookie_of(client).encode()))
    communicator = WebsocketCommunicator(application, f"/ws/fora/{forum_id}/", headers=headers)
    connected, code = await communicator.connect(timeout=3)
    return communicator, connected, code, client


async def test_forum_socket_refuses_anonymous_and_outsiders(world):
    _socket, connected, code, _client = await open_forum_socket(world["private_forum"].pk)
    assert (connected, code) == (False, CLOSE_UNAUTHENTICATED)
    _socket, connected, code, _client = await open_forum_socket(world["private_forum"].pk, world["outsider"])
    assert (connected, code) == (False, CLOSE_FORBIDDEN)
    _socket, connected, code, _client = await open_forum_socket(999999, world["author"])
    assert (connected, code) == (False, CLOSE_FORBIDDEN)


async def test_forum_socket_shows_a_new_topic_and_a_growing_reply_count(world):
    socket, connected, _code, _client = await open_forum_socket(world["forum"].pk, world["other"])
    assert connected
    assert (await receive(socket))["type"] == "hello"
    category = await sync_to_async(world["forum"].categories.get)()
    topic = await sync_to_async(services.create_topic)(world["author"], category, "Nowy wątek <b>na żywo</b>", "Start")
    message = await receive(socket)
    assert message["type"] == "topic"
    assert message["topic"]["id"] == topic.pk and message["topic"]["post_count"] == 1
    assert message["topic"]["title"] == "Nowy wątek <b>na żywo</b>"  # text: the client sets it with textContent
    await sync_to_async(services.create_post)(world["other"], topic, "Odpowiedź")
    message = await receive(socket)
    assert message["topic"]["id"] == topic.pk and message["topic"]["post_count"] == 2
    assert message["topic"]["reply_count"] == 1
    await socket.disconnect()


async def test_forum_socket_hears_nothing_of_another_forum(world):
    socket, _connected, _code, _client = await open_forum_socket(world["forum"].pk, world["author"])
    await receive(socket)  # hello
    private_category = await sync_to_async(world["private_forum"].categories.get)()
    await sync_to_async(services.create_topic)(world["private_member"], private_category, "Tajny wątek", "Tajne.")
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()


async def test_forum_socket_of_a_member_whose_membership_ended_closes_on_the_next_event(world):
    socket, _connected, _code, _client = await open_forum_socket(world["forum"].pk, world["other"])
    await receive(socket)  # hello
    await sync_to_async(Membership.objects.filter(space=world["space"], user=world["other"]).update)(
        until=timezone.now()
    )
    category = await sync_to_async(world["forum"].categories.get)()
    await sync_to_async(services.create_topic)(world["author"], category, "Po odejściu", "Treść.")
    assert await close_code(socket) == CLOSE_FORBIDDEN


async def test_forum_socket_closes_on_logout(world):
    socket, _connected, _code, client = await open_forum_socket(world["forum"].pk, world["author"])
    await receive(socket)  # hello
    await sync_to_async(client.post)("/konto/wylogowanie/")
    assert await close_code(socket) == CLOSE_SESSION_ENDED
