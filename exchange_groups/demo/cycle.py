"""Demo data of the yearly cycle: a needs diagnosis and a work plan 2019/2020 for each cooperation network,
and, for the network of urban-rural gminas, a closed evaluation with the same keys, so that the comparison
page shows both columns.

`load_demo_cycle(users, spaces)` is called by `exchange_groups.demo.load` after the demo memberships. It is
idempotent (questionnaires are found by space, kind and title; a second response of a person is refused by
the services anyway) and goes through the services of `cycle.py`. Answers are varied but reproducible
(a seeded generator per network). The demo participant ("uczestnik") is left with one open questionnaire
to answer: the diagnosis of the network of rural gminas.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from exchange_groups.cycle import planning, services
from exchange_groups.models import (
    Membership,
    Questionnaire,
    QuestionnaireKind,
    QuestionnaireStatus,
    Response,
    Space,
    SpaceRole,
    User,
    WorkPlanItemKind,
)

NETWORKS = ("siec-gminy-wiejskie", "siec-gminy-miejsko-wiejskie", "siec-gminy-miejskie-i-powiaty")
EVALUATED_NETWORK = "siec-gminy-miejsko-wiejskie"
OPEN_FOR_PARTICIPANT = "siec-gminy-wiejskie"

DIAGNOSIS_TITLE = "Diagnoza potrzeb uczestników sieci 2019/2020"
EVALUATION_TITLE = "Ewaluacja pracy sieci 2019/2020"
DIAGNOSIS_INTRO = (
    "Zanim zaplanujemy pracę sieci na rok szkolny 2019/2020, chcemy poznać Państwa potrzeby. Ankieta zajmie "
    "około 10 minut. Odpowiedzi są anonimowe: koordynatorzy widzą tylko zestawienia."
)
EVALUATION_INTRO = (
    "Na koniec roku prosimy o ocenę pracy sieci. Pytania są takie same jak w diagnozie potrzeb, dzięki czemu "
    "zobaczymy, co się zmieniło. Odpowiedzi są anonimowe."
)

# (key, kind, text, options or (min label, max label), required)
QUESTIONS = [
    (
        "strategia",
        "single",
        "Czy Pana/Pani JST ma aktualną strategię oświatową lub lokalny plan rozwoju oświaty?",
        ["Tak, przyjętą uchwałą rady", "Jest w przygotowaniu", "Nie, ale planujemy ją opracować", "Nie"],
        True,
    ),
    (
        "finansowanie",
        "scale",
        "Jak ocenia Pan/Pani swoją wiedzę o finansowaniu zadań oświatowych (subwencja oświatowa, dotacje, "
        "wydatki własne JST)?",
        ("bardzo słabo", "bardzo dobrze"),
        True,
    ),
    (
        "siec-szkol",
        "multiple",
        "Które sprawy sieci szkół i demografii są dziś najważniejsze w Pana/Pani JST?",
        [
            "Spadek liczby uczniów",
            "Małe szkoły i klasy łączone",
            "Dowożenie uczniów",
            "Prognoza demograficzna",
            "Przekształcenia szkół",
            "Zatrudnienie nauczycieli",
        ],
        True,
    ),
    (
        "wspomaganie",
        "scale",
        "W jakim stopniu Pana/Pani JST wspiera procesowe wspomaganie szkół (diagnoza potrzeb szkół, plan "
        "wspomagania, współpraca z placówkami doskonalenia)?",
        ("wcale", "w bardzo dużym stopniu"),
        True,
    ),
    (
        "partnerzy",
        "single",
        "Jak ocenia Pan/Pani współpracę JST z partnerami: kuratorium oświaty, poradniami, organizacjami "
        "pozarządowymi, pracodawcami?",
        ["Bardzo dobrze", "Dobrze", "Przeciętnie", "Słabo"],
        True,
    ),
    (
        "formy-pracy",
        "multiple",
        "Jakie formy pracy sieci są dla Pana/Pani najbardziej przydatne?",
        [
            "Spotkania stacjonarne",
            "Spotkania online",
            "Konsultacje z ekspertami",
            "Wymiana dobrych praktyk",
            "Materiały i narzędzia do pracy",
        ],
        True,
    ),
    (
        "oczekiwania",
        "open",
        "Czego oczekuje Pan/Pani od udziału w sieci w tym roku szkolnym?",
        None,
        False,
    ),
]

DIAGNOSIS_OPEN_ANSWERS = [
    "Chciałabym lepiej rozumieć algorytm podziału subwencji oświatowej i umieć policzyć, ile dokładamy do "
    "oświaty z dochodów własnych.",
    "Przygotowujemy się do zmian w sieci szkół – liczba urodzeń spada od kilku lat. Potrzebujemy przykładów, "
    "jak rozmawiać o tym z rodzicami i radnymi.",
    "Wymiany doświadczeń z gminami podobnej wielkości, zwłaszcza w organizacji dowozu uczniów.",
    "Konkretnych narzędzi do analizy danych z SIO i do prognozowania liczby uczniów.",
    "Pomocy w przygotowaniu lokalnej strategii oświatowej, której nie mamy od 2012 roku.",
    "Kontaktu z ekspertami od wspomagania szkół; dyrektorzy oczekują od nas wsparcia, a nie tylko kontroli.",
    "Spotkań, na których można zadać pytania praktykom z innych samorządów.",
]
EVALUATION_OPEN_ANSWERS = [
    "Najbardziej przydały się warsztaty z analizy kosztów oświaty – zastosowaliśmy arkusz w naszej gminie.",
    "Dzięki sieci przygotowaliśmy projekt strategii oświatowej; w przyszłym roku chcemy pracować nad "
    "wspomaganiem szkół.",
    "Spotkania online były wygodne, ale brakowało mi dłuższych rozmów w małych grupach.",
    "Cenne były przykłady uchwał i harmonogram konsultacji zmian w sieci szkół.",
    "Proszę o kontynuację sieci – to jedyne miejsce, gdzie można porozmawiać o oświacie z innymi wójtami "
    "i burmistrzami.",
]

# Weights of the options (in the order of QUESTIONS) for the diagnosis and the evaluation.
DIAGNOSIS_WEIGHTS = {
    "strategia": [2, 3, 3, 2],
    "finansowanie": [2, 4, 4, 2, 1],
    "wspomaganie": [3, 4, 3, 1, 0],
    "partnerzy": [1, 4, 4, 2],
}
EVALUATION_WEIGHTS = {
    "strategia": [4, 4, 1, 0],
    "finansowanie": [0, 1, 3, 5, 2],
    "wspomaganie": [0, 2, 4, 3, 1],
    "partnerzy": [2, 5, 2, 1],
}

PLAN_GOALS = (
    "Wzmocnienie kompetencji przedstawicieli JST w zarządzaniu oświatą opartym na danych\n"
    "Przygotowanie lub aktualizacja lokalnej strategii oświatowej w każdej JST sieci\n"
    "Wymiana doświadczeń w planowaniu sieci szkół wobec zmian demograficznych\n"
    "Rozwój współpracy JST ze szkołami w procesowym wspomaganiu"
)
PLAN_THEMES = {
    "siec-gminy-wiejskie": (
        "Finansowanie oświaty w małej gminie: subwencja, dotacje, wydatki własne\n"
        "Małe szkoły, klasy łączone i dowożenie uczniów\n"
        "Lokalna strategia oświatowa krok po kroku\n"
        "Procesowe wspomaganie szkół"
    ),
    "siec-gminy-miejsko-wiejskie": (
        "Sieć szkół w mieście i na terenach wiejskich gminy\n"
        "Prognoza demograficzna i jej wykorzystanie\n"
        "Dowożenie uczniów i organizacja transportu\n"
        "Współpraca z partnerami społecznymi"
    ),
    "siec-gminy-miejskie-i-powiaty": (
        "Szkolnictwo ponadpodstawowe i zawodowe a rynek pracy\n"
        "Kompetencje kluczowe uczniów\n"
        "Zarządzanie oświatą oparte na danych (SIO, wyniki egzaminów)\n"
        "Współpraca z pracodawcami i poradniami"
    ),
}
# (kind, title, description, exact date or None, month, link)
PLAN_ITEMS = [
    (
        WorkPlanItemKind.MEETING,
        "Spotkanie otwierające sieć",
        "Poznanie uczestników, omówienie wyników diagnozy potrzeb i przyjęcie planu pracy.",
        datetime.date(2019, 9, 26),
        None,
        "",
    ),
    (
        WorkPlanItemKind.ONLINE_TASK,
        "Analiza danych oświatowych własnej JST",
        "Zadanie online: zestawienie liczby uczniów, oddziałów i kosztów szkół na podstawie SIO; "
        "wyniki na forum sieci.",
        None,
        datetime.date(2019, 10, 1),
        "",
    ),
    (
        WorkPlanItemKind.MEETING,
        "Webinarium: subwencja oświatowa i wydatki własne",
        "Spotkanie online z ekspertką ds. finansowania oświaty; pytania można zgłaszać wcześniej na forum.",
        datetime.date(2019, 11, 19),
        None,
        "https://www.ore.edu.pl/",
    ),
    (
        WorkPlanItemKind.MATERIAL,
        "Materiał: jak przygotować lokalną strategię oświatową",
        "Przewodnik z przykładami celów, wskaźników i harmonogramu konsultacji.",
        None,
        datetime.date(2019, 12, 1),
        "https://www.ore.edu.pl/",
    ),
    (
        WorkPlanItemKind.MEETING,
        "Warsztaty: prognoza demograficzna i sieć szkół",
        "Spotkanie stacjonarne; praca na danych uczestników, przykłady uchwał w sprawie sieci szkół.",
        datetime.date(2020, 1, 28),
        None,
        "",
    ),
    (
        WorkPlanItemKind.ONLINE_TASK,
        "Zadanie online: plan wspomagania szkół w mojej JST",
        "Opis, jak JST wspiera szkoły w diagnozie potrzeb i planowaniu rozwoju; wzajemne komentarze.",
        None,
        datetime.date(2020, 3, 1),
        "",
    ),
    (
        WorkPlanItemKind.MEETING,
        "Spotkanie online: współpraca z partnerami",
        "Goście: przedstawiciele poradni psychologiczno-pedagogicznej i organizacji pozarządowej.",
        datetime.date(2020, 4, 22),
        None,
        "",
    ),
    (
        WorkPlanItemKind.MEETING,
        "Spotkanie podsumowujące i ewaluacja",
        "Prezentacja efektów pracy uczestników, ewaluacja sieci i plany na kolejny rok.",
        datetime.date(2020, 6, 16),
        None,
        "",
    ),
]


def _coordinator(space: Space, users: dict) -> User | None:
    membership = (
        Membership.objects.active()
        .filter(space=space, role=SpaceRole.COORDINATOR)
        .select_related("user")
        .order_by("since", "pk")
        .first()
    )
    if membership is not None:
        return membership.user
    admin = users.get("administrator")
    return admin if admin is not None and admin.is_superuser else None


def _respondents(space: Space) -> list[User]:
    """Active members other than coordinators, in a stable order."""
    return [
        membership.user
        for membership in Membership.objects.active()
        .filter(space=space)
        .exclude(role=SpaceRole.COORDINATOR)
        .select_related("user")
        .order_by("user__email")
    ]


def _ensure_questionnaire(actor, space: Space, kind: str, title: str, intro: str) -> Questionnaire:
    questionnaire = Questionnaire.objects.filter(space=space, kind=kind, title=title).first()
    if questionnaire is not None:
        return questionnaire
    questionnaire = services.create_questionnaire(actor, space, kind=kind, title=title, intro=intro)
    for key, kind_of_question, text, extra, required in QUESTIONS:
        options = extra if kind_of_question in ("single", "multiple") else ()
        low, high = extra if kind_of_question == "scale" else ("", "")
        services.add_question(
            actor,
            questionnaire,
            kind=kind_of_question,
            text=text,
            key=key,
            required=required,
            choices=options,
            scale_min=1,
            scale_max=5,
            scale_min_label=low,
            scale_max_label=high,
        )
    return questionnaire


def _answers_for(questionnaire: Questionnaire, rng: random.Random, weights: dict, texts: list[str]) -> dict:
    data = {}
    for question in questionnaire.questions.prefetch_related("choices"):
        options = list(question.choices.all())
        if question.kind == "single":
            data[question.pk] = rng.choices(options, weights=weights[question.key])[0].pk
        elif question.kind == "multiple":
            data[question.pk] = [option.pk for option in rng.sample(options, rng.randint(1, 3))]
        elif question.kind == "scale":
            data[question.pk] = rng.choices(question.scale_values(), weights=weights[question.key])[0]
        elif rng.random() < 0.6:
            data[question.pk] = rng.choice(texts)
    return data


def _answer(questionnaire: Questionnaire, people: list[User], seed: str, weights: dict, texts: list[str], when):
    rng = random.Random(seed)
    for number, person in enumerate(people):
        data = _answers_for(questionnaire, rng, weights, texts)
        submitted = services.submit_response(person, questionnaire, data)
        if submitted.created:
            Response.objects.filter(pk=submitted.response.pk).update(
                submitted_at=when + datetime.timedelta(days=number // 2, hours=9 + number)
            )


def _backdate(questionnaire: Questionnaire, published: datetime.datetime, closed: datetime.datetime | None) -> None:
    """Demo dates within the 2019/2020 school year (cosmetic: the services stamp the present)."""
    fields = {"published_at": published, "created_at": published - datetime.timedelta(days=3)}
    if closed is not None:
        fields["closed_at"] = closed
    Questionnaire.objects.filter(pk=questionnaire.pk).update(**fields)


def _at(year, month, day) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 10, 0))


def _load_questionnaires(space: Space, users: dict, actor: User) -> None:
    participant = users.get("uczestnik")
    people = _respondents(space)
    if space.slug == OPEN_FOR_PARTICIPANT and participant is not None:
        people = [person for person in people if person.pk != participant.pk]

    diagnosis = _ensure_questionnaire(actor, space, QuestionnaireKind.DIAGNOSIS, DIAGNOSIS_TITLE, DIAGNOSIS_INTRO)
    if diagnosis.is_draft:
        services.publish_questionnaire(actor, diagnosis)
        _backdate(diagnosis, _at(2019, 9, 2), None)
        diagnosis.refresh_from_db()
    if diagnosis.accepts_answers:
        _answer(diagnosis, people, f"diagnoza:{space.slug}", DIAGNOSIS_WEIGHTS, DIAGNOSIS_OPEN_ANSWERS, _at(2019, 9, 4))

    if space.slug != EVALUATED_NETWORK:
        return
    if diagnosis.status == QuestionnaireStatus.OPEN:
        services.close_questionnaire(actor, diagnosis)
        _backdate(diagnosis, _at(2019, 9, 2), _at(2019, 9, 20))
    evaluation = Questionnaire.objects.filter(
        space=space, kind=QuestionnaireKind.EVALUATION, title=EVALUATION_TITLE
    ).first()
    if evaluation is None:
        evaluation = services.copy_diagnosis_as_evaluation(actor, diagnosis, title=EVALUATION_TITLE)
        services.update_questionnaire(actor, evaluation, title=EVALUATION_TITLE, intro=EVALUATION_INTRO)
        services.add_question(
            actor,
            evaluation,
            kind="scale",
            text="Jak ocenia Pan/Pani udział w sieci w tym roku szkolnym?",
            key="ocena-sieci",
            scale_min_label="bardzo źle",
            scale_max_label="bardzo dobrze",
        )
    if evaluation.is_draft:
        services.publish_questionnaire(actor, evaluation)
    evaluation.refresh_from_db()
    if evaluation.accepts_answers:
        weights = {**EVALUATION_WEIGHTS, "ocena-sieci": [0, 0, 2, 5, 4]}
        # Most members answer the evaluation too; one does not.
        _answer(
            evaluation,
            people[:-1] or people,
            f"ewaluacja:{space.slug}",
            weights,
            EVALUATION_OPEN_ANSWERS,
            _at(2020, 6, 17),
        )
        services.close_questionnaire(actor, evaluation)
        _backdate(evaluation, _at(2020, 6, 16), _at(2020, 6, 30))


def _load_work_plan(space: Space, actor: User) -> None:
    plan = planning.get_work_plan(space)
    if plan is None or not (plan.goals or plan.themes):
        planning.update_work_plan(actor, space, goals=PLAN_GOALS, themes=PLAN_THEMES.get(space.slug, ""))
        plan = planning.get_work_plan(space)
    if plan.items.exists():
        return
    for kind, title, description, date, month, link in PLAN_ITEMS:
        planning.add_work_plan_item(
            actor, space, kind=kind, title=title, description=description, date=date, month=month, link=link
        )


@transaction.atomic
def load_demo_cycle(users: dict[str, User], spaces: dict[str, Space]) -> None:
    for slug in NETWORKS:
        space = spaces.get(slug)
        if space is None:
            continue
        actor = _coordinator(space, users)
        if actor is None:
            continue
        _load_work_plan(space, actor)
        _load_questionnaires(space, users, actor)
