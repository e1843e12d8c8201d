"""A socket lives only as long as the session it was opened with (issue 12, finding 5).

A password change keeps the changing session (Django's update_session_auth_hash) and ends every other one:
the other sessions' sockets close with 4001 within 2 s, the changing session's sockets stay open. A session
that ends on the server (logout elsewhere, flush, expiry) closes its sockets on their next inbound message,
and within the periodic re-check even when the client says nothing.
"""

import io
from dataclasses import dataclass
from importlib import import_module

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from exchange_groups.accounts.realtime import CLOSE_SESSION_ENDED
from forums import services
from oswiata_site.asgi import application
from tests.factories import DEFAULT_PASSWORD
from tests.forums.test_live_socket import (  # noqa: F401 - the autouse fixture resets layer and cache
    _fresh_layer_and_cache,
    close_code,
    cookie_of,
    logged_in_client,
    nothing_but_chatter,
    open_socket,
    post_message,
    receive,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

NEW_PASSWORD = "Zupelnie-Inne-Haslo-2026"
HEADERS = [(b"origin", b"http://127.0.0.1:8000"), (b"host", b"127.0.0.1:8000")]


@dataclass
class Session:
    client: Client
    topic: WebsocketCommunicator
    account: WebsocketCommunicator
    forum: WebsocketCommunicator | None = None


async def open_path(path: str, client: Client) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, path, headers=[*HEADERS, (b"cookie", cookie_of(client).encode())])
    connected, code = await communicator.connect(timeout=3)
    assert connected, code
    return communicator


async def open_session(user, topic, forum=None) -> Session:
    """A logged-in browser of `user` with a topic socket and an account socket (and a forum socket)."""
    client = await sync_to_async(logged_in_client)(user)
    topic_socket, connected, code = await open_socket(topic.pk, cookie_of(client))
    assert connected, code
    assert (await receive(topic_socket))["type"] == "hello"
    account = await open_path("/ws/konto/", client)
    assert await account.receive_json_from(timeout=2) == {"type": "session.ready"}
    forum_socket = None
    if forum is not None:
        forum_socket = await open_path(f"/ws/fora/{forum.pk}/", client)
        assert (await receive(forum_socket))["type"] == "hello"
    return Session(client, topic_socket, account, forum_socket)


async def account_close_code(account: WebsocketCommunicator, timeout=2):
    output = await account.receive_output(timeout=timeout)
    assert output["type"] == "websocket.close", output
    return output.get("code")


async def pong(account: WebsocketCommunicator) -> bool:
    """The account socket answers a ping (skipping the bell's counts that arrive in between)."""
    await account.send_json_to({"type": "ping"})
    while True:
        message = await account.receive_json_from(timeout=2)
        if message["type"] == "pong":
            return True
        assert message["type"] == "notifications.count", message


async def assert_still_open(*sessions: Session, topic, author) -> None:
    """The sessions' sockets stay open: each topic socket gets a new post, each account socket answers."""
    for session in sessions:
        assert await nothing_but_chatter(session.topic) is True
    post, _is_new = await sync_to_async(services.create_post)(author, topic, "Nowy wpis po zmianie hasła")
    for session in sessions:
        message = await receive(session.topic)
        assert message["type"] == "post.created" and message["post"]["id"] == post.pk
        assert await pong(session.account)


async def assert_closed(session: Session) -> None:
    """Both sockets closed with 4001 within 2 s."""
    assert await close_code(session.topic, timeout=2) == CLOSE_SESSION_ENDED
    assert await account_close_code(session.account, timeout=2) == CLOSE_SESSION_ENDED


async def assert_nothing_more(*sessions: Session, topic, author) -> None:
    """A post made after the close reaches none of these (closed) sockets."""
    await sync_to_async(services.create_post)(author, topic, "Wpis, którego zamknięte gniazdo nie dostaje")
    for session in sessions:
        assert await session.topic.receive_nothing(timeout=0.5) is True
        assert await session.account.receive_nothing(timeout=0.1) is True


