"""Builders shared by the tests of the yearly cycle (questionnaires and the work plan)."""

from django.contrib.auth.models import Group

from exchange_groups.cycle import services as cycle
from exchange_groups.models import QuestionnaireKind, SpaceRole, SpaceVisibility
from exchange_groups.spaces import services as membership_services
from tests.factories import SpaceFactory, UserFactory

SPACE_NAME = "Sieć współpracy: gminy wiejskie (test)"


def build_world(*, private: bool = False, members: int = 4) -> dict:
    superuser = UserFactory(is_superuser=True, is_staff=True, first_name="Jan", last_name="Wójcik")
    site_admin = UserFactory(first_name="Ewa", last_name="Administratorka")
    site_admin.groups.add(Group.objects.get_or_create(name="Administrator")[0])
    space = SpaceFactory(
        name=SPACE_NAME, visibility=SpaceVisibility.PRIVATE if private else SpaceVisibility.PUBLIC, cycle="2019/2020"
    )
    coordinator = UserFactory(first_name="Małgorzata", last_name="Zielińska")
    membership_services.add_member(superuser, space, coordinator, SpaceRole.COORDINATOR, notify=False)
    people = []
    for number in range(members):
        person = UserFactory(first_name="Żaneta", last_name=f"Łęcka{number}")
        membership_services.add_member(coordinator, space, person, SpaceRole.PARTICIPANT, notify=False)
        people.append(person)
    other_space = SpaceFactory(name="Inna sieć")
    other_coordinator = UserFactory()
    membership_services.add_member(superuser, other_space, other_coordinator, SpaceRole.COORDINATOR, notify=False)
    return {
        "space": space,
        "coordinator": coordinator,
        "members": people,
        "member": people[0] if people else None,
        "superuser": superuser,
        "site_admin": site_admin,
        "non_member": UserFactory(),
        "other_coordinator": other_coordinator,
    }


def build_questionnaire(space, coordinator, *, kind=QuestionnaireKind.DIAGNOSIS, publish=True, title=""):
    """A questionnaire with one question of each kind; returns (questionnaire, {kind: question})."""
    questionnaire = cycle.create_questionnaire(
        coordinator,
        space,
        kind=kind,
        title=title or "Diagnoza potrzeb sieci 2019/2020",
        intro="Ankieta zajmie około 10 minut.",
    )
    questions = {
        "single": cycle.add_question(
            coordinator,
            questionnaire,
            kind="single",
            text="Czy gmina ma aktualną strategię oświatową?",
            key="strategia",
            choices=["Tak", "Nie", "W przygotowaniu"],
        ),
        "multiple": cycle.add_question(
            coordinator,
            questionnaire,
            kind="multiple",
            text="Jakiego wsparcia potrzebuje Pan/Pani najbardziej?",
            key="wsparcie",
            choices=["Szkolenia", "Doradztwo", "Wymiana doświadczeń"],
        ),
        "scale": cycle.add_question(
            coordinator,
            questionnaire,
            kind="scale",
            text="Jak ocenia Pan/Pani wiedzę o finansowaniu oświaty?",
            key="finansowanie",
            scale_min=1,
            scale_max=5,
            scale_min_label="bardzo słabo",
            scale_max_label="bardzo dobrze",
        ),
        "open": cycle.add_question(
            coordinator,
            questionnaire,
            kind="open",
            text="Czego oczekuje Pan/Pani od sieci?",
            key="oczekiwania",
            required=False,
        ),
    }
    if publish:
        cycle.publish_questionnaire(coordinator, questionnaire)
        questionnaire.refresh_from_db()
    return questionnaire, questions


def choice_pk(question, text: str) -> int:
    return question.choices.get(text=text).pk


def answers(questions, *, single="Tak", multiple=("Szkolenia",), scale=3, text="") -> dict:
    """Service-level data for `cycle.submit_response`."""
    return {
        questions["single"].pk: choice_pk(questions["single"], single),
        questions["multiple"].pk: [choice_pk(questions["multiple"], option) for option in multiple],
        questions["scale"].pk: scale,
        questions["open"].pk: text,
    }


def form_data(questions, **kwargs) -> dict:
    """The same answers as the answer page's form posts them."""
    return {f"q{pk}": value for pk, value in answers(questions, **kwargs).items()}
