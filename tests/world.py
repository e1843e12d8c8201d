"""The suite's named people and objects, built through the services (factories only make the bare rows).

People, least rights first (PERSONAS):
- anonymous: nobody logged in;
- plain: logged in, has given the consents, belongs to no space;
- member: participant of the space;
- moderator: moderator of the space;
- outsider: coordinator of another space, a stranger to this one;
- coordinator: coordinator of the space;
- administrator: superuser.

Two ways to use them:
- a test asks for the fixtures of tests/conftest.py (`member`, `coordinator`, `space`, `private_space`, `topic`,
  `meeting`, `course`, ...): each is built for that test alone, only when asked for;
- a module whose many tests only read one world builds it once with `build_world()` (the permission matrix,
  hostile input, the browser tests' matrix world): the same people in a private space, with its forum and
  topic, a meeting, a questionnaire and a course, plus the outsider's public space. Each module adds what it
  needs on top (tests/site/matrix_data.py, tests/site/test_hostile_input.py).
"""

import contextlib

from django.core.files.uploadedfile import SimpleUploadedFile

from exchange_groups.accounts.permissions import REQUIRED_CONSENTS
from exchange_groups.accounts.services import give_consent
from exchange_groups.models import MeetingMode, PositionCategory, SpaceRole, SpaceStatus, SpaceVisibility, User
from exchange_groups.spaces import services as membership
from tests.factories import SpaceFactory, UserFactory

PERSONAS = ("anonymous", "plain", "member", "moderator", "outsider", "coordinator", "administrator")
# Strangers to the private space: it must not even exist for them.
OUTSIDERS = ("anonymous", "plain", "outsider")

PRIVATE_SPACE_NAME = "Tajna Sieć Matrycowa Gmin"
PRIVATE_SPACE_SLUG = "tajna-siec-matrycowa"
PUBLIC_SPACE_NAME = "Jawna Sieć Matrycowa Powiatów"
PUBLIC_SPACE_SLUG = "jawna-siec-matrycowa"
SECRET_WORD = "Zyrafokonik"  # in the private space's meeting and topic: an outsider must never see it
TOPIC_TITLE = "Kwerenda budżetowa matrycy"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

NAMES = {
    "administrator": ("Ewa", "Administratorka"),
    "plain": ("Piotr", "Zwykły"),
    "member": ("Anna", "Uczestniczka"),
    "moderator": ("Marek", "Moderator"),
    "outsider": ("Bogdan", "Obcy"),
    "coordinator": ("Małgorzata", "Koordynatorka"),
}
ROLES = {"member": SpaceRole.PARTICIPANT, "moderator": SpaceRole.MODERATOR, "coordinator": SpaceRole.COORDINATOR}


# --- building blocks (the fixtures of tests/conftest.py use these too) -----------------------------------------


def consenting(user: User) -> User:
    """The person has given the consents the platform requires (without them most pages send them away)."""
    for purpose in REQUIRED_CONSENTS:
        give_consent(user, purpose)
    return user


def make_administrator(**fields) -> User:
    first_name, last_name = NAMES["administrator"]
    return UserFactory(is_superuser=True, is_staff=True, first_name=first_name, last_name=last_name, **fields)


def make_person(persona: str = "plain", **fields) -> User:
    """A logged-in person with the consents given, named after their persona."""
    first_name, last_name = NAMES.get(persona, NAMES["plain"])
    return consenting(UserFactory(**{"first_name": first_name, "last_name": last_name, **fields}))


def make_space(*, private: bool = False, **fields):
    defaults = {
        "name": "Sieć współpracy: gminy wiejskie",
        "slug": "siec-gminy-wiejskie",
        "status": SpaceStatus.RECRUITING,
        "visibility": SpaceVisibility.PRIVATE if private else SpaceVisibility.PUBLIC,
    }
    return SpaceFactory(**{**defaults, **fields})


def add_to_space(administrator: User, space, user: User, role=SpaceRole.PARTICIPANT):
    """The administrator adds the person (no e-mail); returns the membership."""
    return membership.add_member(administrator, space, user, role, notify=False)


def make_forum_topic(space, author: User, *, title: str = TOPIC_TITLE, body: str | None = None, attachment=True):
    """The space's forum, its category and a topic the author opened (with a PDF attachment by default)."""
    from forums import services as forum_services

    forum = forum_services.ensure_forum(space)
    category = forum.categories.get()
    attachments = [SimpleUploadedFile("zalacznik.pdf", PDF_BYTES, "application/pdf")] if attachment else []
    body = body if body is not None else f"Tekst o {SECRET_WORD} w budżecie."
    topic = forum_services.create_topic(author, category, title, body, attachments=attachments)
    return forum, category, topic


