"""Publishing: a change of a post reaches the topic's group only after the transaction commits."""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import channel_layers, get_channel_layer
from django.db import transaction

from forums import publisher, services
from forums.realtime import topic_group


@pytest.fixture
def layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    channel_layers.backends.clear()
    yield get_channel_layer()
    channel_layers.backends.clear()


def join(layer, topic_id: int) -> str:
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(topic_group(topic_id), channel)
    return channel


def receive(layer, channel: str, timeout: float = 0.5):
    async def get():
        try:
            return await asyncio.wait_for(layer.receive(channel), timeout)
        except TimeoutError:
            return None

    return async_to_sync(get)()


@pytest.mark.django_db(transaction=True)
def test_publisher_event_arrives_after_commit(layer):
    channel = join(layer, 7)
    event = publisher.build_event("created", topic_id=7, seq=3, post_id=11)
    with transaction.atomic():
        publisher.publish_after_commit(event)
        assert receive(layer, channel, timeout=0.05) is None  # not before the commit
    assert receive(layer, channel) == {"type": "post.created", "topic_id": 7, "seq": 3, "post_id": 11}


@pytest.mark.django_db(transaction=True)
def test_publisher_nothing_is_sent_when_the_transaction_rolls_back(layer):
    channel = join(layer, 7)
    with pytest.raises(RuntimeError), transaction.atomic():
        publisher.publish_after_commit(publisher.build_event("created", topic_id=7, seq=3, post_id=11))
        raise RuntimeError("rollback")
    assert receive(layer, channel) is None


def test_publisher_reply_announces_created_with_its_seq(layer, topic, world, django_capture_on_commit_callbacks):
    channel = join(layer, topic.pk)
    with django_capture_on_commit_callbacks(execute=True):
        reply, _is_new = services.create_post(world["other"], topic, "Odpowiedź **pogrubiona**")
    event = receive(layer, channel)
    post = event.pop("post")
    assert event == {"type": "post.created", "topic_id": topic.pk, "seq": 2, "post_id": reply.pk}
    # The event carries the post as readers see it (read once, after the commit), never the Markdown source.
    assert post["id"] == reply.pk and post["seq"] == 2 and post["author"] == "Łukasz Wójcik"
    assert post["body_html"].strip() == "<p>Odpowiedź <strong>pogrubiona</strong></p>"
    assert "**" not in str(post)


def test_publisher_edit_announces_edited(layer, topic, world, django_capture_on_commit_callbacks):
    post = topic.posts.get()
    channel = join(layer, topic.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_post(world["author"], post, "Nowa treść")
    event = receive(layer, channel)
    payload = event.pop("post")
    assert event == {"type": "post.edited", "topic_id": topic.pk, "seq": 2, "post_id": post.pk}
    assert payload["body_html"].strip() == "<p>Nowa treść</p>" and payload["edited_at"] is not None
    assert payload["changed_seq"] == 2


def test_publisher_hidden_post_event_carries_no_body(layer, topic, world, django_capture_on_commit_callbacks):
    reply, _is_new = services.create_post(world["other"], topic, "Treść do ukrycia")
    channel = join(layer, topic.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.set_hidden(world["coordinator"], reply, True)
    event = receive(layer, channel)
    assert event["type"] == "post.hidden" and event["post"]["hidden"] is True
    assert event["post"]["body_html"] == "" and "Treść do ukrycia" not in str(event)


def test_publisher_refused_post_announces_nothing(layer, topic, world, settings, django_capture_on_commit_callbacks):
    settings.FORUMS_MAX_POST_CHARS = 5
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(services.ForumError):
        services.create_post(world["other"], topic, "za długi tekst")
    assert callbacks == []
