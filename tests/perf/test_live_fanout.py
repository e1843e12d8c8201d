"""Benchmark: post → screen latency of the live forum with N readers over two daphne workers.

`make bench` (with DATABASE_URL pointing at PostgreSQL) runs it; `make test` does not. For each Redis
channel layer (RedisPubSubChannelLayer and RedisChannelLayer) and N = 100, 500, 1000 readers of one topic,
split across two daphne workers sharing a private redis-server, one writer posts at a fixed rate through the
real path (session authentication, the permission check, Markdown → nh3, the commit, the broadcast after
commit). Each reader is the live client's protocol (tests/live_client.py). In the same run, the same workers
serve the smallest Channels broadcast app (tests/perf/baseline_asgi.py) to the same number of clients with
the same rate: the baseline. Latency is measured on one clock (all clients live in this process) from the
moment the writer sends to the moment a reader receives the event; "lost" counts deliveries that never came
live (the forum's readers then resync: "missing" counts posts a reader still lacks at the end, which must be 0).

The table is printed and written to var/bench/live_fanout.md; the rows of issue 14 go to the run's summary
(tests/perf/report.py): one live post with one reader (the ack, and the reader on the other worker, beside the
smallest app's echo and relay on the same two workers), the 500-reader p99 ratio, and 1,000 readers arriving
at 50 a second with nothing lost. Knobs: BENCH_READERS="500,1000", BENCH_POSTS=20, BENCH_RATE=2 (posts per
second), BENCH_LAYERS="pubsub" ("pubsub,core" for both), BENCH_LATENCY_POSTS=40 (the one-reader run). One
warm-up post per run is not measured (a fresh worker's first request loads templates and opens its pool
connections). The workers queue notifications in the database as production does (the test settings would
run them at once): nobody runs `db_worker` here, so they wait.
"""

import asyncio
import json
import os
import time
import uuid
from pathlib import Path

import pytest
import websockets
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from exchange_groups.models import Membership, SpaceRole, SpaceVisibility
from forums import services
from forums.models import Post
from tests.factories import SpaceFactory, UserFactory
from tests.live_client import LiveReader, Writer
from tests.perf import report
from tests.perf.conftest import missing
from tests.servers import Daphne, RedisServer, redis_server_path, worker_env

pytestmark = [pytest.mark.django_db(transaction=True)]

ORIGIN = "http://127.0.0.1"
LAYERS = {
    "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
    "core": "channels_redis.core.RedisChannelLayer",
}
READERS = [int(n) for n in os.environ.get("BENCH_READERS", "500,1000").split(",")]
POSTS = int(os.environ.get("BENCH_POSTS", "20"))
RATE = float(os.environ.get("BENCH_RATE", "2"))
CHOSEN_LAYERS = [name.strip() for name in os.environ.get("BENCH_LAYERS", "pubsub").split(",")]
LATENCY_POSTS = int(os.environ.get("BENCH_LATENCY_POSTS", "40"))
LATENCY_GAP = 0.25  # seconds between the one-reader posts: each measured alone
CONNECT_TIMEOUT = 300
RAMP_BATCH = 50  # readers arrive 50 a second (both apps): the readers of a topic do not all open it
RAMP_PAUSE = 1.0  # in the same millisecond (daphne drops a socket its app has not accepted within 5 s)
SETTLE_SECONDS = 15


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def session_cookie_for(user) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "exchange_groups.accounts.backends.ConfirmedAccountBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


@pytest.fixture
def audience():
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        missing("the benchmark runs against PostgreSQL: set DATABASE_URL")
    if redis_server_path() is None:
        missing("the benchmark needs redis-server")
    space = SpaceFactory(name="Sieć benchmarku", slug="siec-benchmarku", visibility=SpaceVisibility.PRIVATE)
    writer = UserFactory(first_name="Anna", last_name="Pisząca")
    Membership.objects.create(space=space, user=writer, role=SpaceRole.PARTICIPANT)
    readers = [UserFactory(first_name="Czytelnik", last_name=f"Nr{n}") for n in range(max(READERS))]
    Membership.objects.bulk_create(
        [Membership(space=space, user=reader, role=SpaceRole.PARTICIPANT) for reader in readers]
    )
    category = services.ensure_forum(space).categories.get()
    return {
        "writer": writer,
        "writer_cookie": session_cookie_for(writer),
        "reader_cookies": [session_cookie_for(reader) for reader in readers],
        "category": category,
    }


# --- the forum -----------------------------------------------------------------------------------------


