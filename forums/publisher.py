"""Announcing committed changes to live clients: the only place the forums talk to the channel layer.

An event is small on purpose: it tells a client that something changed at `seq`; the client fetches the
post (or everything after its last seq) from the resync endpoint. The layer delivers at most once, so a lost
event costs latency, never a post.

Event types (a consumer method per type, Channels style: "post.created" → `post_created`):
"post.created", "post.edited", "post.hidden", "post.restored".
"""

from typing import TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from .realtime import forum_group, topic_group


class PostEventMessage(TypedDict):
    type: str
    topic_id: int
    seq: int
    post_id: int


def build_event(kind: str, *, topic_id: int, seq: int, post_id: int) -> PostEventMessage:
    """kind: "created", "edited", "hidden" or "restored" (a PostEventKind value)."""
    return {"type": f"post.{kind}", "topic_id": int(topic_id), "seq": int(seq), "post_id": int(post_id)}


def send_now(event: PostEventMessage) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(topic_group(event["topic_id"]), dict(event))


def publish_after_commit(event: PostEventMessage) -> None:
    """Send the event to the topic's group once the current transaction commits (never on rollback)."""
    # robust: a channel layer that is down costs a live update, never the request (clients resync).
    transaction.on_commit(lambda: send_now(event), robust=True)


class TopicChangedMessage(TypedDict):
    type: str  # "topic.changed"
    topic_id: int
    forum_id: int


def publish_topic_changed(topic) -> None:
    """Tell readers of the topic and of its forum that the topic itself changed (a new topic, a reply count,
    pinned, locked, moved, deleted). Like post events, the message only names the topic: each consumer reads
    the current state from the database and checks access. Call inside the transaction of the change.
    """
    forum_id = topic.category.forum_id
    event: TopicChangedMessage = {"type": "topic.changed", "topic_id": int(topic.pk), "forum_id": int(forum_id)}

    def send():
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(topic_group(event["topic_id"]), dict(event))
            async_to_sync(layer.group_send)(forum_group(event["forum_id"]), dict(event))

    transaction.on_commit(send, robust=True)
