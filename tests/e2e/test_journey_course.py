"""A participant enrols in a short course, reads a lesson, fails and then passes its quiz, gets the certificate,
downloads the PDF, and anybody can verify the certificate's code — the main flow by keyboard only.

The course is built here the way editors build it (catalogue → course → module → lessons) under the demo
catalogue: the demo courses take a pre-test, four lessons and a post-test, far longer than a journey needs.
Completion rule of this course (learning.services.course_completion_status): every required lesson done —
the first by "mark as complete", the second by passing its quiz. No competence test, no meetings.
"""

import re

import pytest
from playwright.sync_api import expect

from exchange_groups.demo import DEMO_PASSWORD, DEMO_PEOPLE
from exchange_groups.models import PositionCategory
from learning.certificates import new_code
from learning.models import Certificate, CourseIndexPage, CoursePage, Enrolment, LessonPage, ModulePage, QuizAttempt
from tests.e2e.conftest import describe_violations, new_page, run_axe, screenshot

pytestmark = pytest.mark.e2e

COURSE_TITLE = "Dowożenie uczniów do szkół – kurs krótki"
QUIZ_ID = "quiz-dowozy"

# --- keyboard helpers (also used by test_journey_network) -------------------------------------------------

_ACTIVE = """() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) { el = el.shadowRoot.activeElement; }
  if (!el || el === document.body || el === document.documentElement) {
    return {tag: "body", type: "", name: "", text: "", checked: false, visible: false};
  }
  let text = "";
  if (el.labels && el.labels.length) { text = el.labels[0].textContent; }
  else if (el.getAttribute("aria-label")) { text = el.getAttribute("aria-label"); }
  else { text = el.textContent || el.value || ""; }
  const s = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    type: (el.getAttribute("type") || "").toLowerCase(),
    name: el.getAttribute("name") || "",
    text: text.replace(/\\s+/g, " ").trim(),
    href: el.getAttribute("href") || "",
    checked: !!el.checked,
    visible: s.outlineStyle !== "none" || s.boxShadow !== "none",
  };
}"""


def active(page) -> dict:
    """What has the keyboard focus: tag, type, name, accessible text (label / aria-label / text), focus ring."""
    return page.evaluate(_ACTIVE)


def tab_to(page, predicate, limit=120, *, backwards=False) -> dict:
    """Press Tab (Shift+Tab) until the focused element matches `predicate`; every element the focus lands on
    must show a visible focus indicator."""
    seen = []
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        info = active(page)
        if info["tag"] == "body":
            continue
        seen.append(f"{info['tag']}:{info['text'][:50]}")
        assert info["visible"], f"focus is not visible on {info['tag']} “{info['text']}” at {page.url}"
        if predicate(info):
            return info
    raise AssertionError(f"Tab never reached the element at {page.url}; focus went through: {seen}")


def text_is(wanted: str):
    return lambda info: info["text"] == wanted


def text_has(wanted: str):
    return lambda info: wanted in info["text"]


def press_enter_and_wait(page):
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def keyboard_log_in(page, base_url, email, password=DEMO_PASSWORD):
    """Log in from the home page, Tab by Tab: the header's "Zaloguj się" link, then the form."""
    page.goto(base_url + "/")
    tab_to(page, lambda i: i["tag"] == "a" and i["text"] == "Zaloguj się")
    press_enter_and_wait(page)
    tab_to(page, text_is("Adres e-mail"))
    page.keyboard.type(email)
    tab_to(page, text_is("Hasło"))
    page.keyboard.type(password)
    tab_to(page, lambda i: i["tag"] == "button" and i["text"] == "Zaloguj się")
    press_enter_and_wait(page)
    assert "/konto/logowanie/" not in page.url, page.locator(".error-summary").all_inner_texts()


