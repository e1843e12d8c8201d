"""Benchmark: the pages at national size, and 500 people submitting a quiz or registering at the same moment.

`make bench` (DATABASE_URL pointing at PostgreSQL, a `redis-server` binary) runs it; `make test` does not. The
module builds a demo-size world first (`tests/perf/national.py` at BENCH_DEMO_SCALE, on top of the Polish demo
data) and measures the pages there: CPU of the gunicorn workers per request (tests/perf/gunicorn.py) and the
queries of the same request made in this process with the same session. Then it grows the same database to
BENCH_SCALE × the issue's figures (1.0: 30,000 people, 300 spaces, 2,000 topics, 100,000 posts, 50 courses with
10,000 enrolments) and measures the same pages again — the same topic of 15 posts, the same lesson, the same
reader. Targets: the same query counts, CPU within 1.2× of the demo-size figure.

Then, on the national world, with BENCH_WORKERS (4) gunicorn workers: BENCH_SIMULTANEOUS (500) enrolled people
submit the same lesson's quiz at the same moment (HTTP POST with a session and a CSRF token, as a browser
does), and as many register for one meeting with BENCH_MEETING_CAPACITY (100) places: no 5xx, every answer
stored and graded, exactly the capacity registered and the rest on the waiting list, nobody twice.

Every figure goes to the run's table (tests/perf/report.py, area "national"). Knobs: BENCH_SCALE=1.0,
BENCH_DEMO_SCALE=0.01, BENCH_PAGE_REQUESTS=100 (per page and world), BENCH_WORKERS, BENCH_SIMULTANEOUS,
BENCH_MEETING_CAPACITY.
"""