def session_key_of(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def delete_session(client: Client) -> None:
    import_module(settings.SESSION_ENGINE).SessionStore().delete(session_key_of(client))


async def change_password_in_view(client: Client, old=DEFAULT_PASSWORD, new=NEW_PASSWORD):
    return await sync_to_async(client.post)(
        "/konto/haslo/zmiana/", {"old_password": old, "new_password1": new, "new_password2": new}
    )


# --- a password change -----------------------------------------------------------------------------------


async def test_password_change_closes_the_other_sessions_sockets_and_keeps_the_changing_ones(world, topic):
    person = world["other"]
    a = await open_session(person, topic, forum=world["forum"])
    b = await open_session(person, topic, forum=world["forum"])
    response = await change_password_in_view(a.client)
    assert response.status_code == 302
    assert await close_code(b.forum, timeout=2) == CLOSE_SESSION_ENDED
    await assert_closed(b)
    await assert_still_open(a, topic=topic, author=world["author"])
    assert (await receive(a.forum))["type"] == "topic"  # the forum list heard of the new post: still open
    assert await b.topic.receive_nothing(timeout=0.2) is True  # ... and B's closed sockets heard nothing
    assert await b.forum.receive_nothing(timeout=0.1) is True
    for socket in (a.topic, a.account, a.forum):
        await socket.disconnect()


async def test_password_change_keeps_the_changing_session_able_to_post_and_ping_later(world, topic):
    person = world["other"]
    a = await open_session(person, topic)
    await change_password_in_view(a.client)
    # After the change, the socket follows the session's new key: inbound checks keep passing.
    await a.topic.send_json_to(post_message("Piszę dalej po zmianie hasła"))
    answer = await receive(a.topic, skip={"presence", "typing", "post.created"})
    assert answer["type"] == "post.ack"
    assert await pong(a.account)
    await a.topic.disconnect()
    await a.account.disconnect()


async def test_password_change_keeps_the_changing_session_posting_before_its_recheck_event_arrives(
    world, topic, monkeypatch
):
    """With Redis between workers the re-check event can arrive after the next message of the changing tab: the
    socket finds its old session key deleted (cycle_key) and must follow the recorded rename, not close."""
    from exchange_groups.accounts import socket_sessions

    person = world["other"]
    a = await open_session(person, topic)
    monkeypatch.setattr(socket_sessions, "_send_recheck", lambda *args, **kwargs: None)  # the event is late
    await change_password_in_view(a.client)
    await a.topic.send_json_to(post_message("Piszę od razu po zmianie hasła"))
    answer = await receive(a.topic, skip={"presence", "typing", "post.created"})
    assert answer["type"] == "post.ack"
    await a.topic.disconnect()
    await a.account.disconnect()


async def test_password_change_with_a_wrong_old_password_closes_nothing(world, topic):
    person = world["other"]
    a = await open_session(person, topic)
    b = await open_session(person, topic)
    response = await change_password_in_view(a.client, old="To-Nie-Jest-Moje-Haslo")
    assert response.status_code == 200  # the form again, with its error
    await assert_still_open(a, b, topic=topic, author=world["author"])
    for socket in (a.topic, a.account, b.topic, b.account):
        await socket.disconnect()


async def test_password_change_of_one_person_leaves_anothers_sockets_open(world, topic):
    changer = await open_session(world["other"], topic)
    bystander = await open_session(world["author"], topic)
    await change_password_in_view(changer.client)
    await assert_still_open(bystander, topic=topic, author=world["coordinator"])
    for socket in (changer.topic, changer.account, bystander.topic, bystander.account):
        await socket.disconnect()


async def test_password_reset_closes_every_session_of_the_person(world, topic):
    """The reset view does not log in (post_reset_login is off): every session opened before it ends."""
    person = world["other"]
    a = await open_session(person, topic)
    b = await open_session(person, topic)
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = await sync_to_async(default_token_generator.make_token)(person)
    anonymous = Client()
    page = await sync_to_async(anonymous.get)(f"/konto/haslo/reset/{uid}/{token}/")
    assert page.status_code == 302  # to the set-password address; the token moves into the session
    response = await sync_to_async(anonymous.post)(
        page["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    await assert_closed(a)
    await assert_closed(b)
    await assert_nothing_more(a, b, topic=topic, author=world["author"])
    # A session opened after the reset (the person logs in again) keeps its sockets.
    person = await sync_to_async(get_user_model().objects.get)(pk=person.pk)
    assert person.check_password(NEW_PASSWORD)
    fresh = await open_session(person, topic)
    await assert_still_open(fresh, topic=topic, author=world["author"])
    await fresh.topic.disconnect()
    await fresh.account.disconnect()


async def test_password_change_by_the_changepassword_command_closes_every_session(world, topic, monkeypatch):
    from django.contrib.auth.management.commands import changepassword

    person = world["other"]
    a = await open_session(person, topic)
    monkeypatch.setattr(changepassword.Command, "_get_pass", lambda self, prompt="": NEW_PASSWORD)
    await sync_to_async(call_command)("changepassword", person.email, stdout=io.StringIO())
    await assert_closed(a)
    await assert_nothing_more(a, topic=topic, author=world["author"])


async def test_password_change_by_an_administrator_in_wagtail_closes_the_persons_sockets(world, topic):
    person = world["other"]
    a = await open_session(person, topic)
    admin_session = await open_session(world["admin"], topic)
    data = {
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "is_active": "on",
    }
    response = await sync_to_async(admin_session.client.post)(f"/admin/users/edit/{person.pk}/", data)
    assert response.status_code == 302
    assert await sync_to_async(lambda: get_user_model().objects.get(pk=person.pk).check_password(NEW_PASSWORD))()
    await assert_closed(a)
    await assert_still_open(admin_session, topic=topic, author=world["author"])
    await admin_session.topic.disconnect()
    await admin_session.account.disconnect()


async def test_saving_a_person_without_changing_the_password_closes_nothing(world, topic):
    person = world["other"]
    a = await open_session(person, topic)
    fresh = await sync_to_async(get_user_model().objects.get)(pk=person.pk)
    fresh.first_name = "Łucjan"
    await sync_to_async(fresh.save)()
    await assert_still_open(a, topic=topic, author=world["author"])
    await a.topic.disconnect()
    await a.account.disconnect()


# --- a session that ends on the server ---------------------------------------------------------------


async def test_session_deleted_on_the_server_closes_its_sockets_on_the_next_message(world, topic):
    person = world["other"]
    a = await open_session(person, topic, forum=world["forum"])
    b = await open_session(person, topic)
    await sync_to_async(delete_session)(a.client)
    for socket in (a.topic, a.forum):
        await socket.send_json_to({"type": "ping"})
        assert await close_code(socket) == CLOSE_SESSION_ENDED
    await a.account.send_json_to({"type": "ping"})
    assert await account_close_code(a.account) == CLOSE_SESSION_ENDED
    await assert_still_open(b, topic=topic, author=world["author"])  # the other session is untouched
    await b.topic.disconnect()
    await b.account.disconnect()


async def test_session_deleted_on_the_server_refuses_a_post_sent_on_its_socket(world, topic):
    a = await open_session(world["other"], topic)
    await sync_to_async(delete_session)(a.client)
    await a.topic.send_json_to(post_message("Wpis z wylogowanej sesji"))
    assert await close_code(a.topic) == CLOSE_SESSION_ENDED
    assert await sync_to_async(topic.posts.count)() == 1
    await a.account.disconnect()


async def test_expired_session_closes_its_socket_on_the_next_message(world, topic):
    a = await open_session(world["other"], topic)

    def expire():
        store = import_module(settings.SESSION_ENGINE).SessionStore(session_key_of(a.client))
        store.set_expiry(-10)
        store.save()

    await sync_to_async(expire)()
    await a.topic.send_json_to({"type": "resync", "after": 0})
    assert await close_code(a.topic) == CLOSE_SESSION_ENDED
    await a.account.disconnect()


async def test_session_deleted_on_the_server_closes_a_silent_socket_at_the_periodic_recheck(world, topic, settings):
    settings.EXCHANGE_GROUPS_SOCKET_SESSION_RECHECK_SECONDS = 0.3
    a = await open_session(world["other"], topic, forum=world["forum"])
    await sync_to_async(delete_session)(a.client)
    assert await close_code(a.topic, timeout=2) == CLOSE_SESSION_ENDED
    assert await close_code(a.forum, timeout=2) == CLOSE_SESSION_ENDED
    assert await account_close_code(a.account, timeout=2) == CLOSE_SESSION_ENDED


async def test_periodic_recheck_keeps_a_valid_session_open(world, topic, settings):
    settings.EXCHANGE_GROUPS_SOCKET_SESSION_RECHECK_SECONDS = 0.2
    a = await open_session(world["other"], topic)
    assert await nothing_but_chatter(a.topic, timeout=0.8) is True
    await assert_still_open(a, topic=topic, author=world["author"])
    await a.topic.disconnect()
    await a.account.disconnect()