async def run_forum(workers, topic_id, cookies, writer_cookie):
    readers = [
        LiveReader([workers[i % 2].ws_url, workers[(i + 1) % 2].ws_url], topic_id, cookie, ORIGIN, name=str(i))
        for i, cookie in enumerate(cookies)
    ]
    for index, reader in enumerate(readers):
        reader.start()
        if index % RAMP_BATCH == RAMP_BATCH - 1:
            await asyncio.sleep(RAMP_PAUSE)
    await asyncio.wait_for(asyncio.gather(*(reader.connected.wait() for reader in readers)), CONNECT_TIMEOUT)
    await asyncio.sleep(2)  # presence announcements of the arrivals settle
    writer = Writer([workers[0].ws_url], topic_id, writer_cookie, ORIGIN)
    # One post before the clock starts: the first request of a fresh worker loads templates and opens pool
    # connections; that is start-up, not the steady state the benchmark measures (the baseline warms up too).
    await writer.post("Rozgrzewka przed pomiarem.")
    await asyncio.sleep(1)
    start = time.monotonic()
    made = []
    for number in range(POSTS):
        await asyncio.sleep(max(0.0, start + number / RATE - time.monotonic()))
        made.append(await writer.post(f"Wpis benchmarku nr {number}: **subwencja** oświatowa i dowozy uczniów."))
    await writer.close()
    deadline = time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < deadline and not all(set(made) <= set(r.live_seen) for r in readers):
        await asyncio.sleep(0.2)
    latencies = [r.live_seen[pk] - writer.sent_at[pk] for r in readers for pk in made if pk in r.live_seen]
    if os.environ.get("BENCH_DEBUG"):
        for pk in made:
            seen = sorted(r.live_seen[pk] - writer.sent_at[pk] for r in readers if pk in r.live_seen)
            print(
                f"post {pk}: ack {writer.acked_after[pk] * 1000:.0f} ms, first {seen[0] * 1000:.0f}, "
                f"last {seen[-1] * 1000:.0f} ms"
            )
    lost = sum(1 for r in readers for pk in made if pk not in r.live_seen)
    # Readers resync on gaps and reconnects: after that, nobody may lack a post.
    deadline = time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < deadline and not all(set(made) <= set(r.posts) for r in readers):
        await asyncio.sleep(0.2)
    missing = sum(1 for r in readers for pk in made if pk not in r.posts)
    reconnects = sum(max(0, r.connects - 1) for r in readers)
    await asyncio.gather(*(reader.stop() for reader in readers))
    return latencies, lost, missing, reconnects


# --- the baseline --------------------------------------------------------------------------------------


async def run_baseline(workers, count, posts=None, gap=None):
    """The smallest app, `count` readers split over the workers, a writer on worker 0 (itself a group member:
    its own copy coming back is the echo). Returns (reader latencies, lost, echo latencies)."""
    posts = POSTS if posts is None else posts
    gap = 1 / RATE if gap is None else gap
    received: list[dict[int, float]] = [{} for _ in range(count)]
    ready = [asyncio.Event() for _ in range(count)]

    async def client(index):
        # Readers on the worker the writer is not on first: with one reader, it is on the other worker.
        async with websockets.connect(f"{workers[(index + 1) % 2].ws_url}/ws/bench/", ping_interval=None) as socket:
            async for raw in socket:
                message = json.loads(raw)
                if message.get("type") == "hello":
                    ready[index].set()
                elif "id" in message:
                    received[index].setdefault(message["id"], time.monotonic())

    tasks = []
    for index in range(count):
        tasks.append(asyncio.create_task(client(index)))
        if index % RAMP_BATCH == RAMP_BATCH - 1:
            await asyncio.sleep(RAMP_PAUSE)
    await asyncio.wait_for(asyncio.gather(*(event.wait() for event in ready)), CONNECT_TIMEOUT)
    await asyncio.sleep(2)
    sent_at, echoed = {}, {}
    async with websockets.connect(f"{workers[0].ws_url}/ws/bench/", ping_interval=None) as writer:
        await writer.recv()  # hello

        async def echoes():
            async for raw in writer:
                message = json.loads(raw)
                if "id" in message:
                    echoed.setdefault(message["id"], time.monotonic())

        listening = asyncio.create_task(echoes())
        await writer.send(json.dumps({"id": -1, "body": "Rozgrzewka."}))
        await asyncio.sleep(1)
        start = time.monotonic()
        for number in range(posts):
            await asyncio.sleep(max(0.0, start + number * gap - time.monotonic()))
            sent_at[number] = time.monotonic()
            await writer.send(json.dumps({"id": number, "body": "Wpis benchmarku: subwencja oświatowa."}))
        deadline = time.monotonic() + SETTLE_SECONDS
        while time.monotonic() < deadline and not all(len(r) >= posts + 1 for r in received):
            await asyncio.sleep(0.2)
        listening.cancel()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, listening, return_exceptions=True)
    latencies = [r[n] - sent_at[n] for r in received for n in sent_at if n in r]
    lost = sum(1 for r in received for n in sent_at if n not in r)  # the warm-up (-1) is not counted
    echo = [echoed[n] - sent_at[n] for n in sent_at if n in echoed]
    return latencies, lost, echo


