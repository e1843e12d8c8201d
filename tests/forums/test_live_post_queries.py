"""The live posting path over the socket costs a small, constant number of SQL statements before the ack.

The socket does all its database work for a post in one call on the worker's database thread
(`live.submit_post_in_session`: the session check, the rules, the writing); the ack is sent when it returns.
The statements of that call are counted, after one warm-up post.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forums import live
from forums.models import Post, TopicReadMark
from tests.forums.test_live_socket import (  # noqa: F401 - the autouse fixture resets layer and cache
    _fresh_layer_and_cache,
    collect,
    connect,
    post_message,
    receive,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

# What the socket does before it answers a new post, one statement each:
#  1. the session (exchange_groups.accounts.socket_sessions: the session row, the login still current)
#  2. the person, read fresh by the session check (active, the password the session was signed with);
#     the same object posts: not read again
#  3. the topic with its category, forum and space (one join; no lazy load later)
#  4. the idempotency look-up (author, client_msg_id), once
#  5. the person's membership of the space and the sanctions in force there, in one statement (the right to
#     post, which includes reading)
#  6. the topic's seq, post count and last post time, taken in one UPDATE ... RETURNING (which locks the row,
#     and answers whether the topic is still open)
#  7. the post
#  8. the PostEvent (the log resync reads)
#  9. the read mark, written without a read (INSERT ... ON CONFLICT DO UPDATE)
# Not before the ack: the notifications (queued after it for the background worker), the readers' check.
POST_PATH_STATEMENTS = 9


@pytest.fixture
def counted_posting(monkeypatch):
    """The statements of each posting call of the socket, one list per post."""
    calls = []
    original = live.submit_post_in_session

    def counting(*args, **kwargs):
        with CaptureQueriesContext(connection) as queries:
            answer = original(*args, **kwargs)
        # BEGIN and COMMIT (which Django lists too) are the transaction's edges, not statements of the work.
        calls.append([query["sql"] for query in queries.captured_queries if query["sql"] not in ("BEGIN", "COMMIT")])
        return answer

    monkeypatch.setattr(live, "submit_post_in_session", counting)
    return calls


async def post_and_wait_for_ack(communicator, body):
    await communicator.send_json_to(post_message(body))
    while (answer := await receive(communicator))["type"] != "post.ack":
        pass
    await collect(communicator)  # what follows the ack (the post's own event) settles
    return answer


async def test_live_post_costs_a_constant_number_of_statements_before_the_ack(world, topic, counted_posting):
    socket, _client, _hello = await connect(world["other"], topic.pk)
    await post_and_wait_for_ack(socket, "Rozgrzewka.")  # a first post loads what a worker loads once
    answer = await post_and_wait_for_ack(socket, "Drugi wpis: **subwencja** i dowozy.")
    statements = counted_posting[-1]
    assert answer["type"] == "post.ack"
    assert len(statements) <= POST_PATH_STATEMENTS, "\n".join(statements)
    # No reload, no read of the read mark, nothing of the notifications before the ack.
    assert sum('FROM "exchange_groups_user"' in sql for sql in statements) == 1
    assert sum('FROM "forums_post"' in sql for sql in statements) == 1  # the idempotency look-up
    assert not any("forums_topicreadmark" in sql and sql.lstrip().upper().startswith("SELECT") for sql in statements)
    assert not any("notifications_" in sql for sql in statements)
    post = await Post.objects.aget(pk=answer["post_id"])
    mark = await TopicReadMark.objects.aget(user=world["other"], topic=topic)
    assert mark.last_read_seq == post.seq
    await socket.disconnect()
