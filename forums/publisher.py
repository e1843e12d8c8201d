"""Announcing committed changes to live clients: the only place the forums talk to the channel layer.

A post event names the change (`topic_id`, `seq`, `post_id`) and, once the transaction has committed, carries
the post as every reader sees it (`post`: the sanitized HTML, never the Markdown source; no body for a hidden
post). The post is read once here instead of once per reader: with hundreds of readers per topic the
per-reader database reads were the cost of a broadcast. Each consumer still decides whether its person may
receive it (see consumers.TopicConsumer). The layer delivers at most once, so a lost event costs latency,
never a post: clients resync by seq.

Event types (a consumer method per type, Channels style: "post.created" → `post_created`):
"post.created", "post.edited", "post.hidden", "post.restored".
"""

from typing import TypedDict

from oswiata_kit.on_commit import group_send_on_commit

from .realtime import forum_group, topic_group


class PostEventMessage(TypedDict, total=False):
    type: str
    topic_id: int
    seq: int
    post_id: int
    post: dict  # payloads.post_payload, added at send time


def build_event(kind: str, *, topic_id: int, seq: int, post_id: int) -> PostEventMessage:
    """kind: "created", "edited", "hidden" or "restored" (a PostEventKind value)."""
    return {"type": f"post.{kind}", "topic_id": int(topic_id), "seq": int(seq), "post_id": int(post_id)}


def with_payload(event: PostEventMessage) -> PostEventMessage:
    """The event with the post's current payload (read after the commit, so it is what resync would return)."""
    from .payloads import event_with_post

    return event_with_post(event)


def ready_event(event: PostEventMessage, post=None) -> PostEventMessage:
    """The event as it is sent, after the commit: with the payload of `post` (a new post) or read back."""
    if post is not None:
        from .payloads import post_payload

        return {**event, "post": post_payload(post)}
    return with_payload(event)


def publish_after_commit(event: PostEventMessage, post=None) -> None:
    """Send the event to the topic's group once the current transaction commits (never on rollback).

    `post`: the committed post as it stands (a new post), to announce without reading it back.
    """
    # robust: a channel layer that is down costs a live update, never the request (clients resync).
    group_send_on_commit(topic_group(event["topic_id"]), lambda: ready_event(event, post))


class TopicChangedMessage(TypedDict):
    type: str  # "topic.changed"
    topic_id: int
    forum_id: int


def publish_topic_changed(topic, *, forum_only: bool = False) -> None:
    """Tell readers of the topic and of its forum that the topic itself changed (pinned, locked, moved,
    deleted, restored) — or, with `forum_only`, only the forum's readers (a new topic, a new reply count:
    the topic's own readers learn of a reply from its post event). The message names the topic; each consumer
    reads the current state from the database and checks access. Call inside the transaction of the change.
    """
    forum_id = topic.category.forum_id
    event: TopicChangedMessage = {"type": "topic.changed", "topic_id": int(topic.pk), "forum_id": int(forum_id)}
    if not forum_only:
        group_send_on_commit(topic_group(event["topic_id"]), event)
    group_send_on_commit(forum_group(event["forum_id"]), event)
