"""The JSON shapes live clients receive: one definition for the socket, the publisher and the resync endpoint."""

from django.urls import reverse

from .models import Post, Topic


def post_payload(post: Post) -> dict:
    """A post as the live client shows it. A hidden post carries no body (its place and number stay)."""
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
        "like_count": getattr(post, "like_count", 0),
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
