"""The JSON shapes live clients receive: one definition for the socket, the publisher and the resync endpoint.

- `post_payload` / `topic_payload`: a post, a topic as a live client shows them;
- `event_with_post`: a publisher event carrying its post (what every reader of the topic may see);
- `event_message`: the client message for such an event (`post.created`, `post.edited`, ...), `gap_message`
  when its post is gone;
- `resync_payload`: the answer to "everything after seq N", the same on the socket and over HTTP.

Likes are counted one way: `with_like_count` (an annotation) on every query whose posts become payloads or
pages; a post just written carries `like_count = 0` (set as the services write it). Payloads carry only the
sanitized `body_html`, never the Markdown source, and no body for a hidden post.
"""

from django.db.models import Count, QuerySet
from django.urls import reverse

from .models import Post, Topic
from .permissions import can_read_topic

RESYNC_LIMIT = 200


def with_like_count(posts: QuerySet) -> QuerySet:
    """The posts with `like_count`: the one way the forums count a post's likes."""
    return posts.annotate(like_count=Count("likes", distinct=True))


def post_payload(post: Post) -> dict:
    """A post as the live client shows it. A hidden post carries no body (its place and number stay).

    `post.like_count` must be there: read through `with_like_count`, or 0 on a post just written."""
    return {
        "id": post.pk,
        "seq": post.seq,
        "changed_seq": post.changed_seq,
        "author": (post.author.get_full_name() or "") if post.author else "",
        "author_id": post.author_id,
        "created_at": post.created_at.isoformat(),
        "edited_at": post.edited_at.isoformat() if post.edited_at else None,
        "hidden": post.hidden,
        "body_html": "" if post.hidden else post.body_html,
        "like_count": post.like_count,
        "url": reverse("forums:post", kwargs={"post_id": post.pk}),
    }


def topic_payload(topic: Topic) -> dict:
    """What a live client shows of a topic beyond its posts (its row in a forum list, its reply form)."""
    return {
        "id": topic.pk,
        "title": topic.title,
        "post_count": topic.post_count,
        "reply_count": max(0, topic.post_count - 1),
        "last_post_at": topic.last_post_at.isoformat(),
        "pinned": topic.pinned,
        "locked": topic.locked,
        "category_id": topic.category_id,
        "url": topic.get_absolute_url(),
    }


# --- post events -------------------------------------------------------------------------------------


def event_with_post(event: dict, post: Post | None = None) -> dict:
    """The publisher event (`topic_id`, `seq`, `post_id`) with its post's payload under "post".

    `post`: a post just written, announced as it stands (no read-back). Otherwise the post is read now (after
    the commit, so it is what a resync would return). The event is returned unchanged when the post is gone.
    """
    if post is None:
        post = (
            with_like_count(Post.objects.select_related("author"))
            .filter(pk=event["post_id"], topic_id=event["topic_id"])
            .first()
        )
        if post is None:
            return event
    return {**event, "post": post_payload(post)}


def event_message(event: dict) -> dict | None:
    """The client message for a publisher event that carries its post (no database work), else None."""
    if "post" not in event:
        return None
    return {"type": event["type"], "topic_id": event["topic_id"], "seq": event["seq"], "post": event["post"]}


def gap_message(event: dict) -> dict:
    """The client message for an event whose post is gone: the client resyncs from its last seq."""
    return {"type": "gap", "topic_id": event["topic_id"], "seq": event["seq"]}


# --- resync ------------------------------------------------------------------------------------------


def posts_after(topic: Topic, seq: int, limit: int = RESYNC_LIMIT) -> list[Post]:
    """Posts changed after `seq`, oldest change first (at most `limit`)."""
    posts = topic.posts.select_related("author").filter(changed_seq__gt=seq)
    return list(with_like_count(posts).order_by("changed_seq")[:limit])


def resync_payload(topic: Topic, after: int, viewer) -> dict | None:
    """What a client that saw the topic up to seq `after` needs, or None when `viewer` may not read the topic.

    The posts changed since (oldest change first, at most RESYNC_LIMIT), `last_seq` to continue from and
    `complete` (False: ask again from `last_seq`). The topic's seq is read before its posts, so `last_seq`
    never passes a post the answer lacks (a post committed in between comes again in its live event).
    """
    if not can_read_topic(viewer, topic):
        return None
    topic.refresh_from_db(fields=["last_seq"])
    posts = posts_after(topic, after, RESYNC_LIMIT)
    complete = len(posts) < RESYNC_LIMIT
    return {
        "type": "resync",
        "topic_id": topic.pk,
        "after": after,
        "last_seq": topic.last_seq if complete else posts[-1].changed_seq,
        "complete": complete,
        "posts": [post_payload(post) for post in posts],
    }
