"""National-size data for the page benchmarks (issue 14): `build_national(scale)`.

At scale 1.0 it adds, on top of the Polish demo data (`manage.py load_demo_data`, run first when the database
has no home page), the whole TERYT register's JSTs (the registry's own loader), 30,000 people with a JST, a
position and the required consents, 300 spaces with their forums and memberships, 2,000 topics with 100,000 posts,
50 courses (Wagtail pages made through the page tree, each with two modules of lessons, one lesson with a quiz)
with 10,000 enrolments, 30 debates and 50 good practices. Smaller scales make proportionally less (at least one
of each). Rows are written with bulk inserts; the denormalised fields the services keep are filled the same way:
a topic's `post_count`, `last_seq` and `last_post_at`, each post's `seq` and `changed_seq` with its `PostEvent`,
the author's watch and read mark of the topics they opened, one active membership per person and space.

The generator grows a world: called again with a larger scale it adds only what is missing, and the objects the
benchmarks read (`BenchWorld`: the reader, the topic of exactly 15 posts, the lesson with a quiz) stay the same,
so the same pages are measured at demo size and at national size in one database.
"""

from __future__ import annotations

import datetime
import itertools
import time
import uuid
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

PEOPLE = 30_000
SPACES = 300
TOPICS = 2_000
POSTS = 100_000
COURSES = 50
ENROLMENTS = 10_000
DEBATES = 30
PRACTICES = 50
#: The people of the concurrency benchmarks: members of the first space, enrolled in the first course.
SIMULTANEOUS = 500
#: Posts of the topic the topic page benchmark shows (one page of posts).
BENCH_TOPIC_POSTS = 15

EMAIL_DOMAIN = "jst.bench.example.pl"
SLUG_PREFIX = "bench-"
BATCH = 2_000
PASSWORD = "Bench-Oswiata-2026"  # noqa: S105 - benchmark data only; logins use session rows, not this

FIRST_NAMES = ["Anna", "Piotr", "Katarzyna", "Tomasz", "Małgorzata", "Krzysztof", "Agnieszka", "Paweł", "Ewa", "Jan"]
LAST_NAMES = ["Nowak", "Kowalczyk", "Wiśniewska", "Wójcik", "Kamiński", "Lewandowska", "Zielińska", "Szymański"]
JOB_TITLES = ["inspektor ds. oświaty", "naczelnik wydziału edukacji", "skarbnik", "radny", "wójt", "dyrektor ZEAS"]
POST_BODIES = [
    "U nas **subwencja oświatowa** pokrywa ok. 70% wydatków bieżących. Reszta to dochody własne gminy.",
    "Dziękuję za dane. Czy w tej kwocie są też dowozy uczniów i opiekunowie w autobusach?\n\n- dowozy\n- opieka",
    "Prognoza demograficzna do 2030 r. pokazuje spadek liczby uczniów o 18%. Planujemy zespół szkół.",
    "Polecam opracowanie ORE o planowaniu sieci szkół: [raport](https://www.ore.edu.pl/). Jest tam przykład gminy.",
    "> Wydatki na ucznia\n\nPorównujemy je co roku z gminami podobnej wielkości; różnice sięgają 40%.",
]


def counts(scale: float) -> dict[str, int]:
    """How many of each the world holds at this scale (at least one of each)."""
    figures = {
        "people": PEOPLE,
        "spaces": SPACES,
        "topics": TOPICS,
        "posts": POSTS,
        "courses": COURSES,
        "enrolments": ENROLMENTS,
        "debates": DEBATES,
        "practices": PRACTICES,
    }
    result = {name: max(1, round(figure * scale)) for name, figure in figures.items()}
    result["posts"] = max(result["posts"], result["topics"] + BENCH_TOPIC_POSTS)
    return result


@dataclass
class BenchWorld:
    """What the benchmarks read: ids of the reader, the measured topic and lesson, the pages' paths."""

    reader_id: int
    coordinator_id: int
    space_id: int
    space_slug: str
    topic_id: int
    course_id: int
    lesson_id: int
    quiz_id: str
    paths: dict[str, str]
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


