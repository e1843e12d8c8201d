"""Polish demo data of the e-learning: competence areas, two courses with modules, lessons, a quiz and pre/post
tests, and demo learners at various stages (not started, in progress, completed with a certificate).

`load(stdout=None)` is called by `manage.py load_demo_data` after exchange_groups' people and the site's pages
exist. Idempotent: pages are found by slug, learners by e-mail, and everything else goes through the services,
which do nothing the second time.
"""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.models import Page

from exchange_groups.models import PositionCategory, Space, User, fold
from learning import services
from learning.models import (
    AttendanceRecord,
    CompetenceArea,
    CourseIndexPage,
    CourseMeetingRequirement,
    CoursePage,
    CourseTeamMember,
    LessonPage,
    ModulePage,
    QuizAttempt,
)

AREAS = [
    ("Planowanie sieci szkół i demografia", "Prognozy demograficzne, sieć szkół i przedszkoli, dowożenie uczniów."),
    ("Finansowanie oświaty", "Subwencja oświatowa, potrzeby oświatowe, wydatki bieżące i inwestycyjne."),
    ("Lokalna strategia oświatowa", "Diagnoza, cele, lokalny plan rozwoju oświaty i jego monitorowanie."),
    ("Procesowe wspomaganie szkół", "Wspieranie rozwoju szkół przez organ prowadzący i placówki doskonalenia."),
    ("Kompetencje kluczowe dla rynku pracy", "Współpraca szkół z pracodawcami, doradztwo zawodowe."),
    ("Zarządzanie oparte na danych", "Wskaźniki, wyniki egzaminów, SIO i dane finansowe w decyzjach."),
    ("Współpraca z partnerami społecznymi", "Rady rodziców, organizacje pozarządowe, związki zawodowe."),
]


def _p(text: str) -> str:
    return f"<p>{text}</p>"


def _option(oid, text, correct=False, feedback=""):
    return {"type": "item", "id": oid, "value": {"text": text, "correct": correct, "feedback": feedback}}


def _ensure_areas() -> dict[str, CompetenceArea]:
    areas = {}
    for order, (name, description) in enumerate(AREAS, start=1):
        area, _created = CompetenceArea.objects.get_or_create(
            name=name, defaults={"description": description, "sort_order": order}
        )
        areas[name] = area
    return areas


def _child(parent, model, slug, **fields):
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return model.objects.get(pk=page.pk), True


def _document():
    from wagtail.documents import get_document_model

    Document = get_document_model()  # noqa: N806
    title = "Opracowanie tematyczne: subwencja oświatowa i potrzeby oświatowe"
    document = Document.objects.filter(title=title).first()
    if document is None:
        text = (
            "Opracowanie tematyczne (wersja demonstracyjna)\n\n"
            "1. Od 2025 r. część oświatowa subwencji ogólnej jest zastąpiona mechanizmem potrzeb oświatowych.\n"
            "2. Wydatki bieżące na oświatę warto analizować w przeliczeniu na ucznia i oddział.\n"
            "3. Prognoza demograficzna to podstawa planowania sieci szkół.\n"
        )
        document = Document(title=title)
        document.file.save("opracowanie-finansowanie-oswiaty.txt", ContentFile(text.encode("utf-8")), save=False)
        document.save()
    return document


