"""The bell's live count: a new notification sends the unread count to the person's account socket (/ws/konto/)."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from notifications import services
from oswiata_site.asgi import application
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.asyncio]


def logged_in_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def account_socket(user):
    cookie = await sync_to_async(logged_in_cookie)(user)
    headers = [(b"origin", b"http://127.0.0.1:8000"), (b"host", b"127.0.0.1:8000"), (b"cookie", cookie.encode())]
    communicator = WebsocketCommunicator(application, "/ws/konto/", headers=headers)
    connected, _ = await communicator.connect(timeout=3)
    assert connected
    assert await communicator.receive_json_from(timeout=2) == {"type": "session.ready"}
    return communicator


async def test_new_notification_and_reading_it_update_the_count_live():
    person = await sync_to_async(UserFactory)()
    other = await sync_to_async(UserFactory)()
    socket = await account_socket(person)
    others_socket = await account_socket(other)
    await sync_to_async(services.notify)("reply", [person.pk], "post:1:reply", title="Subwencja", params={})
    assert await socket.receive_json_from(timeout=3) == {"type": "notifications.count", "unread": 1}
    await sync_to_async(services.mark_all_read)(person)
    assert await socket.receive_json_from(timeout=3) == {"type": "notifications.count", "unread": 0}
    assert await others_socket.receive_nothing(timeout=0.3)
    await socket.disconnect()
    await others_socket.disconnect()
