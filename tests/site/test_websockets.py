"""The ASGI WebSocket stack: foreign origins refused, anonymous sockets closed, logout closes sockets."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client

from exchange_groups.accounts.realtime import CLOSE_SESSION_ENDED, CLOSE_UNAUTHENTICATED
from oswiata_site.asgi import application
from tests.factories import UserFactory

# serialized_rollback: a transactional test flushes the tables; this restores the rows the migrations made
# (the Wagtail root page, site roles) for the tests that follow.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.asyncio]


def logged_in_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def open_socket(path="/ws/konto/", origin="http://127.0.0.1:8000", cookie=None):
    headers = [(b"origin", origin.encode()), (b"host", b"127.0.0.1:8000")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await communicator.connect(timeout=3)
    return communicator, connected, code


async def test_websocket_from_foreign_origin_is_refused():
    user = await sync_to_async(UserFactory)()
    cookie = await sync_to_async(logged_in_cookie)(user)
    communicator, connected, _ = await open_socket(origin="https://evil.example.com", cookie=cookie)
    assert connected is False
    await communicator.disconnect()


async def test_websocket_from_own_origin_is_accepted_for_logged_in_person():
    user = await sync_to_async(UserFactory)()
    cookie = await sync_to_async(logged_in_cookie)(user)
    communicator, connected, _ = await open_socket(cookie=cookie)
    assert connected is True
    assert await communicator.receive_json_from(timeout=2) == {"type": "session.ready"}
    await communicator.disconnect()


async def test_anonymous_websocket_is_closed_with_4401():
    communicator, connected, code = await open_socket()
    assert connected is False
    assert code == CLOSE_UNAUTHENTICATED


async def test_logout_closes_the_persons_open_sockets():
    user = await sync_to_async(UserFactory)()
    client = Client()
    await sync_to_async(client.force_login)(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    communicator, connected, _ = await open_socket(cookie=cookie)
    assert connected
    await communicator.receive_json_from(timeout=2)
    response = await sync_to_async(client.post)("/konto/wylogowanie/")
    assert response.status_code == 302
    assert SESSION_KEY not in await sync_to_async(lambda: client.session.keys())()
    output = await communicator.receive_output(timeout=2)
    assert output == {"type": "websocket.close", "code": CLOSE_SESSION_ENDED}


async def test_logout_of_one_person_leaves_anothers_socket_open():
    alice, bob = await sync_to_async(UserFactory)(), await sync_to_async(UserFactory)()
    alice_client, bob_cookie = Client(), await sync_to_async(logged_in_cookie)(bob)
    await sync_to_async(alice_client.force_login)(alice)
    bob_socket, connected, _ = await open_socket(cookie=bob_cookie)
    assert connected
    await bob_socket.receive_json_from(timeout=2)
    await sync_to_async(alice_client.post)("/konto/wylogowanie/")
    assert await bob_socket.receive_nothing(timeout=0.5) is True
    await bob_socket.send_json_to({"type": "ping"})
    assert await bob_socket.receive_json_from(timeout=2) == {"type": "pong"}
    await bob_socket.disconnect()