def _competence_test(prefix: str, areas: dict, variant: int) -> list:
    a_plan = areas["Planowanie sieci szkół i demografia"].pk
    a_fin = areas["Finansowanie oświaty"].pk
    a_data = areas["Zarządzanie oparte na danych"].pk
    first = ["Wydatki bieżące na ucznia", "Liczba uczniów w oddziale"][variant]
    return [
        {
            "type": "single",
            "id": f"{prefix}1",
            "value": {
                "area": a_fin,
                "prompt": "Który wskaźnik najlepiej porównuje koszty szkół o różnej wielkości?"
                if variant == 0
                else "Który wskaźnik pozwala porównać koszty prowadzenia szkół różnej wielkości?",
                "feedback_correct": "",
                "feedback_incorrect": "",
                "options": [
                    _option(f"{prefix}1a", first, True),
                    _option(f"{prefix}1b", "Łączna kwota wydatków gminy"),
                    _option(f"{prefix}1c", "Liczba nauczycieli w gminie"),
                ],
            },
        },
        {
            "type": "true_false",
            "id": f"{prefix}2",
            "value": {
                "area": a_plan,
                "prompt": "Prognoza demograficzna jest potrzebna tylko przy likwidacji szkoły."
                if variant == 0
                else "Prognozę demograficzną wykorzystuje się wyłącznie przy likwidacji szkoły.",
                "correct_answer": False,
                "feedback_correct": "",
                "feedback_incorrect": "",
            },
        },
        {
            "type": "multiple",
            "id": f"{prefix}3",
            "value": {
                "area": a_data,
                "prompt": "Które źródła danych przydają się w zarządzaniu oświatą w JST?",
                "feedback_correct": "",
                "feedback_incorrect": "",
                "options": [
                    _option(f"{prefix}3a", "System Informacji Oświatowej (SIO)", True),
                    _option(f"{prefix}3b", "Wyniki egzaminów zewnętrznych", True),
                    _option(f"{prefix}3c", "Prognoza pogody"),
                ],
            },
        },
        {
            "type": "single",
            "id": f"{prefix}4",
            "value": {
                "area": a_plan,
                "prompt": "Kto przygotowuje projekt planu sieci publicznych szkół podstawowych?",
                "feedback_correct": "",
                "feedback_incorrect": "",
                "options": [
                    _option(f"{prefix}4a", "Rada gminy (uchwała)", True),
                    _option(f"{prefix}4b", "Kurator oświaty"),
                    _option(f"{prefix}4c", "Dyrektor szkoły"),
                ],
            },
        },
    ]


QUIZ_FINANCE = {
    "type": "quiz",
    "id": "demo-quiz-finanse",
    "value": {
        "title": "Sprawdź swoją wiedzę o finansowaniu oświaty",
        "intro": "Cztery pytania. Do zaliczenia potrzeba 75% punktów; ma Pan/Pani trzy podejścia.",
        "pass_mark": 75,
        "max_attempts": 3,
        "questions": [
            {
                "type": "single",
                "id": "fq1",
                "value": {
                    "prompt": "Jaki mechanizm od 2025 r. zastąpił część oświatową subwencji ogólnej?",
                    "feedback_correct": "Tak — potrzeby oświatowe ustalane w dochodach JST.",
                    "feedback_incorrect": "Warto wrócić do opracowania tematycznego w tej lekcji.",
                    "options": [
                        _option("fq1a", "Potrzeby oświatowe", True),
                        _option("fq1b", "Dotacja celowa z budżetu państwa", False, "Dotacje celowe nadal istnieją."),
                        _option("fq1c", "Fundusz sołecki"),
                    ],
                },
            },
            {
                "type": "multiple",
                "id": "fq2",
                "value": {
                    "prompt": "Które wydatki należą do wydatków bieżących na oświatę?",
                    "feedback_correct": "Dobrze.",
                    "feedback_incorrect": "Budowa sali gimnastycznej to wydatek majątkowy.",
                    "options": [
                        _option("fq2a", "Wynagrodzenia nauczycieli", True),
                        _option("fq2b", "Ogrzewanie budynków szkolnych", True),
                        _option("fq2c", "Budowa sali gimnastycznej"),
                    ],
                },
            },
            {
                "type": "true_false",
                "id": "fq3",
                "value": {
                    "prompt": "Organ prowadzący może dofinansowywać zadania oświatowe z dochodów własnych.",
                    "correct_answer": True,
                    "feedback_correct": "Tak, i większość JST tak robi.",
                    "feedback_incorrect": "Dochody własne to częste źródło dofinansowania oświaty.",
                },
            },
            {
                "type": "ordering",
                "id": "fq4",
                "value": {
                    "prompt": "Ułóż etapy planowania budżetu oświaty w kolejności.",
                    "feedback_correct": "Właśnie tak.",
                    "feedback_incorrect": "Najpierw diagnoza, na końcu monitorowanie.",
                    "items": [
                        {"type": "item", "id": "fq4a", "value": {"text": "Diagnoza potrzeb i prognoza liczby uczniów"}},
                        {"type": "item", "id": "fq4b", "value": {"text": "Projekt planu finansowego szkół"}},
                        {"type": "item", "id": "fq4c", "value": {"text": "Uchwalenie budżetu przez radę"}},
                        {"type": "item", "id": "fq4d", "value": {"text": "Monitorowanie wykonania"}},
                    ],
                },
            },
        ],
    },
}
QUIZ_FINANCE_CORRECT = {
    "fq1": "fq1a",
    "fq2": ["fq2a", "fq2b"],
    "fq3": "true",
    "fq4": {"fq4a": 1, "fq4b": 2, "fq4c": 3, "fq4d": 4},
}


