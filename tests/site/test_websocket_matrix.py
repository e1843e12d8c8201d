"""Every WebSocket route × the seven personas, through the real ASGI stack (the HTTP matrix's WebSocket half).

The expectations are the matrix's own WEBSOCKET_ROWS; logged-in sockets need committed sessions, hence a
transactional test with a small world: the people and spaces of tests/world.py (the private space A with its
member, moderator and coordinator, the outsider's space B, a plain person and the administrator) and a topic in
A's forum.
"""

import asyncio
import re

import pytest
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from oswiata_site.asgi import application
from tests.site.test_permission_matrix import PERSONAS, WEBSOCKET_ROWS, websocket_routes
from tests.world import build_people, make_forum_topic


def build_small_world():
    people = build_people()
    forum, _category, topic = make_forum_topic(
        people["private_space"], people["member"], title="Wątek A", body="Treść."
    )
    return people, {"topic_id": topic.pk, "forum_id": forum.pk}


def cookie_for(user) -> str | None:
    if user is None:
        return None
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def outcome(path: str, cookie: str | None):
    headers = [(b"origin", b"http://127.0.0.1:8000"), (b"host", b"127.0.0.1:8000")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await communicator.connect(timeout=3)
    if connected:
        await communicator.disconnect()
        return True
    return code


@pytest.mark.django_db(transaction=True)
def test_every_websocket_route_answers_every_persona_as_expected():
    channel_layers.backends.clear()
    people, kwargs = build_small_world()
    cookies = {persona: cookie_for(people.get(persona)) for persona in PERSONAS}
    found, expected = {}, {}
    for pattern in sorted(websocket_routes()):
        path = "/" + re.sub(r"<int:(\w+)>", lambda m: str(kwargs[m.group(1)]), pattern)
        for persona in PERSONAS:
            found[(pattern, persona)] = asyncio.run(outcome(path, cookies[persona]))
            expected[(pattern, persona)] = WEBSOCKET_ROWS[pattern][persona]
    wrong = {case: (found[case], expected[case]) for case in found if found[case] != expected[case]}
    assert not wrong, f"(route, persona): (found, expected) — {wrong}"
    assert len(found) == len(websocket_routes()) * len(PERSONAS)
