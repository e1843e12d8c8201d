"""Payloads: one shape for a post event and for a resync, on the socket and over HTTP, with likes counted once."""

import pytest

from forums import payloads, publisher, services
from forums.models import Post

pytestmark = pytest.mark.django_db


def test_posts_after_returns_exactly_the_changes_after_seq(topic, world):
    second, _is_new = services.create_post(world["other"], topic, "Druga")
    third, _is_new = services.create_post(world["coordinator"], topic, "Trzecia")
    services.edit_post(world["other"], second, "Druga poprawiona")
    assert [p.pk for p in payloads.posts_after(topic, 2)] == [third.pk, second.pk]
    assert payloads.posts_after(topic, 4) == []


def test_payloads_event_read_after_the_commit_counts_each_like_once(topic, world):
    post = topic.posts.get()
    services.like_post(world["other"], post)
    services.like_post(world["coordinator"], post)
    event = publisher.build_event("edited", topic_id=topic.pk, seq=1, post_id=post.pk)
    message = payloads.event_message(payloads.event_with_post(event))
    assert message == {
        "type": "post.edited",
        "topic_id": topic.pk,
        "seq": 1,
        "post": payloads.post_payload(payloads.with_like_count(Post.objects.filter(pk=post.pk)).get()),
    }
    assert message["post"]["like_count"] == 2


def test_payloads_new_post_is_announced_with_no_likes_and_as_a_resync_shows_it(topic, world):
    reply, _is_new = services.create_post(world["other"], topic, "Odpowiedź")
    event = publisher.build_event("created", topic_id=topic.pk, seq=reply.seq, post_id=reply.pk)
    assert payloads.event_with_post(event, reply)["post"] == payloads.event_with_post(event)["post"]
    assert payloads.event_with_post(event, reply)["post"]["like_count"] == 0


def test_payloads_event_of_a_post_that_is_gone_is_a_gap(topic, world):
    event = publisher.build_event("edited", topic_id=topic.pk, seq=5, post_id=987654)
    assert payloads.event_with_post(event) == event
    assert payloads.event_message(event) is None
    assert payloads.gap_message(event) == {"type": "gap", "topic_id": topic.pk, "seq": 5}


def test_payloads_resync_of_a_topic_the_viewer_may_not_read_is_refused(private_topic, world):
    assert payloads.resync_payload(private_topic, 0, world["outsider"]) is None
    assert payloads.resync_payload(private_topic, 0, world["private_member"])["last_seq"] == 1


def test_payloads_resync_past_its_limit_continues_from_the_last_post_it_carries(topic, world, monkeypatch):
    for n in range(3):
        services.create_post(world["other"], topic, f"Wpis {n}")
    monkeypatch.setattr(payloads, "RESYNC_LIMIT", 2)
    answer = payloads.resync_payload(topic, 0, world["author"])
    assert [post["seq"] for post in answer["posts"]] == [1, 2]
    assert (answer["last_seq"], answer["complete"]) == (2, False)
    answer = payloads.resync_payload(topic, 2, world["author"])
    assert [post["seq"] for post in answer["posts"]] == [3, 4]
    assert (answer["last_seq"], answer["complete"]) == (4, False)
    answer = payloads.resync_payload(topic, 4, world["author"])
    assert (answer["posts"], answer["last_seq"], answer["complete"]) == ([], 4, True)