def _course_finance(catalogue, areas, team) -> CoursePage:
    course, created = _child(
        catalogue,
        CoursePage,
        "finansowanie-zadan-oswiatowych",
        title="Finansowanie zadań oświatowych w JST",
        summary="Jak działa mechanizm potrzeb oświatowych, jak czytać wydatki na oświatę i jak planować budżet szkół.",
        description=_p(
            "Kurs dla skarbników, naczelników wydziałów oświaty i radnych. Przykłady pochodzą z gmin wiejskich, "
            "miejsko-wiejskich i miejskich."
        ),
        audience=[
            PositionCategory.FINANCE,
            PositionCategory.EDUCATION_DEPARTMENT,
            PositionCategory.COUNCILLOR,
            PositionCategory.DECISION_MAKER,
        ],
        duration_hours=12,
        learning_outcomes=[
            {"type": "outcome", "value": "Wyjaśnia mechanizm potrzeb oświatowych i jego skutki dla budżetu JST."},
            {"type": "outcome", "value": "Analizuje wydatki bieżące na oświatę w przeliczeniu na ucznia."},
            {"type": "outcome", "value": "Planuje budżet oświaty z wykorzystaniem prognozy demograficznej."},
        ],
        prerequisites=_p("Podstawowa znajomość budżetu JST."),
        competence_test_a=_competence_test("fa", areas, 0),
        competence_test_b=_competence_test("fb", areas, 1),
        competence_threshold=15,
    )
    if created:
        course.competence_areas.set(
            [
                areas["Finansowanie oświaty"],
                areas["Zarządzanie oparte na danych"],
                areas["Planowanie sieci szkół i demografia"],
            ]
        )
        for user, role in team:
            CourseTeamMember.objects.create(course=course, user=user, role=role)
        course.save_revision().publish()
    module1, _c = _child(
        course,
        ModulePage,
        "potrzeby-oswiatowe",
        title="Moduł 1. Potrzeby oświatowe i subwencja",
        intro=_p("Skąd pochodzą pieniądze na oświatę w JST."),
    )
    _child(
        module1,
        LessonPage,
        "mechanizm-potrzeb-oswiatowych",
        title="Mechanizm potrzeb oświatowych",
        intro="Co się zmieniło w 2025 roku.",
        duration_minutes=40,
        body=[
            {"type": "heading", "id": "d1h", "value": "Od subwencji do potrzeb oświatowych"},
            {
                "type": "paragraph",
                "id": "d1p",
                "value": _p(
                    "Od 1 stycznia 2025 r. środki na zadania oświatowe JST są ustalane jako <b>potrzeby oświatowe</b> "
                    "w ramach dochodów jednostek samorządu terytorialnego."
                ),
            },
            {
                "type": "callout",
                "id": "d1c",
                "value": {"title": "Ważne", "text": _p("Potrzeby oświatowe nie są dotacją celową.")},
            },
            {
                "type": "document",
                "id": "d1d",
                "value": {"document": _document().pk, "title": "", "description": "Opracowanie tematyczne (TXT)."},
            },
            QUIZ_FINANCE,
        ],
    )
    _child(
        module1,
        LessonPage,
        "wydatki-na-ucznia",
        title="Wydatki bieżące w przeliczeniu na ucznia",
        duration_minutes=30,
        body=[
            {
                "type": "paragraph",
                "id": "d2p",
                "value": _p("Porównanie wydatków na ucznia pokazuje różnice między szkołami różnej wielkości."),
            },
            {
                "type": "reflection",
                "id": "d2r",
                "value": {
                    "prompt": "Ile wynoszą wydatki bieżące na ucznia w szkołach Pana/Pani JST? Co je kształtuje?",
                    "guidance": _p("Wystarczy kilka zdań. Odpowiedź trafi do Pana/Pani portfolio."),
                },
            },
        ],
    )
    module2, _c = _child(course, ModulePage, "planowanie-budzetu", title="Moduł 2. Planowanie budżetu oświaty")
    _child(
        module2,
        LessonPage,
        "prognoza-i-budzet",
        title="Prognoza demograficzna w planowaniu budżetu",
        duration_minutes=45,
        body=[
            {
                "type": "paragraph",
                "id": "d3p",
                "value": _p("Liczba uczniów za pięć lat decyduje o dzisiejszych decyzjach inwestycyjnych."),
            }
        ],
    )
    _child(
        module2,
        LessonPage,
        "studium-przypadku",
        title="Studium przypadku: gmina wiejska (materiał dodatkowy)",
        required=False,
        duration_minutes=20,
        body=[{"type": "paragraph", "id": "d4p", "value": _p("Przykład gminy, która połączyła dwie szkoły.")}],
    )
    return course