def choose_radio(page, label: str):
    """The focus is on a radio of a group: move with the arrows to the option `label` and select it."""
    for _ in range(12):
        info = active(page)
        assert info["type"] == "radio", f"expected a radio button, the focus is on {info}"
        assert info["visible"], f"focus is not visible on the radio “{info['text']}”"
        if info["text"] == label:
            if not info["checked"]:
                page.keyboard.press("Space")
            assert active(page)["checked"]
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no option “{label}” in the radio group")


def axe_check(page, name: str, failures: list):
    violations = run_axe(page)
    if violations:
        failures.append(f"{name} {page.url}\n{describe_violations(violations)}")


# --- the course --------------------------------------------------------------------------------------------


def _option(oid, text, correct=False, feedback=""):
    return {"type": "item", "id": oid, "value": {"text": text, "correct": correct, "feedback": feedback}}


QUIZ = {
    "type": "quiz",
    "id": QUIZ_ID,
    "value": {
        "title": "Sprawdzian: dowozy uczniów",
        "intro": "Trzy pytania. Do zaliczenia potrzeba wszystkich poprawnych odpowiedzi; ma Pan/Pani dwa podejścia.",
        "pass_mark": 100,
        "max_attempts": 2,
        "questions": [
            {
                "type": "single",
                "id": "d1",
                "value": {
                    "prompt": "Kto zapewnia bezpłatny transport ucznia do szkoły podstawowej?",
                    "feedback_correct": "Tak — to zadanie gminy.",
                    "feedback_incorrect": "To zadanie własne gminy (art. 39 Prawa oświatowego).",
                    "options": [
                        _option("d1a", "Gmina", True),
                        _option("d1b", "Powiat", False, "Powiat prowadzi szkoły ponadpodstawowe."),
                        _option("d1c", "Kurator oświaty"),
                    ],
                },
            },
            {
                "type": "true_false",
                "id": "d2",
                "value": {
                    "prompt": "Dowóz przysługuje uczniowi klas I–IV, gdy droga do szkoły przekracza 3 km.",
                    "correct_answer": True,
                    "feedback_correct": "Tak.",
                    "feedback_incorrect": "Próg dla klas I–IV to 3 km.",
                },
            },
            {
                "type": "multiple",
                "id": "d3",
                "value": {
                    "prompt": "Co uwzględnia się przy planowaniu tras dowozu?",
                    "feedback_correct": "Dobrze.",
                    "feedback_incorrect": "Liczą się godziny zajęć i liczba uprawnionych uczniów.",
                    "options": [
                        _option("d3a", "Godziny rozpoczęcia i zakończenia zajęć", True),
                        _option("d3b", "Liczbę uczniów uprawnionych do dowozu", True),
                        _option("d3c", "Kolor autobusu"),
                    ],
                },
            },
        ],
    },
}
WRONG = {"d1": "Powiat", "d2": "Prawda", "d3": ["Godziny rozpoczęcia i zakończenia zajęć"]}
RIGHT = {
    "d1": "Gmina",
    "d2": "Prawda",
    "d3": ["Godziny rozpoczęcia i zakończenia zajęć", "Liczbę uczniów uprawnionych do dowozu"],
}


def build_course() -> CoursePage:
    catalogue = CourseIndexPage.objects.get()
    course = CoursePage(
        title=COURSE_TITLE,
        slug="dowozenie-uczniow",
        summary="Kto, kiedy i jak organizuje dowóz uczniów. Dwie krótkie lekcje i sprawdzian.",
        duration_hours=2,
        audience=[PositionCategory.EDUCATION_DEPARTMENT, PositionCategory.DECISION_MAKER],
        learning_outcomes=[{"type": "outcome", "value": "Wskazuje, kiedy gmina ma obowiązek dowozu ucznia."}],
    )
    catalogue.add_child(instance=course)
    course.save_revision().publish()
    module = ModulePage(title="Moduł 1. Obowiązek dowozu", slug="obowiazek-dowozu")
    course.add_child(instance=module)
    module.add_child(
        instance=LessonPage(
            title="Lekcja 1. Kiedy gmina dowozi uczniów",
            slug="kiedy-gmina-dowozi",
            intro="Przepisy w pigułce.",
            duration_minutes=10,
            body=[
                {
                    "type": "paragraph",
                    "id": "l1p",
                    "value": "<p>Gmina zapewnia bezpłatny transport, gdy droga dziecka do szkoły przekracza 3 km "
                    "(klasy I–IV) lub 4 km (klasy V–VIII).</p>",
                }
            ],
        )
    )
    module.add_child(
        instance=LessonPage(
            title="Lekcja 2. Sprawdzian",
            slug="sprawdzian-dowozy",
            duration_minutes=10,
            body=[{"type": "paragraph", "id": "l2p", "value": "<p>Proszę odpowiedzieć na pytania.</p>"}, QUIZ],
        )
    )
    return CoursePage.objects.get(pk=course.pk)