def make_meeting(coordinator: User, space, *, title: str = f"Spotkanie {SECRET_WORD}", days: int = 14, **fields):
    """An in-person meeting the coordinator plans `days` from now, 10:00–14:00."""
    from exchange_groups.meetings import services as meetings
    from tests.exchange_groups.meetings_helpers import in_days

    defaults = {
        "title": title,
        "mode": MeetingMode.IN_PERSON,
        "starts_at": in_days(days, 10),
        "ends_at": in_days(days, 14),
        "venue": "Urząd Gminy",
        "address": "ul. Teatralna 1a",
        "agenda": "1. Diagnoza",
        "capacity": None,
        "registration_deadline": None,
        "link_visible_minutes_before": 60,
    }
    return meetings.create_meeting(coordinator, space, **{**defaults, **fields})


def make_course(*, slug: str = "kurs-matrycy") -> dict:
    """A published course under a course index page: a module with a lesson (a paragraph, a reflection and a
    quiz). Returns the course, module and lesson."""
    from wagtail.models import Locale, Page

    from learning.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
    from tests.learning.conftest import quiz_block

    Locale.objects.get_or_create(language_code="pl")
    home = Page.objects.filter(depth=2).first()
    catalogue = CourseIndexPage(title="Kursy matrycy", slug="kursy-matrycy")
    home.add_child(instance=catalogue)
    course = CoursePage(
        title="Kurs matrycy uprawnień",
        slug=slug,
        summary="Kurs do testu uprawnień.",
        duration_hours=2,
        audience=[PositionCategory.EDUCATION_DEPARTMENT],
        learning_outcomes=[{"type": "outcome", "value": "Zna reguły."}],
    )
    catalogue.add_child(instance=course)
    course.save_revision().publish()
    module = ModulePage(title="Moduł matrycy", slug="modul-matrycy")
    course.add_child(instance=module)
    lesson = LessonPage(
        title="Lekcja matrycy",
        slug="lekcja-matrycy",
        body=[
            {"type": "paragraph", "value": "<p>Treść.</p>", "id": "p1"},
            {"type": "reflection", "value": {"prompt": "Jak?", "guidance": ""}, "id": "r1"},
            quiz_block(),
        ],
    )
    module.add_child(instance=lesson)
    return {
        "course": CoursePage.objects.get(pk=course.pk),
        "module": module,
        "lesson": LessonPage.objects.get(pk=lesson.pk),
    }


# --- one world for a whole module ------------------------------------------------------------------------------


def build_people() -> dict:
    """The people, the private space of the member, moderator and coordinator, and the outsider's public space."""
    world: dict = {"administrator": make_administrator()}
    world["private_space"] = make_space(
        name=PRIVATE_SPACE_NAME, slug=PRIVATE_SPACE_SLUG, private=True, status=SpaceStatus.ACTIVE
    )
    world["public_space"] = make_space(name=PUBLIC_SPACE_NAME, slug=PUBLIC_SPACE_SLUG, status=SpaceStatus.ACTIVE)
    for persona in ("coordinator", "moderator", "member", "outsider", "plain"):
        world[persona] = make_person(persona)
    for persona, role in ROLES.items():
        joined = add_to_space(world["administrator"], world["private_space"], world[persona], role)
        world[f"membership_{persona}"] = joined
    add_to_space(world["administrator"], world["public_space"], world["outsider"], SpaceRole.COORDINATOR)
    return world


def build_world() -> dict:
    """`build_people()` with what the private space holds: its forum with the member's topic (and its post and
    attachment), the coordinator's meeting, a published questionnaire, and a course the member is enrolled in."""
    from learning import services as learning_services
    from tests.exchange_groups.cycle_support import build_questionnaire

    world = build_people()
    space = world["private_space"]
    world["forum"], world["category"], world["topic"] = make_forum_topic(space, world["member"])
    world["post"] = world["topic"].posts.first()
    world["attachment"] = world["post"].attachments.first()
    world["meeting"] = make_meeting(world["coordinator"], space)
    world["questionnaire"], world["questions"] = build_questionnaire(space, world["coordinator"])
    world.update(make_course())
    world["enrolment"], _ = learning_services.enrol(world["course"], world["member"])
    return world


@contextlib.contextmanager
def world_for_module(build, django_db_blocker, media_dir):
    """`build()`'s world, made inside an outer transaction that is rolled back when the module ends, its files
    under `media_dir`. Each test's own `db` transaction nests inside it (a savepoint), so the tests of the module
    share the world and cannot disturb each other. Use it in a module-scoped fixture:

        @pytest.fixture(scope="module")
        def world(django_db_setup, django_db_blocker, tmp_path_factory):
            with world_for_module(build_world, django_db_blocker, tmp_path_factory.mktemp("media")) as world:
                yield world
    """
    from django.db import transaction
    from django.test import override_settings

    with (
        override_settings(
            EXCHANGE_GROUPS_PRIVATE_MEDIA_ROOT=str(media_dir / "private"), MEDIA_ROOT=str(media_dir / "public")
        ),
        django_db_blocker.unblock(),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