def _course_network(catalogue, areas, team, space) -> CoursePage:
    course, created = _child(
        catalogue,
        CoursePage,
        "planowanie-sieci-szkol",
        title="Planowanie sieci szkół w zmieniającej się demografii",
        summary="Kurs mieszany: lekcje online i spotkania sieci współpracy gmin wiejskich.",
        audience=[PositionCategory.EDUCATION_DEPARTMENT, PositionCategory.DECISION_MAKER, PositionCategory.COUNCILLOR],
        duration_hours=16,
        is_blended=True,
        learning_outcomes=[
            {"type": "outcome", "value": "Przygotowuje prognozę liczby uczniów dla swojej gminy."},
            {"type": "outcome", "value": "Ocenia warianty sieci szkół z udziałem partnerów społecznych."},
        ],
        competence_test_a=_competence_test("na", areas, 0),
        competence_threshold=10,
    )
    if created:
        course.competence_areas.set(
            [areas["Planowanie sieci szkół i demografia"], areas["Współpraca z partnerami społecznymi"]]
        )
        for user, role in team:
            CourseTeamMember.objects.create(course=course, user=user, role=role)
        CourseMeetingRequirement.objects.create(
            course=course, description="Spotkania sieci współpracy gmin wiejskich", space=space, required_count=2
        )
        course.save_revision().publish()
    module, _c = _child(course, ModulePage, "demografia", title="Moduł 1. Demografia i sieć szkół")
    _child(
        module,
        LessonPage,
        "prognoza-liczby-uczniow",
        title="Jak przygotować prognozę liczby uczniów",
        duration_minutes=40,
        body=[
            {"type": "paragraph", "id": "n1p", "value": _p("Dane z rejestru PESEL i SIO pozwalają policzyć roczniki.")},
            {
                "type": "quiz",
                "id": "demo-quiz-siec",
                "value": {
                    "title": "Krótki sprawdzian",
                    "intro": "",
                    "pass_mark": 100,
                    "max_attempts": 0,
                    "questions": [
                        {
                            "type": "true_false",
                            "id": "sq1",
                            "value": {
                                "prompt": "Rocznik to dzieci urodzone w tym samym roku kalendarzowym.",
                                "correct_answer": True,
                                "feedback_correct": "Tak.",
                                "feedback_incorrect": "Rocznik tworzą dzieci urodzone w jednym roku.",
                            },
                        }
                    ],
                },
            },
        ],
    )
    _child(
        module,
        LessonPage,
        "konsultacje-sieci",
        title="Konsultacje zmian w sieci szkół",
        duration_minutes=30,
        body=[
            {"type": "paragraph", "id": "n2p", "value": _p("Rada rodziców i związki zawodowe opiniują zmiany.")},
            {
                "type": "reflection",
                "id": "n2r",
                "value": {"prompt": "Kogo zaprosiłby Pan / zaprosiłaby Pani do konsultacji w swojej gminie?"},
            },
        ],
    )
    return course


def _learners() -> list[User]:
    from exchange_groups.demo import DEMO_PEOPLE

    emails = [DEMO_PEOPLE[key]["email"] for key in ("uczestnik", "lider") if key in DEMO_PEOPLE]
    try:
        from exchange_groups.demo.spaces import EMAIL_DOMAIN, EXTRA_PEOPLE
    except ImportError:  # pragma: no cover - the extra demo people come with the membership demo
        EXTRA_PEOPLE, EMAIL_DOMAIN = [], ""  # noqa: N806
    for row in EXTRA_PEOPLE:
        emails.append(f"{fold(row[0])}.{fold(row[1])}@{EMAIL_DOMAIN}".replace(" ", "-"))
    by_email = {u.email.lower(): u for u in User.objects.filter(email__in=[e.lower() for e in emails])}
    return [by_email[e.lower()] for e in emails if e.lower() in by_email]


