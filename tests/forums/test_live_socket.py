"""The topic socket through the site's real ASGI stack: access, live posts, posting, flood control, resync."""

import json
import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.layers import channel_layers, get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from exchange_groups.accounts.realtime import (
    CLOSE_FORBIDDEN,
    CLOSE_SESSION_ENDED,
    CLOSE_UNAUTHENTICATED,
    user_group_name,
)
from exchange_groups.models import Membership
from exchange_groups.spaces import services as membership
from forums import services
from forums.models import Post
from oswiata_site.asgi import application

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

SKIPPED = {"presence", "typing"}


@pytest.fixture(autouse=True)
def _fresh_layer_and_cache():
    channel_layers.backends.clear()
    cache.clear()
    yield
    channel_layers.backends.clear()
    cache.clear()


def logged_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def cookie_of(client: Client) -> str:
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def open_socket(topic_id, cookie=None):
    headers = [(b"origin", b"http://127.0.0.1:8000"), (b"host", b"127.0.0.1:8000")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    communicator = WebsocketCommunicator(application, f"/ws/fora/watki/{topic_id}/", headers=headers)
    connected, code = await communicator.connect(timeout=3)
    return communicator, connected, code


async def connect(user, topic_id):
    """An open socket of the logged-in person, past its hello; returns (communicator, client, hello)."""
    client = await sync_to_async(logged_in_client)(user)
    communicator, connected, code = await open_socket(topic_id, cookie_of(client))
    assert connected, code
    hello = await receive(communicator)
    return communicator, client, hello


async def receive(communicator, timeout=2, skip=SKIPPED):
    """The next message that is not presence/typing chatter."""
    while True:
        message = await communicator.receive_json_from(timeout=timeout)
        if message.get("type") not in skip:
            return message


async def close_code(communicator, timeout=2):
    """The close code the socket got, skipping messages sent before it."""
    while True:
        output = await communicator.receive_output(timeout=timeout)
        if output["type"] == "websocket.close":
            return output.get("code")
        assert json.loads(output["text"])["type"] in SKIPPED, output


async def nothing_but_chatter(communicator, timeout=0.3) -> bool:
    """True when nothing but presence/typing chatter arrives (and the socket is not closed) within `timeout`."""
    while not await communicator.receive_nothing(timeout=timeout):
        output = await communicator.receive_output()
        if output["type"] != "websocket.send" or json.loads(output["text"])["type"] not in SKIPPED:
            return False
    return True


async def collect(communicator, timeout=0.3) -> list[dict]:
    """Every message that arrives until the socket has been quiet for `timeout`."""
    messages = []
    while not await communicator.receive_nothing(timeout=timeout):
        messages.append(await communicator.receive_json_from())
    return messages


def post_message(body="Dzień dobry", client_msg_id=None, quoted_post=None):
    return {
        "type": "post",
        "body": body,
        "client_msg_id": str(client_msg_id or uuid.uuid4()),
        "quoted_post": quoted_post,
    }


async def count_posts(topic):
    return await sync_to_async(Post.objects.filter(topic=topic).count)()


# --- access ------------------------------------------------------------------------------------------


async def test_live_anonymous_socket_is_closed_with_4401(topic):
    communicator, connected, code = await open_socket(topic.pk)
    assert connected is False
    assert code == CLOSE_UNAUTHENTICATED


async def test_live_non_member_of_private_space_is_closed_with_4403(world, private_topic):
    client = await sync_to_async(logged_in_client)(world["outsider"])
    communicator, connected, code = await open_socket(private_topic.pk, cookie_of(client))
    assert connected is False
    assert code == CLOSE_FORBIDDEN


async def test_live_unknown_topic_is_closed_with_4403(world):
    client = await sync_to_async(logged_in_client)(world["author"])
    communicator, connected, code = await open_socket(999999, cookie_of(client))
    assert connected is False
    assert code == CLOSE_FORBIDDEN


async def test_live_member_receives_hello_with_the_topics_last_seq(world, topic):
    await sync_to_async(services.create_post)(world["other"], topic, "Druga wypowiedź")
    communicator, _client, hello = await connect(world["author"], topic.pk)
    assert hello == {"type": "hello", "last_seq": 2}
    await communicator.disconnect()


# --- live posts --------------------------------------------------------------------------------------


async def test_live_new_post_reaches_connected_reader_with_seq_and_sanitized_html(world, topic):
    reader, _client, _hello = await connect(world["author"], topic.pk)
    post, _is_new = await sync_to_async(services.create_post)(
        world["other"], topic, "**Ważne** <script>alert(1)</script><img src=x onerror=alert(2)>"
    )
    message = await receive(reader)
    assert message["type"] == "post.created"
    assert message["seq"] == 2
    assert message["post"]["id"] == post.pk
    assert message["post"]["author"] == "Łukasz Wójcik"
    assert "<strong>Ważne</strong>" in message["post"]["body_html"]
    assert "<script" not in message["post"]["body_html"]
    assert "<img" not in message["post"]["body_html"]
    assert "body_source" not in message["post"]
    await reader.disconnect()


async def test_live_hidden_post_is_announced_without_its_content(world, topic):
    post, _is_new = await sync_to_async(services.create_post)(world["other"], topic, "Do ukrycia")
    reader, _client, _hello = await connect(world["author"], topic.pk)
    await sync_to_async(services.set_hidden)(world["coordinator"], post, True)
    message = await receive(reader)
    assert message["type"] == "post.hidden"
    assert message["post"]["hidden"] is True
    assert message["post"]["body_html"] == ""
    await reader.disconnect()


async def test_live_removed_member_is_closed_within_2s_and_gets_no_later_event(world, topic):
    reader, _client, _hello = await connect(world["other"], topic.pk)
    member = await sync_to_async(Membership.objects.get)(space=world["space"], user=world["other"], until__isnull=True)
    await sync_to_async(membership.remove_member)(world["coordinator"], member, "Koniec udziału w projekcie")
    assert await close_code(reader, timeout=2) == CLOSE_FORBIDDEN
    await sync_to_async(services.create_post)(world["author"], topic, "Po usunięciu")
    assert await reader.receive_nothing(timeout=0.5) is True


async def test_live_member_whose_membership_ended_gets_no_post_event(world, topic):
    reader, _client, _hello = await connect(world["other"], topic.pk)
    # Membership ended without the per-user close event (as if the layer lost it): the event is not forwarded.
    await sync_to_async(Membership.objects.filter(space=world["space"], user=world["other"]).update)(
        until=timezone.now()
    )
    await sync_to_async(services.create_post)(world["author"], topic, "Tajemnica zespołu")
    assert await close_code(reader) == CLOSE_FORBIDDEN


async def test_live_logout_closes_the_topic_socket(world, topic):
    reader, client, _hello = await connect(world["author"], topic.pk)
    await sync_to_async(client.post)("/konto/wylogowanie/")
    assert await close_code(reader) == CLOSE_SESSION_ENDED


async def test_live_close_for_another_space_leaves_the_socket_open(world, topic):
    reader, _client, _hello = await connect(world["author"], topic.pk)
    await get_channel_layer().group_send(
        user_group_name(world["author"].pk),
        {"type": "sockets.close", "code": CLOSE_FORBIDDEN, "space_id": world["private"].pk},
    )
    assert await nothing_but_chatter(reader) is True
    await reader.send_json_to({"type": "resync", "after": 0})
    assert (await receive(reader))["type"] == "resync"
    await reader.disconnect()


# --- posting -----------------------------------------------------------------------------------------


async def test_live_posting_is_acknowledged_and_reaches_the_author_too(world, topic):
    writer, _client, _hello = await connect(world["other"], topic.pk)
    client_msg_id = uuid.uuid4()
    await writer.send_json_to(post_message("Odpowiedź przez gniazdo", client_msg_id))
    messages = [await receive(writer), await receive(writer)]
    ack = next(m for m in messages if m["type"] == "post.ack")
    created = next(m for m in messages if m["type"] == "post.created")
    assert ack["client_msg_id"] == str(client_msg_id)
    assert ack["seq"] == 2
    assert created["post"]["id"] == ack["post_id"]
    await writer.disconnect()


async def test_live_posting_twice_with_the_same_client_msg_id_makes_one_post(world, topic):
    writer, _client, _hello = await connect(world["other"], topic.pk)
    client_msg_id = uuid.uuid4()
    await writer.send_json_to(post_message("Raz", client_msg_id))
    first = await receive(writer, skip=SKIPPED | {"post.created"})
    await writer.send_json_to(post_message("Raz", client_msg_id))
    second = await receive(writer, skip=SKIPPED | {"post.created"})
    assert first["type"] == "post.ack"
    assert second == first
    assert await count_posts(topic) == 2  # the first post of the topic and this one
    await writer.disconnect()


async def test_live_retry_with_a_known_client_msg_id_costs_no_rate_limit_slot(world, topic, settings):
    settings.FORUMS_POSTS_PER_MINUTE = 1
    writer, _client, _hello = await connect(world["other"], topic.pk)
    client_msg_id = uuid.uuid4()
    answers = []
    for _attempt in range(3):
        await writer.send_json_to(post_message("Raz", client_msg_id))
        answers.append(await receive(writer, skip=SKIPPED | {"post.created"}))
    assert [answer["type"] for answer in answers] == ["post.ack"] * 3
    assert answers[1] == answers[2] == answers[0]
    await writer.send_json_to(post_message("Dwa"))
    assert (await receive(writer, skip=SKIPPED | {"post.created"}))["code"] == "rate_limited"
    assert await count_posts(topic) == 2
    await writer.disconnect()


async def test_live_client_msg_id_of_a_post_in_another_topic_is_refused(world, topic):
    client_msg_id = uuid.uuid4()
    await sync_to_async(services.create_post)(world["other"], topic, "Raz", client_msg_id=client_msg_id)
    elsewhere = await sync_to_async(services.create_topic)(world["coordinator"], world["category"], "Inny", "Treść")
    writer, _client, _hello = await connect(world["other"], elsewhere.pk)
    await writer.send_json_to(post_message("Raz", client_msg_id))
    answer = await receive(writer)
    assert (answer["type"], answer["code"], answer["client_msg_id"]) == ("error", "bad_request", str(client_msg_id))
    assert await count_posts(elsewhere) == 1
    await writer.disconnect()


async def test_live_oversized_message_is_refused_and_the_connection_stays_open(world, topic, settings):
    settings.FORUMS_MAX_POST_CHARS = 100  # the cap follows the post limit: 100 × 12 bytes + the envelope
    writer, _client, _hello = await connect(world["other"], topic.pk)
    await writer.send_to(text_data=json.dumps(post_message("ż" * 1000)))  # 6,000 bytes of \u017c escapes
    answer = await receive(writer)
    assert answer["type"] == "error"
    assert answer["code"] == "too_large"
    assert answer["message"] == "Wiadomość jest zbyt długa, aby ją wysłać."
    assert await count_posts(topic) == 1
    await writer.send_json_to(post_message("Krótko"))
    assert (await receive(writer, skip=SKIPPED | {"post.created"}))["type"] == "post.ack"
    await writer.disconnect()


POLISH = "zażółć gęślą jaźń ZAŻÓŁĆ GĘŚLĄ JAŹŃ "
ESCAPED = '"\\\t\u2028😀'  # a quote, a backslash, a tab, a line separator, an emoji (two escapes)


@pytest.mark.parametrize(
    ("body", "ensure_ascii"),
    [
        (("ąćęłńóśźż" * 3000)[:20_000], False),  # two bytes a letter, as the page's JSON.stringify sends them
        ((POLISH * 600)[:20_000], True),  # every letter escaped (6 bytes), as json.dumps sends them
        ((ESCAPED * 5000)[:20_000], True),  # every character escaped, the emoji as 12 bytes
        ("😀" * 20_000, True),  # the worst case: 240,000 bytes of escapes
    ],
    ids=["polish-utf8", "polish-escaped", "escaped-characters", "emoji-escaped"],
)
async def test_live_longest_post_the_form_accepts_is_saved_from_the_socket(world, topic, body, ensure_ascii):
    writer, _client, _hello = await connect(world["other"], topic.pk)
    await writer.send_to(text_data=json.dumps(post_message(body), ensure_ascii=ensure_ascii))
    answer = await receive(writer, timeout=10, skip=SKIPPED | {"post.created"})
    assert answer["type"] == "post.ack", answer
    post = await sync_to_async(Post.objects.get)(pk=answer["post_id"])
    assert len(post.body_source) == 20_000
    await writer.disconnect()


async def test_live_post_over_the_forms_limit_is_refused_with_the_forms_message(world, topic):
    writer, _client, _hello = await connect(world["other"], topic.pk)
    await writer.send_to(text_data=json.dumps(post_message("ż" * 20_001)))
    answer = await receive(writer, timeout=10)
    assert answer["type"] == "error"
    assert answer["message"].startswith("Wpis jest za długi")
    assert await count_posts(topic) == 1
    await writer.disconnect()


async def test_live_message_above_the_cap_is_refused_with_the_default_limits(world, topic):
    writer, _client, _hello = await connect(world["other"], topic.pk)
    await writer.send_to(text_data=json.dumps(post_message("😀" * 20_400)))  # 244,800 bytes of escapes
    answer = await receive(writer, timeout=10)
    assert (answer["type"], answer["code"]) == ("error", "too_large")
    assert await count_posts(topic) == 1
    await writer.disconnect()


async def test_live_errors_are_in_polish_by_default(world, topic):
    writer, _client, _hello = await connect(world["other"], topic.pk)
    await writer.send_json_to({**post_message(), "body": None})
    answer = await receive(writer)
    assert answer["message"] == "Proszę wpisać treść wpisu."
    await writer.disconnect()


async def test_live_rate_limit_refuses_after_n_posts_and_another_person_can_still_post(world, topic, settings):
    settings.FORUMS_POSTS_PER_MINUTE = 3
    writer, _client, _hello = await connect(world["other"], topic.pk)
    answers = []
    for n in range(4):
        await writer.send_json_to(post_message(f"Wiadomość {n}"))
        answers.append(await receive(writer, skip=SKIPPED | {"post.created"}))
    assert [a["type"] for a in answers] == ["post.ack", "post.ack", "post.ack", "error"]
    assert answers[3]["code"] == "rate_limited"
    assert await count_posts(topic) == 4
    someone_else, _client2, _hello2 = await connect(world["author"], topic.pk)
    await someone_else.send_json_to(post_message("Ja też"))
    assert (await receive(someone_else, skip=SKIPPED | {"post.created"}))["type"] == "post.ack"
    await writer.disconnect()
    await someone_else.disconnect()


async def test_live_rate_limit_is_per_person_across_sockets(world, topic, settings):
    settings.FORUMS_POSTS_PER_MINUTE = 2
    first, _c1, _h1 = await connect(world["other"], topic.pk)
    second, _c2, _h2 = await connect(world["other"], topic.pk)
    for socket in (first, first):
        await socket.send_json_to(post_message())
        assert (await receive(socket, skip=SKIPPED | {"post.created"}))["type"] == "post.ack"
    await second.send_json_to(post_message())
    answer = await receive(second, skip=SKIPPED | {"post.created"})
    assert answer["code"] == "rate_limited"
    await first.disconnect()
    await second.disconnect()


async def test_live_refused_post_is_answered_with_a_translated_error(world, topic):
    writer, _client, _hello = await connect(world["other"], topic.pk)
    await writer.send_json_to(post_message("   "))
    answer = await receive(writer)
    assert answer["type"] == "error"
    assert answer["message"]
    assert await count_posts(topic) == 1
    await writer.disconnect()


# --- resync and re-checks ----------------------------------------------------------------------------


async def test_live_resync_returns_exactly_the_posts_after_seq(world, topic):
    for n in range(3):
        await sync_to_async(services.create_post)(world["other"], topic, f"Post {n}")
    reader, _client, _hello = await connect(world["author"], topic.pk)
    await reader.send_json_to({"type": "resync", "after": 2})
    answer = await receive(reader)
    assert answer["type"] == "resync"
    assert [post["seq"] for post in answer["posts"]] == [3, 4]
    assert answer["last_seq"] == 4
    assert answer["complete"] is True
    await reader.disconnect()


async def test_live_resync_includes_an_edit_of_an_older_post(world, topic):
    first = await sync_to_async(topic.posts.get)()
    await sync_to_async(services.create_post)(world["other"], topic, "Druga")
    await sync_to_async(services.edit_post)(world["author"], first, "Poprawiona treść")
    reader, _client, _hello = await connect(world["author"], topic.pk)
    await reader.send_json_to({"type": "resync", "after": 2})
    answer = await receive(reader)
    assert [(post["id"], post["changed_seq"]) for post in answer["posts"]] == [(first.pk, 3)]
    await reader.disconnect()


@pytest.mark.parametrize("message", [{"type": "resync", "after": 0}, {"type": "typing"}, post_message()])
async def test_live_every_inbound_message_rechecks_membership(world, topic, message):
    reader, _client, _hello = await connect(world["other"], topic.pk)
    await sync_to_async(Membership.objects.filter(space=world["space"], user=world["other"]).update)(
        until=timezone.now()
    )
    await reader.send_json_to(message)
    assert await close_code(reader) == CLOSE_FORBIDDEN
    assert await count_posts(topic) == 1


# --- presence and typing -----------------------------------------------------------------------------


async def test_live_presence_lists_the_people_reading_the_topic(world, topic):
    first, _c1, _h1 = await connect(world["author"], topic.pk)
    second, _c2, _h2 = await connect(world["other"], topic.pk)
    readers = None
    while readers is None or len(readers) < 2:
        readers = (await first.receive_json_from(timeout=5)).get("readers")
    assert readers == ["Anna Nowak", "Łukasz Wójcik"]
    await second.disconnect()
    while readers != ["Anna Nowak"]:
        readers = (await first.receive_json_from(timeout=5)).get("readers", readers)
    await first.disconnect()


async def test_live_typing_is_relayed_to_others_not_to_the_typist(world, topic):
    first, _c1, _h1 = await connect(world["author"], topic.pk)
    second, _c2, _h2 = await connect(world["other"], topic.pk)
    await second.send_json_to({"type": "typing"})
    message = await receive(first, skip={"presence"})
    assert message == {"type": "typing", "name": "Łukasz Wójcik"}
    assert "typing" not in [message["type"] for message in await collect(second)]
    await first.disconnect()
    await second.disconnect()


# --- read marks ----------------------------------------------------------------------------------------


async def test_live_read_message_moves_the_read_mark_and_bad_input_changes_nothing(world, topic):
    from forums.models import TopicReadMark

    await sync_to_async(services.create_post)(world["author"], topic, "Druga")
    reader, _client, _hello = await connect(world["other"], topic.pk)
    await reader.send_json_to({"type": "read", "seq": "2"})
    assert (await receive(reader))["type"] == "error"
    assert not await sync_to_async(TopicReadMark.objects.filter(user=world["other"]).exists)()
    await reader.send_json_to({"type": "read", "seq": 2})
    await reader.send_json_to({"type": "ping"})
    assert (await receive(reader))["type"] == "pong"
    mark = await sync_to_async(TopicReadMark.objects.get)(user=world["other"], topic=topic)
    assert mark.last_read_seq == 2
    await reader.disconnect()