def start_workers(tmp_path, redis, layer, application, name):
    env = worker_env(
        redis.url,
        CHANNEL_LAYER_BACKEND=LAYERS[layer],
        FORUMS_POSTS_PER_MINUTE=100000,
        FORUMS_SOCKET_MESSAGES_PER_MINUTE=100000,
        TEST_TASKS_QUEUED="1",  # notifications queued in the database, as in production
    )
    return [Daphne(tmp_path, env, application=application, name=f"{name}-{i}").start() for i in range(2)]


def test_live_fanout_benchmark(audience, tmp_path):
    rows = []
    for layer in CHOSEN_LAYERS:
        for count in READERS:
            redis = RedisServer(tmp_path).start()
            row = {"layer": layer, "n": count}
            try:
                workers = start_workers(tmp_path, redis, layer, "tests.perf.baseline_asgi:application", "base")
                try:
                    base_latencies, base_lost, _echo = asyncio.run(run_baseline(workers, count))
                    row.update(base_p50=percentile(base_latencies, 0.5), base_p99=percentile(base_latencies, 0.99))
                    row["base_lost"] = base_lost
                except Exception as error:  # noqa: BLE001 - a layer that breaks down is a result, not a crash
                    row["base_error"] = f"{type(error).__name__}: {error}"[:80]
                finally:
                    for worker in workers:
                        worker.stop()
                topic = services.create_topic(
                    audience["writer"],
                    audience["category"],
                    f"Benchmark {layer} {count} {uuid.uuid4().hex[:6]}",
                    "Start.",
                )
                workers = start_workers(tmp_path, redis, layer, "oswiata_site.asgi:application", "app")
                try:
                    latencies, lost, missing, reconnects = asyncio.run(
                        run_forum(workers, topic.pk, audience["reader_cookies"][:count], audience["writer_cookie"])
                    )
                    row.update(p50=percentile(latencies, 0.5), p99=percentile(latencies, 0.99))
                    row.update(lost=lost, missing=missing, reconnects=reconnects)
                except Exception as error:  # noqa: BLE001
                    row["error"] = f"{type(error).__name__}: {error}"[:80]
                finally:
                    for worker in workers:
                        worker.stop()
                assert Post.objects.filter(topic=topic).count() == POSTS + 2 or "error" in row
            finally:
                redis.stop()
            rows.append(row)
            print(format_row(row), flush=True)
    for row in rows:
        record_fanout(row)
    table = render(rows)
    print("\n" + table)
    out = Path(settings.BASE_DIR) / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "live_fanout.md").write_text(table + "\n", encoding="utf-8")


def ms(value) -> str:
    return "—" if value is None or value != value else f"{value * 1000:.0f}"


def format_row(row) -> str:
    ratio = row["p99"] / row["base_p99"] if row.get("p99") and row.get("base_p99") else None
    return (
        f"| {row['layer']} | {row['n']} | {ms(row.get('p50'))} | {ms(row.get('p99'))} | {ms(row.get('base_p50'))} | "
        f"{ms(row.get('base_p99'))} | {'—' if ratio is None else f'{ratio:.2f}'} | {row.get('lost', '—')} | "
        f"{row.get('missing', '—')} | {row.get('base_lost', '—')} | {row.get('error', row.get('base_error', ''))} |"
    )


def render(rows) -> str:
    header = (
        f"Live forum fan-out: {POSTS} posts at {RATE:g}/s, readers split over 2 daphne workers, "
        "PostgreSQL + redis-server\n\n"
        "| layer | readers | forum p50 ms | forum p99 ms | baseline p50 ms | baseline p99 ms | p99 ratio | "
        "forum lost live | forum missing after resync | baseline lost | error |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|"
    )
    return "\n".join([header, *(format_row(row) for row in rows)])