# --- the demo data and the register ------------------------------------------------------------------------------


def _ensure_demo_data() -> None:
    from django.core.management import call_command

    from oswiata_site.models import HomePage

    if not HomePage.objects.exists():
        call_command("load_demo_data", verbosity=0, stdout=_Null())


class _Null:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


def _ensure_register():
    from exchange_groups.models import TerritorialUnit, UnitKind
    from exchange_groups.registry.services import load_terc

    if TerritorialUnit.objects.count() < 2_000:  # the demo loads the whole register; a bare database has none
        load_terc()
    return list(TerritorialUnit.objects.active().jst().exclude(kind=UnitKind.VOIVODESHIP).values_list("pk", flat=True))


# --- people ----------------------------------------------------------------------------------------------------


def _email(n: int) -> str:
    return f"osoba{n:05d}@{EMAIL_DOMAIN}"


def _people(wanted: int, unit_ids: list[int]) -> list[int]:
    """Ids of the bench people 0..wanted-1, creating the missing ones (users, profiles, consents)."""
    from exchange_groups.accounts.permissions import REQUIRED_CONSENTS
    from exchange_groups.accounts.services import consent_text_version
    from exchange_groups.models import Consent, PositionCategory, Profile, User

    existing = User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").count()
    if existing < wanted:
        password = make_password(PASSWORD)  # hashed once for everybody
        now = timezone.now()
        positions = [choice for choice, _label in PositionCategory.choices if choice != PositionCategory.SOCIAL_PARTNER]
        for start in range(existing, wanted, BATCH):
            numbers = range(start, min(wanted, start + BATCH))
            users = User.objects.bulk_create(
                [
                    User(
                        email=_email(n),
                        first_name=FIRST_NAMES[n % len(FIRST_NAMES)],
                        last_name=f"{LAST_NAMES[n % len(LAST_NAMES)]}-{n}",
                        password=password,
                        email_confirmed_at=now,
                        date_joined=now,
                    )
                    for n in numbers
                ]
            )
            Profile.objects.bulk_create(
                [
                    Profile(
                        user=user,
                        unit_id=unit_ids[n % len(unit_ids)],
                        position_category=positions[n % len(positions)],
                        job_title=JOB_TITLES[n % len(JOB_TITLES)],
                    )
                    for n, user in zip(numbers, users, strict=True)
                ]
            )
            Consent.objects.bulk_create(
                [
                    Consent(user=user, purpose=purpose, text_version=consent_text_version(purpose), given_at=now)
                    for user in users
                    for purpose in REQUIRED_CONSENTS
                ]
            )
    return list(User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").order_by("email").values_list("pk", flat=True))


# --- spaces, memberships, forums ----------------------------------------------------------------------------------


def _spaces(wanted: int) -> list:
    from exchange_groups.models import Space, SpaceKind, SpaceStatus, SpaceVisibility, UnitKind
    from forums import services as forum_services

    kinds = [SpaceKind.NETWORK, SpaceKind.EXCHANGE_GROUP, SpaceKind.NETWORK]
    audiences = [[UnitKind.RURAL_GMINA], [UnitKind.URBAN_GMINA, UnitKind.URBAN_RURAL_GMINA], [UnitKind.POWIAT]]
    existing = Space.objects.filter(slug__startswith=SLUG_PREFIX).count()
    Space.objects.bulk_create(
        [
            Space(
                kind=kinds[n % 3],
                name=f"Sieć benchmarku nr {n}",
                slug=f"{SLUG_PREFIX}siec-{n:03d}",
                description="Sieć współpracy samorządów (dane benchmarku).",
                audience=audiences[n % 3],
                cycle="2026/2027",
                status=SpaceStatus.ACTIVE,
                # Every fifth space is private (only members know it exists), as networks may be.
                visibility=SpaceVisibility.PRIVATE if n % 5 == 4 else SpaceVisibility.PUBLIC,
            )
            for n in range(existing, wanted)
        ],
        batch_size=BATCH,
    )
    spaces = list(Space.objects.filter(slug__startswith=SLUG_PREFIX).order_by("slug"))
    for space in spaces[existing:]:
        forum_services.ensure_forum(space)
    return spaces


def _memberships(spaces: list, people: list[int]) -> None:
    """Person n belongs to space n mod S and, every third person, to the next space too; person k + 1 coordinates
    space k; the first SIMULTANEOUS people are also members of the first space. Person 0 (the benchmarks' reader)
    is a participant everywhere."""
    from exchange_groups.models import Membership, SpaceRole

    count = len(spaces)
    wanted: dict[tuple[int, int], str] = {}
    for n, user_id in enumerate(people):
        wanted[(spaces[n % count].pk, user_id)] = SpaceRole.PARTICIPANT
        if n % 3 == 0:
            wanted.setdefault((spaces[(n + 1) % count].pk, user_id), SpaceRole.PARTICIPANT)
    for user_id in people[:SIMULTANEOUS]:
        wanted.setdefault((spaces[0].pk, user_id), SpaceRole.PARTICIPANT)
    for k, space in enumerate(spaces):
        wanted[(space.pk, people[(k + 1) % len(people)])] = SpaceRole.COORDINATOR
    have = set(
        Membership.objects.active()
        .filter(space_id__in=[space.pk for space in spaces])
        .values_list("space_id", "user_id")
    )
    Membership.objects.bulk_create(
        [
            Membership(space_id=space_id, user_id=user_id, role=role)
            for (space_id, user_id), role in wanted.items()
            if (space_id, user_id) not in have
        ],
        batch_size=BATCH,
    )


def _members_by_space(spaces: list) -> dict[int, list[int]]:
    from exchange_groups.models import Membership

    members: dict[int, list[int]] = {space.pk: [] for space in spaces}
    rows = Membership.objects.active().filter(space_id__in=members).order_by("pk").values_list("space_id", "user_id")
    for space_id, user_id in rows:
        members[space_id].append(user_id)
    return members


# --- topics and posts ----------------------------------------------------------------------------------------------


def _rendered_bodies() -> list[tuple[str, str]]:
    from forums.sanitize import normalize_source, render

    return [(normalize_source(body), render(body).html) for body in POST_BODIES]


def _topics_and_posts(spaces: list, wanted_topics: int, wanted_posts: int) -> int:
    """Add topics (spread over the spaces' first categories) and their posts; returns the measured topic's id.

    The first topic of the first space is the measured one: exactly BENCH_TOPIC_POSTS posts, made first."""
    from exchange_groups.models import fold
    from forums.models import Category, Post, PostEvent, PostEventKind, Topic, TopicReadMark, Watch
    from forums.sanitize import SANITIZER_VERSION

    # The first category of each space's forum (the default one, "Ogólna dyskusja").
    first_category = {}
    for category in Category.objects.filter(forum__space__in=spaces).select_related("forum").order_by("order", "pk"):
        first_category.setdefault(category.forum.space_id, category)
    bench_topics = Topic.objects.filter(category__in=first_category.values())
    existing_topics = bench_topics.count()
    existing_posts = Post.objects.filter(topic__in=bench_topics).count()
    new_topics = wanted_topics - existing_topics
    if new_topics > 0:
        members = _members_by_space(spaces)
        bodies = _rendered_bodies()
        remaining_posts = max(new_topics, wanted_posts - existing_posts)
        plan = []  # posts per new topic
        if existing_topics == 0:
            plan.append(BENCH_TOPIC_POSTS)
            remaining_posts -= BENCH_TOPIC_POSTS
        others = new_topics - len(plan)
        if others:
            base, extra = divmod(remaining_posts, others)
            plan += [base + (1 if i < extra else 0) for i in range(others)]
        started = timezone.now() - datetime.timedelta(days=400)
        topics = []
        for i, post_count in enumerate(plan):
            number = existing_topics + i
            space = spaces[0] if number == 0 else spaces[number % len(spaces)]
            authors = members[space.pk] or [None]
            created = started + datetime.timedelta(minutes=number * 7)
            topics.append(
                (
                    Topic(
                        category=first_category[space.pk],
                        title=f"Wątek benchmarku nr {number}: subwencja, dowozy i sieć szkół",
                        author_id=authors[number % len(authors)],
                        created_at=created,
                        last_post_at=created + datetime.timedelta(minutes=post_count - 1),
                        post_count=post_count,
                        last_seq=post_count,
                    ),
                    authors,
                )
            )
        for chunk in _chunks(topics, 500):
            Topic.objects.bulk_create([topic for topic, _authors in chunk])
            posts = []
            for topic, authors in chunk:
                for seq in range(1, topic.post_count + 1):
                    source, html = bodies[(topic.pk + seq) % len(bodies)]
                    title = topic.title if seq == 1 else ""
                    posts.append(
                        Post(
                            topic=topic,
                            author_id=authors[(topic.pk + seq) % len(authors)] if seq > 1 else topic.author_id,
                            client_msg_id=uuid.uuid4(),
                            body_source=source,
                            body_html=html,
                            sanitizer_version=SANITIZER_VERSION,
                            search_text=fold(f"{title}\n{source}"),
                            seq=seq,
                            changed_seq=seq,
                            created_at=topic.created_at + datetime.timedelta(minutes=seq - 1),
                        )
                    )
            for batch in _chunks(posts, BATCH):
                Post.objects.bulk_create(batch)
                PostEvent.objects.bulk_create(
                    [
                        PostEvent(
                            topic_id=post.topic_id,
                            post=post,
                            seq=post.seq,
                            kind=PostEventKind.CREATED,
                            at=post.created_at,
                        )
                        for post in batch
                    ]
                )
            authored = [topic for topic, _authors in chunk if topic.author_id]
            Watch.objects.bulk_create([Watch(user_id=topic.author_id, topic=topic) for topic in authored])
            TopicReadMark.objects.bulk_create(
                [TopicReadMark(user_id=topic.author_id, topic=topic, last_read_seq=1) for topic in authored]
            )
    return bench_topics.order_by("pk").values_list("pk", flat=True).first()


def _chunks(items, size):
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


# --- courses and enrolments ----------------------------------------------------------------------------------------


QUIZ_ID = "bench-quiz"


def _quiz() -> dict:
    """The learning tests' quiz (four questions, one of each kind), any number of attempts."""
    from tests.learning.conftest import quiz_block

    return quiz_block(QUIZ_ID, pass_mark=60, max_attempts=0)


def quiz_form_answers() -> dict:
    """A passing answer to the quiz as the lesson's form posts it."""
    from tests.learning.conftest import CORRECT_POST

    return CORRECT_POST


def _missing(model, parent, wanted: int) -> range:
    """The numbers of the bench pages of this type under `parent` still to make to have `wanted` of them."""
    return range(model.objects.child_of(parent).filter(slug__startswith=SLUG_PREFIX).count(), wanted)


def _courses(wanted: int) -> list[int]:
    from learning.models import CourseIndexPage, CoursePage, LessonPage, ModulePage

    catalogue = CourseIndexPage.objects.first()
    for n in _missing(CoursePage, catalogue, wanted):
        course = CoursePage(
            title=f"Kurs benchmarku nr {n}: finansowanie i sieć szkół",
            slug=f"{SLUG_PREFIX}kurs-{n:02d}",
            summary="Kurs o finansowaniu zadań oświatowych i planowaniu sieci szkół (dane benchmarku).",
            audience=["finance", "education_department", "councillor"],
            duration_hours=8,
            learning_outcomes=[{"type": "outcome", "value": "Planuje budżet oświaty z prognozą demograficzną."}],
        )
        catalogue.add_child(instance=course)
        course.save_revision().publish()
        for m in range(2):
            module = ModulePage(title=f"Moduł {m + 1}", slug=f"modul-{m + 1}", intro="<p>Wprowadzenie do modułu.</p>")
            course.add_child(instance=module)
            for lesson_number in range(2):
                body = [
                    {"type": "heading", "id": "h1", "value": "Potrzeby oświatowe"},
                    {
                        "type": "paragraph",
                        "id": "p1",
                        "value": "<p>Od 2025 r. środki na oświatę to potrzeby oświatowe.</p>",
                    },
                ]
                if m == 0 and lesson_number == 0:
                    body.append(_quiz())
                module.add_child(
                    instance=LessonPage(
                        title=f"Lekcja {m + 1}.{lesson_number + 1}",
                        slug=f"lekcja-{m + 1}-{lesson_number + 1}",
                        intro="Lekcja kursu benchmarku.",
                        body=body,
                    )
                )
    return list(
        CoursePage.objects.child_of(catalogue)
        .filter(slug__startswith=SLUG_PREFIX)
        .order_by("path")
        .values_list("pk", flat=True)
    )


def _enrolments(course_ids: list[int], people: list[int], wanted: int) -> None:
    """Person n is enrolled in course n mod C for the first `wanted` people; the first SIMULTANEOUS people also in
    the first course."""
    from learning.models import Enrolment

    pairs = {(course_ids[n % len(course_ids)], people[n]) for n in range(min(wanted, len(people)))}
    pairs |= {(course_ids[0], user_id) for user_id in people[:SIMULTANEOUS]}
    have = set(Enrolment.objects.filter(course_id__in=course_ids).values_list("course_id", "user_id"))
    Enrolment.objects.bulk_create(
        [Enrolment(course_id=course_id, user_id=user_id) for course_id, user_id in sorted(pairs - have)],
        batch_size=BATCH,
    )


# --- debates and good practices ------------------------------------------------------------------------------------


def _debates(wanted: int, spaces: list) -> None:
    from debates.handlers import scheduling_suppressed
    from debates.models import DebateIndexPage, DebatePage

    index = DebateIndexPage.objects.first()
    now = timezone.now()
    with scheduling_suppressed():
        for n in _missing(DebatePage, index, wanted):
            debate = DebatePage(
                title=f"Debata benchmarku nr {n}: dowożenie uczniów i sieć szkół",
                slug=f"{SLUG_PREFIX}debata-{n:02d}",
                lead="Rozmowa o planowaniu sieci szkół i kosztach dowożenia uczniów (dane benchmarku).",
                questions=[{"type": "question", "value": "Jak Państwa gmina liczy koszt dowożenia ucznia?"}],
                # Announced: they open later (no topics yet, no task queued: the benchmark's clock never gets there).
                opens_at=now + datetime.timedelta(days=30 + n),
                closes_at=now + datetime.timedelta(days=44 + n),
            )
            index.add_child(instance=debate)
            debate.target_spaces.set([spaces[n % len(spaces)]])
            debate.save_revision().publish()


def _practices(wanted: int, unit_ids: list[int]) -> None:
    from exchange_groups.models import GoodPracticeIndexPage, GoodPracticePage

    index = GoodPracticeIndexPage.objects.first()
    for n in _missing(GoodPracticePage, index, wanted):
        practice = GoodPracticePage(
            title=f"Dobra praktyka benchmarku nr {n}: wspólne dowozy uczniów",
            slug=f"{SLUG_PREFIX}praktyka-{n:02d}",
            summary="Dwie gminy organizują wspólne dowozy uczniów i dzielą koszty opiekunów (dane benchmarku).",
            unit_id=unit_ids[(n * 37) % len(unit_ids)],
            period_start="2018/2019",
            problem="<p>Rosnące koszty dowożenia uczniów.</p>",
            solution="<p>Wspólny przetarg i podział kosztów między gminy.</p>",
        )
        index.add_child(instance=practice)
        practice.save_revision().publish()


# --- the whole world ------------------------------------------------------------------------------------------------


def build_national(scale: float = 1.0) -> BenchWorld:
    """Bring the database to `scale` × the issue's figures (adds only what is missing); returns what to measure."""
    from learning.models import CoursePage, LessonPage

    wanted = counts(scale)
    timings = {}
    clock = time.monotonic()

    def lap(name):
        nonlocal clock
        now = time.monotonic()
        timings[name] = now - clock
        clock = now

    _ensure_demo_data()
    unit_ids = _ensure_register()
    lap("demo data and register")
    with transaction.atomic():
        people = _people(wanted["people"], unit_ids)
    lap("people")
    with transaction.atomic():
        spaces = _spaces(wanted["spaces"])
        _memberships(spaces, people)
    lap("spaces and memberships")
    with transaction.atomic():
        topic_id = _topics_and_posts(spaces, wanted["topics"], wanted["posts"])
    lap("topics and posts")
    with transaction.atomic():
        course_ids = _courses(wanted["courses"])
        _enrolments(course_ids, people, wanted["enrolments"])
    lap("courses and enrolments")
    with transaction.atomic():
        _debates(wanted["debates"], spaces)
        _practices(wanted["practices"], unit_ids)
    lap("debates and practices")

    course = CoursePage.objects.get(pk=course_ids[0])
    lesson = next(lesson for lesson in course.lessons() if lesson.quiz_block(QUIZ_ID) is not None)
    from exchange_groups.models import Membership, SpaceRole
    from oswiata_site.models import StandardPage

    space = spaces[0]
    coordinator = Membership.objects.active().filter(space=space, role=SpaceRole.COORDINATOR).order_by("pk").first()
    return BenchWorld(
        reader_id=people[0],
        coordinator_id=coordinator.user_id,
        space_id=space.pk,
        space_slug=space.slug,
        topic_id=topic_id,
        course_id=course.pk,
        lesson_id=lesson.pk,
        quiz_id=QUIZ_ID,
        paths={
            "standard page (reference)": StandardPage.objects.live().order_by("path").first().url,
            "topic page, 15 posts": reverse("forums:topic", kwargs={"topic_id": topic_id}),
            "lesson page": LessonPage.objects.get(pk=lesson.pk).url,
            "home": "/",
            "catalogue": course.get_parent().url,
            "debates": "/debaty/",
            "good practices": "/dobre-praktyki/",
        },
        counts=wanted,
        timings=timings,
    )


def invariant_problems() -> list[str]:
    """What in the generated data differs from what the services would have written (empty: nothing)."""
    from django.db.models import Count, Max, Min

    from exchange_groups.models import Membership, Space, SpaceRole
    from forums.models import Post, PostEvent, Topic

    problems = []
    topics = Topic.objects.filter(category__forum__space__slug__startswith=SLUG_PREFIX)
    posts = {
        row["topic"]: row
        for row in Post.objects.filter(topic__in=topics)
        .values("topic")
        .annotate(n=Count("pk"), first=Min("seq"), top=Max("seq"), last=Max("created_at"), changed=Max("changed_seq"))
    }
    events = dict(
        PostEvent.objects.filter(topic__in=topics).values("topic").annotate(n=Count("pk")).values_list("topic", "n")
    )
    for topic in topics.only("pk", "post_count", "last_seq", "last_post_at"):
        row = posts.get(topic.pk, {"n": 0, "first": None, "top": None, "last": None, "changed": None})
        # post_count, last_seq, the first and last seq, last_post_at, the latest changed_seq, the events
        expected = (row["n"], row["n"], 1, row["n"], row["last"], row["n"], row["n"])
        found = (topic.post_count, topic.last_seq, row["first"], row["top"], topic.last_post_at, row["changed"])
        found += (events.get(topic.pk, 0),)
        if expected != found:
            problems.append(f"topic {topic.pk}: counters {found} but posts and events say {expected}")
    spaces = Space.objects.filter(slug__startswith=SLUG_PREFIX)
    coordinated = set(
        Membership.objects.active()
        .filter(space__in=spaces, role=SpaceRole.COORDINATOR)
        .values_list("space_id", flat=True)
    )
    problems += [f"space {space.slug} has no coordinator" for space in spaces if space.pk not in coordinated]
    return problems[:20]
