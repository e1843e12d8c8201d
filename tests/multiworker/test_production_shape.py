"""Two daphne workers sharing a Redis channel layer, PostgreSQL as the truth (DESIGN.md, "Real-time forums").

Each test checks by post ids that every reader ends up with exactly the posts the database holds: a post made
through worker A reaches a reader on worker B; a reader whose worker is killed reconnects to the other and
misses nothing; a Redis killed and restarted mid-run loses no post (readers resync); a reader that never reads
does not hold up the others.
"""

import asyncio
import time

import pytest

from forums.models import Post
from tests.live_client import LiveReader, Writer
from tests.multiworker.conftest import ORIGIN, session_cookie

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def post_ids(topic) -> set[int]:
    return set(Post.objects.filter(topic=topic).values_list("pk", flat=True))


async def settle(readers, expected: set[int], timeout: float = 20) -> None:
    """Wait until every reader holds every expected post (or the timeout: the assertion then shows what is missing)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(expected <= set(reader.posts) for reader in readers):
            return
        await asyncio.sleep(0.1)


def test_post_made_through_worker_a_reaches_a_reader_on_worker_b(cluster, discussion):
    worker_a, worker_b = cluster
    topic = discussion["topic"]
    writer_cookie = session_cookie(discussion["writer"])
    reader_cookie = session_cookie(discussion["readers"][0])

    async def scenario():
        reader = LiveReader([worker_b.ws_url], topic.pk, reader_cookie, ORIGIN, last_seq=topic.last_seq)
        reader.start()
        await asyncio.wait_for(reader.connected.wait(), 15)
        writer = Writer([worker_a.ws_url], topic.pk, writer_cookie, ORIGIN)
        made = [await writer.post(f"Wpis przez worker A nr {n}") for n in range(5)]
        await writer.close()
        await settle([reader], set(made))
        await reader.stop()
        return reader, made

    reader, made = asyncio.run(scenario())
    assert set(made) <= set(reader.posts), f"missing on worker B: {set(made) - set(reader.posts)}"
    assert set(reader.posts) == post_ids(topic) - {topic.posts.order_by("seq").first().pk}
    assert reader.posts[made[-1]]["body_html"].strip() == "<p>Wpis przez worker A nr 4</p>"
    # Delivered live, not only by the resync on connect: a single connection saw them all.
    assert reader.connects == 1


def test_reader_whose_worker_is_killed_reconnects_to_the_other_and_misses_nothing(cluster, discussion):
    worker_a, worker_b = cluster
    topic = discussion["topic"]
    writer_cookie = session_cookie(discussion["writer"])
    cookies = [session_cookie(reader) for reader in discussion["readers"]]
    expected: set[int] = set()

    async def scenario():
        readers = [LiveReader([worker_b.ws_url, worker_a.ws_url], topic.pk, c, ORIGIN) for c in cookies]
        for reader in readers:
            reader.start()
        await asyncio.wait_for(asyncio.gather(*(r.connected.wait() for r in readers)), 15)
        writer = Writer([worker_a.ws_url], topic.pk, writer_cookie, ORIGIN)
        for number in range(12):
            if number == 4:
                worker_b.kill()  # SIGKILL: every reader's connection drops mid-stream
            await writer.post(f"Wpis {number}")
            await asyncio.sleep(0.05)
        await writer.close()
        expected.update(await asyncio.to_thread(post_ids, topic))
        await settle(readers, expected)
        for reader in readers:
            await reader.stop()
        return readers

    readers = asyncio.run(scenario())
    assert len(expected) == 13
    for reader in readers:
        assert set(reader.posts) == expected, f"missing {expected - set(reader.posts)}"
        assert reader.connects >= 2  # it really lost its worker and came back through the other


def test_redis_killed_and_restarted_mid_run_loses_no_post(cluster, discussion, redis_server):
    worker_a, worker_b = cluster
    topic = discussion["topic"]
    writer_cookie = session_cookie(discussion["writer"])
    cookies = [session_cookie(reader) for reader in discussion["readers"]]
    expected: set[int] = set()

    async def scenario():
        urls = [[worker_a.ws_url, worker_b.ws_url], [worker_b.ws_url, worker_a.ws_url], [worker_b.ws_url]]
        readers = [LiveReader(u, topic.pk, c, ORIGIN) for u, c in zip(urls, cookies, strict=True)]
        for reader in readers:
            reader.start()
        await asyncio.wait_for(asyncio.gather(*(r.connected.wait() for r in readers)), 15)
        writer = Writer([worker_a.ws_url, worker_b.ws_url], topic.pk, writer_cookie, ORIGIN)
        for number in range(15):
            if number == 5:
                redis_server.kill()  # the channel layer and the cache vanish; PostgreSQL keeps every post
            if number == 9:
                redis_server.start()
            await writer.post(f"Wpis w czasie awarii Redis nr {number}")
            await asyncio.sleep(0.1)
        await writer.close()
        ids = await asyncio.to_thread(post_ids, topic)
        expected.update(ids)
        await settle(readers, expected, timeout=30)
        for reader in readers:
            await reader.stop()
        return readers

    readers = asyncio.run(scenario())
    assert len(expected) == 16  # the first post and fifteen replies, each exactly once (idempotent retries)
    for reader in readers:
        assert set(reader.posts) == expected, f"missing {expected - set(reader.posts)}"


def test_a_reader_that_never_reads_does_not_slow_the_others(cluster, discussion):
    worker_a, worker_b = cluster
    topic = discussion["topic"]
    writer_cookie = session_cookie(discussion["writer"])
    stuck_cookie, *cookies = [session_cookie(reader) for reader in discussion["readers"]]

    async def scenario():
        import websockets

        # A client that connects and then never reads a byte: its socket buffers fill up on worker B.
        stuck = await websockets.connect(
            f"{worker_b.ws_url}/ws/fora/watki/{topic.pk}/",
            additional_headers={"Cookie": stuck_cookie, "Origin": ORIGIN},
            max_queue=1,
            ping_interval=None,
        )
        stuck.transport.pause_reading()
        readers = [LiveReader([worker_b.ws_url], topic.pk, c, ORIGIN) for c in cookies]
        for reader in readers:
            reader.start()
        await asyncio.wait_for(asyncio.gather(*(r.connected.wait() for r in readers)), 15)
        writer = Writer([worker_a.ws_url], topic.pk, writer_cookie, ORIGIN)
        big = "Długi wpis o subwencji oświatowej. " * 300  # ~10 kB per event, to fill the stuck socket's buffers
        made = []
        for number in range(40):
            made.append(await writer.post(f"{number}: {big}"))
        await writer.close()
        await settle(readers, set(made), timeout=20)
        latest = {reader.name: max(reader.first_seen.get(pk, float("inf")) for pk in made) for reader in readers}
        for reader in readers:
            await reader.stop()
        stuck.transport.abort()
        return readers, made, writer, latest

    readers, made, writer, latest = asyncio.run(scenario())
    for reader in readers:
        assert set(made) <= set(reader.posts), f"missing {set(made) - set(reader.posts)}"
        assert reader.connects == 1  # delivered live on one connection, not rescued by reconnects