def _take_quiz(user, lesson, quiz_id, answers, *, submit=True):
    if QuizAttempt.objects.filter(user=user, lesson_id=lesson.pk, quiz_id=quiz_id).exists():
        return
    attempt = services.start_attempt(user, lesson, quiz_id)
    if submit:
        services.submit_attempt(user, attempt.pk, answers)
    else:
        services.save_answers(user, attempt.pk, answers)


def _advance(course, user, stage: str, by, variant: int = 0) -> None:
    """Bring one learner to a stage: enrolled, started, halfway, done."""
    enrolment, _created = services.enrol(course, user, by=by, source="coordinator")
    if stage == "enrolled":
        return
    lessons = [lesson for lesson in course.lessons() if lesson.required]
    pre_questions, _v = services.competence_questions(course, "pre")
    post_questions, _v = services.competence_questions(course, "post")
    # Pre-tests differ from person to person: each knows the first `variant % 3` answers.
    services.record_competence_test(enrolment, "pre", _answers(pre_questions[: variant % 3]))
    if stage == "started":
        quiz = next((b for b in lessons[0].body if b.block_type == "quiz"), None)
        if quiz is not None:
            _take_quiz(user, lessons[0], quiz.id, {"fq1": "fq1a"}, submit=False)
        return
    for lesson in lessons[: len(lessons) // 2 if stage == "halfway" else len(lessons)]:
        quiz = next((b for b in lesson.body if b.block_type == "quiz"), None)
        if quiz is not None and quiz.id == QUIZ_FINANCE["id"]:
            _take_quiz(user, lesson, quiz.id, QUIZ_FINANCE_CORRECT)
        services.mark_lesson_complete(enrolment, lesson)
    if stage == "done":
        # Most gain a lot; every fourth person only a little (below the course's threshold).
        known = 1 + variant % 3 if variant % 4 == 3 else len(post_questions)
        services.record_competence_test(enrolment, "post", _answers(post_questions[:known]))


def _answers(questions: list[dict]) -> dict:
    """The correct answers to the given questions (demo learners who know them)."""
    answers = {}
    for question in questions:
        correct = [o["id"] for o in question["options"] if o.get("correct")]
        answers[question["id"]] = correct if question["type"] == "multiple" else correct[0]
    return answers


@transaction.atomic
def load(stdout=None) -> dict:
    home = Page.objects.filter(depth=2).first()
    if home is None:
        if stdout is not None:
            stdout.write("learning: no home page yet, skipped")
        return {}
    areas = _ensure_areas()
    catalogue, _c = _child(
        home,
        CourseIndexPage,
        "kursy",
        title="Kursy e-learningowe",
        intro=_p(
            "Bezpłatne kursy dla przedstawicieli JST: samorządowych decydentów, pracowników wydziałów oświaty, "
            "skarbników i radnych. Po ukończeniu kursu otrzymuje Pan/Pani zaświadczenie."
        ),
    )
    from exchange_groups.demo import DEMO_PEOPLE

    def person(key):
        return User.objects.filter(email__iexact=DEMO_PEOPLE[key]["email"]).first()

    coordinator, expert = person("koordynator"), person("ekspert")
    team = [(u, r) for u, r in ((coordinator, "koordynatorka kursu"), (expert, "autorka treści")) if u]
    space = Space.objects.filter(slug="siec-gminy-wiejskie").first()
    finance = _course_finance(catalogue, areas, team)
    network = _course_network(catalogue, areas, team, space)

    learners = _learners()
    admin = User.objects.filter(is_superuser=True).order_by("pk").first() or coordinator
    stages = ["started", "done", "done", "halfway", "done", "done", "done", "enrolled", "halfway", "started"]
    for index, user in enumerate(learners):
        _advance(finance, user, stages[index % len(stages)], admin, variant=index)
    for index, user in enumerate(learners[:6]):
        enrolment, _created = services.enrol(network, user, by=admin, source="space")
        if index < 3:
            for day in (10, 24):
                AttendanceRecord.objects.get_or_create(
                    course=network,
                    user=user,
                    meeting="Spotkanie sieci gmin wiejskich",
                    date=datetime.date(2026, 10, day),
                )
    if stdout is not None:
        stdout.write(f"learning: 2 courses, {len(learners)} demo learners")
    return {"catalogue": catalogue, "courses": [finance, network]}
