"""Benchmark: CPU per page of the pages people spend their time on, against the project's simplest Wagtail page.

`make bench` (with DATABASE_URL pointing at PostgreSQL) runs it; `make test` does not (the query counts are held
constant by tests in `make test`: tests/forums/test_reading.py and the pages' own tests). The demo data is loaded
(`load_demo_data`: spaces, forums, courses, debates, good practices), then a topic of 15 posts with likes,
attachments, quotes and edits is added, and a standard page with one paragraph: the reference. Two gunicorn
sync workers serve the test database with test settings (DEBUG off, cached templates, a private redis-server
as the cache, a PostgreSQL pool per process); one logged-in member of the topic's space, enrolled in the
lesson's course, asks every page. CPU is the workers' own (tests/perf/gunicorn.py), pages and reference
interleaved in the same run. Targets (issue 14): the topic page and the lesson page cost at most twice the
reference (ratio ≥ 0.5); home, catalogue, debates and good practices at most 1/0.7 of it (ratio ≥ 0.7).

Knobs: BENCH_PAGE_REQUESTS (per page, default 300), BENCH_PAGE_WORKERS (default 2).
"""

import os

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from exchange_groups.models import Membership
from forums import services as forum_services
from forums.models import Topic
from forums.permissions import can_post
from learning import services as learning_services
from learning.models import LessonPage
from oswiata_site.models import HomePage, StandardPage
from tests.db_state import page_queries
from tests.forums.conftest import consenting
from tests.perf import report
from tests.perf.conftest import missing
from tests.perf.gunicorn import Gunicorn, cpu_per_request
from tests.perf.test_live_fanout import session_cookie_for
from tests.servers import RedisServer, redis_server_path, worker_env

pytestmark = [pytest.mark.django_db(transaction=True)]

REQUESTS = int(os.environ.get("BENCH_PAGE_REQUESTS", "300"))
WORKERS = int(os.environ.get("BENCH_PAGE_WORKERS", "2"))
TOPIC_POSTS = 15


def _reference_page() -> StandardPage:
    home = HomePage.objects.first()
    page = StandardPage(title="Strona wzorcowa", slug="strona-wzorcowa", body=[("paragraph", "<p>Jeden akapit.</p>")])
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def _busy_topic():
    """A topic of the demo's busiest space grown to 15 posts: likes, attachments, quotes, edits."""
    topic = (
        Topic.objects.filter(deleted_at__isnull=True, locked=False, category__forum__space__isnull=False)
        .select_related("category__forum__space")
        .order_by("-post_count")
        .first()
    )
    forum = topic.category.forum
    forum.slow_mode_seconds = 0
    forum.save(update_fields=["slow_mode_seconds"])
    Topic.objects.filter(pk=topic.pk).update(slow_mode_seconds=0)
    members = [m.user for m in Membership.objects.filter(space=forum.space, until__isnull=True).select_related("user")]
    writers = [person for person in members if can_post(person, forum)]
    number = 0
    while Topic.objects.get(pk=topic.pk).post_count < TOPIC_POSTS:
        topic = Topic.objects.select_related("category__forum__space").get(pk=topic.pk)
        author = writers[number % len(writers)]
        files = (
            [SimpleUploadedFile(f"plan-{number}.pdf", b"%PDF-1.4 plan", "application/pdf")] if number % 4 == 0 else []
        )
        quoted = topic.posts.order_by("seq").first() if number % 5 == 0 else None
        body = f"Odpowiedź {number}: **wagi** subwencji i [link](https://example.org/{number}).\n\n- punkt\n- punkt"
        post, _is_new = forum_services.create_post(author, topic, body, attachments=files, quoted_post=quoted)
        for liker in writers[:2]:
            if liker.pk != author.pk and number % 2 == 0:
                forum_services.like_post(liker, post)
        if number % 3 == 1:
            forum_services.edit_post(author, post, body + "\n\nPoprawione.")
        number += 1
    return Topic.objects.get(pk=topic.pk), writers


def _page_queries(user, path: str) -> int:
    client = Client()
    client.force_login(user)
    return page_queries(client, path)


@pytest.fixture
def demo(tmp_path, settings):
    settings.EXCHANGE_GROUPS_PRIVATE_MEDIA_ROOT = str(tmp_path / "private-media")  # the attachments' files
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        missing("the page benchmark runs against PostgreSQL: set DATABASE_URL")
    if redis_server_path() is None:
        missing("the page benchmark needs redis-server (the cache, as in production)")
    call_command("load_demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    reference = _reference_page()
    topic, writers = _busy_topic()
    reader = consenting(writers[-1])
    lesson = LessonPage.objects.live().order_by("path").first()
    learning_services.enrol(lesson.course, reader, by=get_user_model().objects.filter(is_superuser=True).first())
    return {"reader": reader, "reference": reference, "topic": topic, "lesson": lesson}


def test_page_cpu_against_the_simplest_wagtail_page(demo, tmp_path):
    pages = {
        "standard page, one paragraph (reference)": (demo["reference"].url, None),
        f"topic page, {TOPIC_POSTS} posts": (demo["topic"].get_absolute_url(), 0.5),
        "lesson page": (demo["lesson"].url, 0.5),
        "home": ("/", 0.7),
        "course catalogue": ("/kursy/", 0.7),
        "debates (/debaty/)": ("/debaty/", 0.7),
        "good practices (/dobre-praktyki/)": ("/dobre-praktyki/", 0.7),
    }
    queries = {name: _page_queries(demo["reader"], path) for name, (path, _target) in pages.items()}
    redis = RedisServer(tmp_path).start()
    server = Gunicorn(tmp_path, worker_env(redis.url), workers=WORKERS).start()
    try:
        headers = {"Cookie": session_cookie_for(demo["reader"])}
        costs = cpu_per_request(server, [path for path, _target in pages.values()], headers, requests=REQUESTS)
    finally:
        server.stop()
        redis.stop()
    reference = costs[demo["reference"].url]
    lines = ["| page | CPU per request | queries | ratio to the reference | target |", "|---|---|---|---|---|"]
    for name, (path, target) in pages.items():
        cost = costs[path]
        ratio = cost.ratio_to(reference)
        measured = f"{cost.cpu_ms:.1f} ms CPU, {queries[name]} queries"
        if target is None:
            report.record("pages", name, measured)
        else:
            report.record(
                "pages",
                name,
                f"{measured}, ratio {ratio:.2f}",
                f"{reference.cpu_ms:.1f} ms, {queries['standard page, one paragraph (reference)']} queries",
                f"ratio ≥ {target}",
                ratio >= target,
            )
        lines.append(f"| {name} | {cost.cpu_ms:.1f} ms | {queries[name]} | {ratio:.2f} | {target or ''} |")
    report.BENCH_DIR.mkdir(parents=True, exist_ok=True)
    (report.BENCH_DIR / "pages.md").write_text(
        f"# Page CPU ({WORKERS} gunicorn workers, {REQUESTS} requests per page)\n\n{report.load()}\n\n"
        + "\n".join(lines)
        + "\n",
        encoding="utf-8",
    )
    print("\n".join(lines))