def record_fanout(row) -> None:
    """The summary rows of issue 14 for one layer and reader count."""
    layer, count = row["layer"], row["n"]
    if "error" in row or "base_error" in row:
        report.record("live", f"{count} readers ({layer})", row.get("error", row.get("base_error")), "", "", False)
        return
    ratio = row["p99"] / row["base_p99"] if row.get("base_p99") else float("inf")
    if count == 500:
        report.record(
            "live",
            f"500 readers, {POSTS} posts at {RATE:g}/s ({layer}): p99 to the smallest Channels app",
            f"{ratio:.2f}× (p99 {ms(row['p99'])} ms, p50 {ms(row['p50'])} ms)",
            f"smallest app p99 {ms(row['base_p99'])} ms, p50 {ms(row['base_p50'])} ms",
            "≤ 1.5×",
            ratio <= 1.5,
        )
    report.record(
        "live",
        f"{count} readers arriving at {RAMP_BATCH}/s ({layer}): lost live / missing after resync",
        f"{row['lost']} / {row['missing']} (reconnects {row['reconnects']})",
        f"smallest app lost {row['base_lost']}",
        "0 / 0",
        row["lost"] == 0 and row["missing"] == 0,
    )


# --- one post, one reader ------------------------------------------------------------------------------


async def run_forum_one_reader(workers, topic_id, reader_cookie, writer_cookie):
    """The writer on worker 0, one reader on worker 1: (ack latencies, reader latencies, lost)."""
    reader = LiveReader([workers[1].ws_url], topic_id, reader_cookie, ORIGIN, name="1")
    reader.start()
    await asyncio.wait_for(reader.connected.wait(), CONNECT_TIMEOUT)
    await asyncio.sleep(2)
    writer = Writer([workers[0].ws_url], topic_id, writer_cookie, ORIGIN)
    await writer.post("Rozgrzewka przed pomiarem.")
    await asyncio.sleep(1)
    made = []
    for number in range(LATENCY_POSTS):
        made.append(await writer.post(f"Wpis nr {number}: **subwencja** oświatowa i dowozy uczniów."))
        await asyncio.sleep(LATENCY_GAP)
    await writer.close()
    deadline = time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < deadline and not set(made) <= set(reader.live_seen):
        await asyncio.sleep(0.1)
    await reader.stop()
    acks = [writer.acked_after[pk] for pk in made]
    seen = [reader.live_seen[pk] - writer.sent_at[pk] for pk in made if pk in reader.live_seen]
    return acks, seen, len(made) - len(seen)


def test_live_post_latency_with_one_reader(audience, tmp_path):
    """0–1 reader: the ack and the reader on the other worker, beside the smallest app's echo and relay."""
    rows = []
    for layer in CHOSEN_LAYERS:
        redis = RedisServer(tmp_path).start()
        try:
            workers = start_workers(tmp_path, redis, layer, "tests.perf.baseline_asgi:application", "base1")
            try:
                relay, _lost, echo = asyncio.run(run_baseline(workers, 1, posts=LATENCY_POSTS, gap=LATENCY_GAP))
            finally:
                for worker in workers:
                    worker.stop()
            topic = services.create_topic(
                audience["writer"], audience["category"], f"Opóźnienie {layer} {uuid.uuid4().hex[:6]}", "Start."
            )
            workers = start_workers(tmp_path, redis, layer, "oswiata_site.asgi:application", "app1")
            try:
                acks, seen, lost = asyncio.run(
                    run_forum_one_reader(workers, topic.pk, audience["reader_cookies"][0], audience["writer_cookie"])
                )
            finally:
                for worker in workers:
                    worker.stop()
        finally:
            redis.stop()
        ack_ms, seen_ms = percentile(acks, 0.5) * 1000, percentile(seen, 0.5) * 1000
        echo_ms, relay_ms = percentile(echo, 0.5) * 1000, percentile(relay, 0.5) * 1000
        report.record(
            "live",
            f"one live post, 1 reader ({layer}): send → ack, median",
            f"{ack_ms:.1f} ms (p90 {percentile(acks, 0.9) * 1000:.1f})",
            f"smallest app's echo {echo_ms:.1f} ms",
            "≤ 10 ms",
            ack_ms <= 10,
        )
        report.record(
            "live",
            f"one live post, 1 reader ({layer}): send → reader on the other worker, median",
            f"{seen_ms:.1f} ms (p90 {percentile(seen, 0.9) * 1000:.1f}; lost {lost})",
            f"smallest app's relay {relay_ms:.1f} ms",
            "≤ 12 ms",
            seen_ms <= 12 and lost == 0,
        )
        rows.append((layer, ack_ms, seen_ms, echo_ms, relay_ms, lost))
        print(f"{layer}: ack {ack_ms:.1f} ms, reader {seen_ms:.1f} ms; echo {echo_ms:.1f}, relay {relay_ms:.1f}")
    assert all(row[5] == 0 for row in rows), rows