def answer_quiz(page, answers: dict):
    """In the open attempt: each question by Tab, radios with the arrows, checkboxes with Space."""
    tab_to(page, lambda i: i["name"] == "q-d1")
    choose_radio(page, answers["d1"])
    tab_to(page, lambda i: i["name"] == "q-d2")
    choose_radio(page, answers["d2"])
    for label in answers["d3"]:
        info = tab_to(page, lambda i, label=label: i["name"] == "q-d3" and i["text"] == label)
        if not info["checked"]:
            page.keyboard.press("Space")
        assert active(page)["checked"]


def quiz_section(page):
    return page.locator(f"#quiz-{QUIZ_ID}")


def test_course_enrol_quiz_certificate_and_verification_by_keyboard(changed_demo_server, page, browser):
    course = build_course()
    anna = DEMO_PEOPLE["uczestnik"]
    full_name = f"{anna['first_name']} {anna['last_name']}"
    failures: list[str] = []
    base = changed_demo_server.url

    keyboard_log_in(page, base, anna["email"])

    # The catalogue from the main menu, then the course.
    tab_to(page, lambda i: i["tag"] == "a" and i["text"] == "Kursy")
    press_enter_and_wait(page)
    assert page.url.endswith("/kursy/")
    tab_to(page, text_is(COURSE_TITLE))
    press_enter_and_wait(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(COURSE_TITLE)
    axe_check(page, "course page, logged in, not enrolled", failures)

    # Enrol.
    tab_to(page, text_is("Zapisz się na kurs"))
    press_enter_and_wait(page)
    expect(page.get_by_text("Został(a) Pan/Pani zapisany(-a).")).to_be_visible()
    expect(page.locator(".course-status")).to_contain_text("Ukończone lekcje obowiązkowe: 0 z 2")
    screenshot(page, "journey-course-enrolled")
    axe_check(page, "course page, enrolled", failures)
    assert Enrolment.objects.filter(course=course, user__email=anna["email"]).exists()

    # The first lesson: read it, mark it complete; the next lesson opens.
    tab_to(page, text_is("Rozpocznij pierwszą lekcję"))
    press_enter_and_wait(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Lekcja 1. Kiedy gmina dowozi uczniów")
    expect(page.get_by_text("przekracza 3 km")).to_be_visible()
    screenshot(page, "journey-course-lesson")
    axe_check(page, "lesson", failures)
    tab_to(page, text_is("Oznacz lekcję jako ukończoną"))
    press_enter_and_wait(page)
    expect(page.get_by_text("Lekcja została oznaczona jako ukończona.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lekcja 2. Sprawdzian")
    expect(quiz_section(page)).to_contain_text("Próg zaliczenia: 100%")

    # The quiz, attempt 1: wrong answers.
    tab_to(page, text_is("Rozpocznij quiz"))
    press_enter_and_wait(page)
    expect(quiz_section(page)).to_contain_text("Podejście 1")
    axe_check(page, "lesson with an open quiz", failures)
    # The person also has the quiz open in a second tab (to submit the same attempt twice later).
    second_tab = page.context.new_page()
    second_tab.set_default_timeout(10_000)
    second_tab.goto(page.url)
    expect(quiz_section(second_tab)).to_contain_text("Podejście 1")
    submits = []  # form submissions of the attempt (the background autosave is a fetch, not counted)
    page.context.on(
        "request",
        lambda r: (
            submits.append(r.url)
            if r.method == "POST" and r.is_navigation_request() and "/nauka/podejscia/" in r.url
            else None
        ),
    )
    answer_quiz(page, WRONG)
    screenshot(page, "journey-course-quiz-answers")
    tab_to(page, text_is("Prześlij odpowiedzi"))
    press_enter_and_wait(page)
    expect(page.locator("ul.messages")).to_contain_text("Odpowiedzi zostały przesłane.")
    result = quiz_section(page).locator(".quiz-result")
    expect(result).to_contain_text("Wynik podejścia 1")
    expect(result).to_contain_text("1 z 3 pkt")
    expect(result).to_contain_text("Jeszcze niezaliczony.")
    review = result.locator(".quiz-review > li")
    expect(review).to_have_count(3)
    expect(review.nth(0)).to_contain_text("Pana/Pani odpowiedź: Powiat")
    expect(review.nth(0)).to_contain_text("Źle.")
    expect(review.nth(0)).to_contain_text("To zadanie własne gminy")
    expect(review.nth(0)).to_contain_text("Powiat prowadzi szkoły ponadpodstawowe.")
    expect(review.nth(1)).to_contain_text("Dobrze.")
    expect(review.nth(2)).to_contain_text("Źle.")
    screenshot(page, "journey-course-quiz-failed")
    axe_check(page, "quiz result (not passed)", failures)

    # Browser back: the lesson shows the result, not the submitted form to send again.
    page.go_back()
    page.wait_for_load_state()
    expect(quiz_section(page).locator(".quiz-result")).to_contain_text("Wynik podejścia 1")
    expect(quiz_section(page).get_by_role("button", name="Prześlij odpowiedzi")).to_have_count(0)

    # The same attempt submitted again from the other tab — with the right answers this time: the attempt
    # keeps its first score and the second attempt is still there to take.
    answer_quiz(second_tab, RIGHT)
    tab_to(second_tab, text_is("Prześlij odpowiedzi"))
    press_enter_and_wait(second_tab)
    assert len(submits) == 2, f"the attempt was not submitted twice: {submits}"
    notice = second_tab.locator("ul.messages")
    expect(notice).to_contain_text("To podejście zostało już wcześniej przesłane")
    expect(notice).not_to_contain_text("Odpowiedzi zostały przesłane.")
    result = quiz_section(second_tab).locator(".quiz-result")
    expect(result).to_contain_text("Wynik podejścia 1")
    expect(result).to_contain_text("1 z 3 pkt")
    expect(result).to_contain_text("Jeszcze niezaliczony.")
    expect(quiz_section(second_tab).get_by_role("button", name="Spróbuj ponownie")).to_be_visible()
    screenshot(second_tab, "journey-course-quiz-submitted-twice")
    second_tab.close()
    assert QuizAttempt.objects.filter(user__email=anna["email"], quiz_id=QUIZ_ID).count() == 1
    page.reload()

    # Attempt 2: the right answers.
    tab_to(page, text_is("Spróbuj ponownie"))
    press_enter_and_wait(page)
    expect(quiz_section(page)).to_contain_text("Podejście 2")
    answer_quiz(page, RIGHT)
    tab_to(page, text_is("Prześlij odpowiedzi"))
    press_enter_and_wait(page)
    result = quiz_section(page).locator(".quiz-result")
    expect(result).to_contain_text("Wynik podejścia 2")
    expect(result).to_contain_text("3 z 3 pkt")
    expect(result).to_contain_text("Zaliczony.")
    expect(page.get_by_text("Ukończył(a) Pan/Pani tę lekcję.")).to_be_visible()
    screenshot(page, "journey-course-quiz-passed")
    axe_check(page, "quiz result (passed)", failures)

    # Passing completed the last required lesson: the course is completed, the certificate issued.
    tab_to(page, text_is("Przegląd kursu"))
    press_enter_and_wait(page)
    status = page.locator(".course-status")
    expect(status).to_contain_text("Ukończył(a) Pan/Pani kurs")
    expect(status.get_by_role("link", name="Pobierz zaświadczenie (PDF)")).to_be_visible()
    axe_check(page, "course page, completed", failures)

    # "Moja nauka" from the main menu: the certificate with its code.
    tab_to(page, lambda i: i["tag"] == "a" and i["text"] == "Moja nauka")
    press_enter_and_wait(page)
    card = page.locator("section.my-course", has_text=COURSE_TITLE)
    certificate_link = card.get_by_role("link", name=re.compile(r"^Zaświadczenie ZJST-[\w-]+ \(PDF\)$"))
    expect(certificate_link).to_be_visible()
    code = re.search(r"ZJST-[\w-]+", certificate_link.inner_text()).group(0)
    assert Certificate.objects.get(code=code).enrolment.user.email == anna["email"]
    screenshot(page, "journey-course-my-learning")
    axe_check(page, "my learning with a certificate", failures)

    tab_to(page, text_has(f"Zaświadczenie {code}"))
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    assert download.suggested_filename == f"zaswiadczenie-{code}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-", "the certificate download is not a PDF"

    # The course's own summary page shows the rules met and the verification code.
    page.goto(f"{base}/moja-nauka/kursy/{course.pk}/")
    expect(page.locator("ul.completion")).to_contain_text("spełnione: Lekcje obowiązkowe")
    expect(page.get_by_text(f"Kod weryfikacyjny: {code}")).to_be_visible()
    axe_check(page, "my course (completed)", failures)

    # Anybody (a new, anonymous browser) verifies the code by keyboard.
    stranger = new_page(browser)
    context = stranger.context
    try:
        stranger.goto(base + "/zaswiadczenia/weryfikacja/")
        tab_to(stranger, text_is("Kod weryfikacyjny"))
        stranger.keyboard.type(code.lower().replace("-", " "))  # as someone might type it off the paper
        tab_to(stranger, text_is("Sprawdź"))
        press_enter_and_wait(stranger)
        verdict = stranger.locator(".verify--valid")
        expect(verdict).to_contain_text(f"Ważne: zaświadczenie {code} zostało wydane przez tę platformę.")
        expect(verdict).to_contain_text(full_name)
        expect(verdict).to_contain_text(COURSE_TITLE)
        screenshot(stranger, "journey-course-verified")
        axe_check(stranger, "verification result (valid)", failures)

        # A well-formed code that was never issued.
        unknown = new_code()
        while Certificate.objects.filter(code=unknown).exists():
            unknown = new_code()
        tab_to(stranger, text_is("Sprawdź inny kod"))
        press_enter_and_wait(stranger)
        tab_to(stranger, text_is("Kod weryfikacyjny"))
        stranger.keyboard.type(unknown)
        tab_to(stranger, text_is("Sprawdź"))
        press_enter_and_wait(stranger)
        expect(stranger.get_by_role("alert")).to_have_text(
            "✘ Nie znaleziono: ta platforma nie wydała zaświadczenia z takim kodem."
        )
        assert full_name not in stranger.content()
        screenshot(stranger, "journey-course-verification-not-found")
        axe_check(stranger, "verification result (not found)", failures)

        # Something that is not a code at all: the form says so.
        stranger.goto(base + "/zaswiadczenia/weryfikacja/")
        tab_to(stranger, text_is("Kod weryfikacyjny"))
        stranger.keyboard.type("12345")
        stranger.keyboard.press("Enter")
        stranger.wait_for_load_state()
        expect(stranger.locator(".error-summary")).to_contain_text("To nie jest kod zaświadczenia.")
        axe_check(stranger, "verification form with an error", failures)
    finally:
        context.close()

    assert page.csp_violations == [], page.csp_violations
    assert not failures, "\n\n".join(failures)