import datetime
import difflib
import http.client
import os
import re
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from exchange_groups.models import MeetingMode, RegistrationStatus, User
from tests.perf import national
from tests.perf.conftest import missing
from tests.perf.gunicorn import Gunicorn, cpu_per_request, get
from tests.perf.report import record
from tests.perf.test_live_fanout import session_cookie_for
from tests.servers import RedisServer, redis_server_path, worker_env

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
DEMO_SCALE = float(os.environ.get("BENCH_DEMO_SCALE", "0.01"))
PAGE_REQUESTS = int(os.environ.get("BENCH_PAGE_REQUESTS", "100"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
SIMULTANEOUS = int(os.environ.get("BENCH_SIMULTANEOUS", str(national.SIMULTANEOUS)))
CAPACITY = int(os.environ.get("BENCH_MEETING_CAPACITY", "100"))
CPU_TARGET = 1.2  # national CPU per request within 1.2× the demo-size figure
CSRF_TOKEN = secrets.token_hex(16)  # 32 characters: a CSRF cookie value and the form's token, as a browser sends


# --- the world, its servers and its people -----------------------------------------------------------------------


@pytest.fixture
def bench(transactional_db, tmp_path, settings):
    """The demo-size world, committed (gunicorn's workers read it), and a private Redis for the workers' cache and
    this process's (on a shared Redis another run's `cache.clear()` would add queries to a count).
    A transactional test: the database is emptied and given back its migrated rows when it ends."""
    if redis_server_path() is None:
        missing("the benchmark needs redis-server")
    redis = RedisServer(tmp_path).start()
    backend = "django.core.cache.backends.redis.RedisCache"
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": redis.url.rsplit("/", 1)[0] + "/2"}}
    try:
        started = time.monotonic()
        world = national.build_national(DEMO_SCALE)
        record_generation("demo-size world", DEMO_SCALE, world, time.monotonic() - started)
        yield {"world": world, "redis": redis, "workdir": tmp_path, "reader": User.objects.get(pk=world.reader_id)}
    finally:
        redis.stop()


def grow(bench) -> national.BenchWorld:
    """The same world grown to BENCH_SCALE."""
    started = time.monotonic()
    world = national.build_national(SCALE)
    record_generation("national world", SCALE, world, time.monotonic() - started)
    return world


def record_generation(label, scale, world, seconds):
    figures = ", ".join(f"{value:,} {name}".replace(",", " ") for name, value in world.counts.items())
    steps = "; ".join(f"{name} {value:.0f} s" for name, value in world.timings.items())
    record(
        area="national",
        what=f"generating the {label} (scale {scale:g}: {figures})",
        measured=f"{seconds:.0f} s ({steps})",
        target="minutes, not hours" if scale >= 1 else "",
        ok=seconds < 1800 if scale >= 1 else None,
    )


def server_env(bench) -> dict:
    return worker_env(bench["redis"].url, FORUMS_POSTS_PER_MINUTE=100000)


# --- pages -------------------------------------------------------------------------------------------------------


def measure_pages(bench, world) -> dict[str, tuple[float, list[str]]]:
    """CPU per request (ms, gunicorn with 2 workers) and the queries (in-process, after a warm-up) of each page."""
    cookie = session_cookie_for(bench["reader"])
    client = Client()
    name, _sep, key = cookie.partition("=")
    client.cookies[name] = key
    queries = {}
    for label, path in world.paths.items():
        assert client.get(path).status_code == 200, path  # warm-up: templates, the cache of site roots
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, path
        queries[label] = [shape(query["sql"]) for query in captured.captured_queries]
    server = Gunicorn(bench["workdir"], server_env(bench), workers=2).start()
    try:
        costs = cpu_per_request(server, list(world.paths.values()), {"Cookie": cookie}, requests=PAGE_REQUESTS)
    finally:
        server.stop()
    return {label: (costs[path].cpu_ms, queries[label]) for label, path in world.paths.items()}


def shape(sql: str) -> str:
    """A statement without its values (ids, keys, times, lists), to compare the statements of two worlds."""
    return re.sub(r" IN \([^()]*\)", " IN (…)", re.sub(r"\b\d+\b", "N", re.sub(r"'[^']*'", "'…'", sql)))


def test_national_size(bench):
    """Pages at demo size, then at national size; then the crowds of the quiz and the meeting."""
    demo = measure_pages(bench, bench["world"])
    world = grow(bench)
    assert world.paths == bench["world"].paths  # the same pages, now among national-size data
    inconsistent = national.invariant_problems()
    record(
        area="national",
        what="generated data as the services keep it (topic counters and seqs, post events, coordinators)",
        measured="consistent" if not inconsistent else "; ".join(inconsistent[:3]),
        target="consistent",
        ok=not inconsistent,
    )
    assert not inconsistent, inconsistent
    big = measure_pages(bench, world)
    differences = []
    for label in world.paths:
        (demo_cpu, demo_sql), (cpu, sql) = demo[label], big[label]
        demo_queries, queries = len(demo_sql), len(sql)
        if sql != demo_sql:  # kept for reading: which statement came or went with the data
            differences += [
                f"## {label}",
                "",
                *difflib.unified_diff(demo_sql, sql, "demo size", "national", lineterm=""),
            ]
        ratio = cpu / demo_cpu if demo_cpu else float("inf")
        record(
            area="national",
            what=f"{label}: CPU per request",
            measured=f"{cpu:.1f} ms ({ratio:.2f}× demo size)",
            reference=f"{demo_cpu:.1f} ms at demo size",
            target=f"≤ {CPU_TARGET}× demo size",
            ok=ratio <= CPU_TARGET,
        )
        record(
            area="national",
            what=f"{label}: queries",
            measured=str(queries),
            reference=f"{demo_queries} at demo size",
            target="the same",
            ok=queries == demo_queries,
        )
        print(f"{label}: demo {demo_cpu:.1f} ms {demo_queries} q; national {cpu:.1f} ms {queries} q", flush=True)
    out = Path(settings.BASE_DIR) / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "national_queries.md").write_text("\n".join(differences) + "\n", encoding="utf-8")
    # Both crowds run even when the first one fails: each records its figures, then the test fails on any.
    problems = quiz_crowd(bench, world) + meeting_crowd(bench, world)
    assert not problems, "\n".join(problems)


# --- many people at the same moment ------------------------------------------------------------------------------


def people(world, count):
    """`count` of the people who are members of the first space and enrolled in the first course, with sessions."""
    users = list(User.objects.filter(email__endswith=f"@{national.EMAIL_DOMAIN}").order_by("email")[:count])
    assert len(users) == count, "the world has fewer people than BENCH_SIMULTANEOUS"
    return [(user, session_cookie_for(user)) for user in users]


def post(port: int, path: str, cookie: str, fields: dict) -> int:
    """A form POST as a browser sends it: the session, the CSRF cookie and the same token in the form."""
    body = urlencode({**fields, "csrfmiddlewaretoken": CSRF_TOKEN}, doseq=True)
    connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        connection_.request(
            "POST",
            path,
            body=body,
            headers={
                "Host": "127.0.0.1",
                "Cookie": f"{cookie}; {settings.CSRF_COOKIE_NAME}={CSRF_TOKEN}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        response = connection_.getresponse()
        response.read()
        return response.status
    except OSError:
        return -1  # refused, reset or timed out: counted as an error
    finally:
        connection_.close()


def all_at_once(requests: list) -> tuple[list[int], float]:
    """Send the requests (callables returning a status) from one thread each, released together; the statuses
    and the wall time from the release to the last answer."""
    barrier = threading.Barrier(len(requests) + 1)
    answers = [None] * len(requests)

    def send(index):
        barrier.wait(timeout=120)
        answers[index] = requests[index]()

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        futures = [pool.submit(send, index) for index in range(len(requests))]
        barrier.wait(timeout=120)
        started = time.monotonic()
        for future in futures:
            future.result()
        wall = time.monotonic() - started
    return answers, wall


def warm_up(server, path: str, crowd) -> None:
    """A few rounds of simultaneous GETs, so that every worker has served a page before the crowd comes (a fresh
    worker's first request loads templates and opens connections: seconds, which no crowd should be charged)."""
    for _round in range(3):
        answers, _wall = all_at_once(
            [lambda cookie=cookie: get(server.port, path, {"Cookie": cookie})[0] for _u, cookie in crowd[: 4 * WORKERS]]
        )
        assert set(answers) == {200}, statuses(answers)


def failed(answers) -> int:
    """Requests that got no answer or a server error."""
    return sum(1 for status in answers if status is None or status < 0 or status >= 500)


def statuses(answers) -> str:
    counted = {}
    for status in answers:
        counted[status] = counted.get(status, 0) + 1
    return ", ".join(f"{count}× {status}" for status, count in sorted(counted.items(), key=lambda item: str(item[0])))


def quiz_crowd(bench, world) -> list[str]:
    """SIMULTANEOUS enrolled people submit the lesson's quiz at once: no error, every answer stored and graded."""
    from django.urls import reverse

    from learning.models import LessonProgress, QuizAttempt

    crowd = people(world, SIMULTANEOUS)
    server = Gunicorn(bench["workdir"], server_env(bench), workers=WORKERS).start()
    try:
        warm_up(server, world.paths["lesson page"], crowd)
        start = reverse("learning:quiz_start", kwargs={"lesson_id": world.lesson_id, "quiz_id": world.quiz_id})
        opened, _wall = all_at_once(
            [lambda cookie=cookie: post(server.port, start, cookie, {}) for _u, cookie in crowd]
        )
        assert set(opened) == {302}, statuses(opened)
        attempts = dict(
            QuizAttempt.objects.filter(
                user__in=[user for user, _c in crowd], lesson_id=world.lesson_id, submitted_at__isnull=True
            ).values_list("user_id", "pk")
        )
        if len(attempts) != SIMULTANEOUS:
            return [f"quiz: {len(attempts)} open attempts after {SIMULTANEOUS} starts"]
        submit = {**national.quiz_form_answers(), "action": "submit"}
        answers, wall = all_at_once(
            [
                lambda cookie=cookie, attempt=attempts[user.pk]: post(
                    server.port, reverse("learning:attempt", kwargs={"attempt_id": attempt}), cookie, submit
                )
                for user, cookie in crowd
            ]
        )
    finally:
        server.stop()
    submitted = QuizAttempt.objects.filter(pk__in=attempts.values(), submitted_at__isnull=False)
    graded = submitted.filter(passed=True, points__isnull=False, answers__has_key="q1").count()
    progress = LessonProgress.objects.filter(
        enrolment__user__in=[user for user, _c in crowd], lesson_id=world.lesson_id
    ).count()
    attempts_made = QuizAttempt.objects.filter(user__in=[user for user, _c in crowd], lesson_id=world.lesson_id)
    return outcome(
        f"{SIMULTANEOUS} simultaneous quiz submissions, gunicorn -w {WORKERS}",
        f"{submitted.count()} stored, {graded} graded, {progress} lessons completed; {wall:.1f} s wall",
        f"{SIMULTANEOUS} stored and graded, no error",
        answers,
        {
            "every answer stored and graded": submitted.count() == graded == progress == SIMULTANEOUS,
            "one attempt per person": attempts_made.count() == SIMULTANEOUS,
        },
    )


def meeting_crowd(bench, world) -> list[str]:
    """SIMULTANEOUS members register at once for a meeting of CAPACITY places: exactly CAPACITY registered, the
    rest waiting in distinct places, nobody twice, no error."""
    from exchange_groups.meetings import services as meetings
    from exchange_groups.models import Registration, Space

    crowd = people(world, SIMULTANEOUS)
    coordinator = User.objects.get(pk=world.coordinator_id)
    day = timezone.localtime() + datetime.timedelta(days=14)
    meeting = meetings.create_meeting(
        coordinator,
        Space.objects.get(pk=world.space_id),
        title="Spotkanie sieci benchmarku",
        mode=MeetingMode.IN_PERSON,
        starts_at=day.replace(hour=10, minute=0, second=0, microsecond=0),
        ends_at=day.replace(hour=14, minute=0, second=0, microsecond=0),
        venue="Urząd Gminy",
        address="ul. Teatralna 1a",
        agenda="1. Diagnoza potrzeb",
        capacity=CAPACITY,
        registration_deadline=None,
        link_visible_minutes_before=60,
    )
    path = meeting.get_absolute_url() + "zapisz/"
    server = Gunicorn(bench["workdir"], server_env(bench), workers=WORKERS).start()
    try:
        warm_up(server, meeting.get_absolute_url(), crowd)
        answers, wall = all_at_once([lambda cookie=cookie: post(server.port, path, cookie, {}) for _u, cookie in crowd])
    finally:
        server.stop()
    active = Registration.objects.active().filter(meeting=meeting)
    registered = active.filter(status=RegistrationStatus.REGISTERED).count()
    waiting = active.filter(status=RegistrationStatus.WAITING).count()
    people_in = active.values("user").distinct().count()
    positions = [registration.waiting_position() for registration in active.filter(status=RegistrationStatus.WAITING)]
    return outcome(
        f"{SIMULTANEOUS} simultaneous registrations for a meeting of {CAPACITY} places, gunicorn -w {WORKERS}",
        f"{registered} registered, {waiting} waiting, {active.count() - people_in} duplicates; {wall:.1f} s wall",
        f"exactly {CAPACITY} registered, {SIMULTANEOUS - CAPACITY} waiting, no error",
        answers,
        {
            "exactly the capacity registered": registered == CAPACITY,
            "the others waiting in distinct places": sorted(positions) == list(range(1, SIMULTANEOUS - CAPACITY + 1)),
            "nobody registered twice": people_in == active.count() == SIMULTANEOUS,
        },
    )


def outcome(what: str, measured: str, target: str, answers: list, expectations: dict[str, bool]) -> list[str]:
    """Record a crowd's figures (with the HTTP answers it got) and return what did not hold."""
    expectations = {"every request answered with a redirect, none failed": set(answers) == {302}, **expectations}
    errors = failed(answers)
    record(
        area="national",
        what=what,
        measured=f"{measured}; {errors} errors ({statuses(answers)})",
        target=target,
        ok=all(expectations.values()),
    )
    return [f"{what}: not so: {claim}" for claim, held in expectations.items() if not held]
