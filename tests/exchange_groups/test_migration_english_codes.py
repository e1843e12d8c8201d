"""The stored codes became English (exchange_groups 0006-0008, learning 0002-0003): every column, JSON list and
page revision that held a Polish code is converted forwards, and back again when the migrations are reversed."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from wagtail.models import Locale, Page, Revision, Site

from exchange_groups.models import (
    Attendance,
    GoodPracticePage,
    Invitation,
    Meeting,
    MeetingMode,
    MeetingStatus,
    Membership,
    MembershipEvent,
    MembershipEventKind,
    PositionCategory,
    PracticeSource,
    Profile,
    Questionnaire,
    QuestionnaireKind,
    QuestionnaireStatus,
    Registration,
    RegistrationStatus,
    Resource,
    ResourceKind,
    Space,
    SpaceKind,
    SpaceRole,
    SpaceStatus,
    SpaceVisibility,
    TerritorialUnit,
    UnitKind,
    WorkPlan,
    WorkPlanItem,
    WorkPlanItemKind,
)
from exchange_groups.practices import services as practices
from learning.models import CourseIndexPage, CoursePage
from tests.factories import SpaceFactory, TerritorialUnitFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

#: Before the English codes (exchange_groups 0006 and learning 0002 are the first migrations after these).
BEFORE = [("exchange_groups", "0005_library_practices"), ("learning", "0001_initial")]

#: The Polish code each member was stored as.
POLISH = {
    QuestionnaireKind: {"diagnoza": "DIAGNOSIS", "ewaluacja": "EVALUATION"},
    QuestionnaireStatus: {"szkic": "DRAFT", "otwarta": "OPEN", "zamknieta": "CLOSED"},
    WorkPlanItemKind: {"spotkanie": "MEETING", "zadanie": "ONLINE_TASK", "material": "MATERIAL"},
    ResourceKind: {"plik": "FILE", "link": "LINK"},
    MeetingMode: {"stacjonarne": "IN_PERSON", "online": "ONLINE"},
    MeetingStatus: {"zaplanowane": "SCHEDULED", "odwolane": "CANCELLED"},
    RegistrationStatus: {"zapisany": "REGISTERED", "rezerwowa": "WAITING", "wycofany": "CANCELLED"},
    Attendance: {"nieznana": "UNKNOWN", "obecny": "PRESENT", "usprawiedliwiony": "EXCUSED", "nieobecny": "ABSENT"},
    UnitKind: {
        "wojewodztwo": "VOIVODESHIP",
        "powiat": "POWIAT",
        "miasto_npp": "CITY_WITH_POWIAT_RIGHTS",
        "gmina_miejska": "URBAN_GMINA",
        "gmina_wiejska": "RURAL_GMINA",
        "gmina_miejsko_wiejska": "URBAN_RURAL_GMINA",
    },
    PositionCategory: {
        "decydent": "DECISION_MAKER",
        "oswiata": "EDUCATION_DEPARTMENT",
        "finanse": "FINANCE",
        "szkola": "SCHOOL_ADMINISTRATION",
        "radny": "COUNCILLOR",
        "partner": "SOCIAL_PARTNER",
    },
    PracticeSource: {"ore": "ORE", "zmp": "ZMP", "siec": "NETWORK", "zgloszenie": "MEMBER"},
    SpaceKind: {"siec": "NETWORK", "gwd": "EXCHANGE_GROUP", "liderzy": "LEADERS"},
    SpaceStatus: {"rekrutacja": "RECRUITING", "aktywna": "ACTIVE", "zamknieta": "CLOSED", "archiwum": "ARCHIVED"},
    SpaceVisibility: {"publiczna": "PUBLIC", "prywatna": "PRIVATE"},
    SpaceRole: {
        "uczestnik": "PARTICIPANT",
        "moderator": "MODERATOR",
        "koordynator": "COORDINATOR",
        "ekspert": "EXPERT",
    },
}

#: Every column that stores one of the codes.
COLUMNS = [
    (Space, "kind", SpaceKind),
    (Space, "status", SpaceStatus),
    (Space, "visibility", SpaceVisibility),
    (Membership, "role", SpaceRole),
    (MembershipEvent, "role", SpaceRole),
    (MembershipEvent, "previous_role", SpaceRole),
    (Invitation, "role", SpaceRole),
    (TerritorialUnit, "kind", UnitKind),
    (Profile, "position_category", PositionCategory),
    (Meeting, "mode", MeetingMode),
    (Meeting, "status", MeetingStatus),
    (Registration, "status", RegistrationStatus),
    (Registration, "attendance", Attendance),
    (Questionnaire, "kind", QuestionnaireKind),
    (Questionnaire, "status", QuestionnaireStatus),
    (WorkPlanItem, "kind", WorkPlanItemKind),
    (Resource, "kind", ResourceKind),
    (GoodPracticePage, "unit_kind", UnitKind),
    (GoodPracticePage, "source", PracticeSource),
]
#: JSON lists of codes: on the row, and in the stored revisions of the page type.
LISTS = [(Space, "audience", UnitKind), (CoursePage, "audience", PositionCategory)]
REVISION_KEYS = [(GoodPracticePage, "unit_kind", UnitKind), (GoodPracticePage, "source", PracticeSource)]
REVISION_LISTS = [(CoursePage, "audience", PositionCategory)]


def to_polish(choices, value):
    polish = {choices[name].value: code for code, name in POLISH[choices].items()}
    return polish.get(value, value)


def migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def revisions_of(model):
    return Revision.objects.filter(
        content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name
    )


def stored():
    """What the database holds: {(model, field): {pk: value}}, lists and revision keys included."""
    found = {}
    for model, field, _choices in [*COLUMNS, *LISTS]:
        found[model.__name__, field] = dict(model._base_manager.values_list("pk", field))
    for model, key, _choices in [*REVISION_KEYS, *REVISION_LISTS]:
        found["revision", model.__name__, key] = {
            pk: content[key] for pk, content in revisions_of(model).values_list("pk", "content")
        }
    return found


def in_polish(english):
    """The same rows, each code in Polish."""
    choices_of = {(m.__name__, f): c for m, f, c in [*COLUMNS, *LISTS]}
    choices_of |= {("revision", m.__name__, k): c for m, k, c in [*REVISION_KEYS, *REVISION_LISTS]}
    polish = {}
    for where, values in english.items():
        choices = choices_of[where]
        polish[where] = {
            pk: [to_polish(choices, item) for item in value] if isinstance(value, list) else to_polish(choices, value)
            for pk, value in values.items()
        }
    return polish


def every_code_in_rows():
    """Rows (and revisions) holding every code of every column; each code is an English one here."""
    people = [UserFactory() for _ in range(6)]
    units = {kind: TerritorialUnitFactory(kind=kind) for kind in UnitKind}
    Profile.objects.filter(user__in=people).delete()
    for person, category in zip(people, PositionCategory, strict=True):
        Profile.objects.create(user=person, position_category=category)
    spaces = [
        SpaceFactory(kind=kind, status=status, visibility=visibility, audience=audience)
        for kind, status, visibility, audience in zip(
            [*SpaceKind, SpaceKind.NETWORK],
            SpaceStatus,
            [*SpaceVisibility, *SpaceVisibility],
            [list(UnitKind), [UnitKind.RURAL_GMINA, "nie-ma-takiego"], [], [UnitKind.POWIAT]],
            strict=True,
        )
    ]
    space = spaces[0]
    for person, role in zip(people, SpaceRole, strict=False):
        Membership.objects.create(space=space, user=person, role=role)
        Invitation.objects.create(
            space=space, email=person.email, role=role, token_hash=f"token-{role}", expires_at=timezone.now()
        )
    roles = list(SpaceRole)
    for role, previous in zip(roles, roles[1:] + roles[:1], strict=True):
        MembershipEvent.objects.create(
            space=space, kind=MembershipEventKind.ROLE_CHANGED, role=role, previous_role=previous
        )
    MembershipEvent.objects.create(space=space, kind=MembershipEventKind.LEFT)
    start = timezone.now() + datetime.timedelta(days=7)
    meetings = [
        Meeting.objects.create(
            space=space,
            title="Spotkanie",
            mode=mode,
            status=status,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
        )
        for mode, status in zip(MeetingMode, MeetingStatus, strict=True)
    ]
    statuses = [*RegistrationStatus, RegistrationStatus.REGISTERED]
    for person, status, attendance in zip(people, statuses, Attendance, strict=False):
        Registration.objects.create(meeting=meetings[0], user=person, status=status, attendance=attendance)
    for kind, status in zip([*QuestionnaireKind, QuestionnaireKind.DIAGNOSIS], QuestionnaireStatus, strict=True):
        Questionnaire.objects.create(space=space, kind=kind, status=status, title="Ankieta", cycle="2019/2020")
    plan = WorkPlan.objects.create(space=space, cycle="2019/2020")
    for kind in WorkPlanItemKind:
        WorkPlanItem.objects.create(plan=plan, kind=kind, title="Pozycja planu")
    Resource.objects.create(space=space, kind=ResourceKind.FILE, title="Plik", file="biblioteka/plan.pdf")
    Resource.objects.create(space=space, kind=ResourceKind.LINK, title="Link", url="https://www.ore.edu.pl/")
    practice_index = practices.ensure_good_practice_index(Site.objects.get(is_default_site=True).root_page)
    for number, (unit, source) in enumerate(zip(units.values(), [*PracticeSource, *PracticeSource], strict=False)):
        page = GoodPracticePage(
            title=f"Praktyka {number}", unit=unit, source=source, problem="<p>P</p>", solution="<p>S</p>"
        )
        practice_index.add_child(instance=page)
        page.save_revision().publish()
    Locale.objects.get_or_create(language_code="pl")
    catalogue = CourseIndexPage(title="Kursy", slug="kursy")
    Page.objects.filter(depth=2).first().add_child(instance=catalogue)
    for number, audience in enumerate([list(PositionCategory), [PositionCategory.FINANCE], []]):
        course = CoursePage(title=f"Kurs {number}", slug=f"kurs-{number}", summary="Kurs.", audience=audience)
        catalogue.add_child(instance=course)
        course.save_revision().publish()


def test_every_stored_code_is_the_lowercase_english_name_of_its_member():
    for choices, polish in POLISH.items():
        assert {member.value for member in choices} == {member.name.lower() for member in choices}, choices
        assert sorted(polish.values()) == sorted(member.name for member in choices), choices


def test_the_migrations_turn_every_polish_code_into_english_and_back():
    every_code_in_rows()
    english = stored()
    polish = in_polish(english)
    for model, field, choices in [*COLUMNS, *LISTS]:  # the rows hold every code of every column
        values = polish[model.__name__, field].values()
        held = {item for value in values for item in (value if isinstance(value, list) else [value])}
        assert held >= set(POLISH[choices]), (model, field)
    try:
        migrate(BEFORE)
        assert stored() == polish
        migrate()
        assert stored() == english
    finally:
        migrate()
