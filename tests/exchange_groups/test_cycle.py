"""The yearly cycle's services: questionnaires answered once, validation that saves nothing on bad input,
a structure frozen after publishing, aggregation, diagnosis beside evaluation, the CSV export, the work plan."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from exchange_groups.cycle import planning, reporting
from exchange_groups.cycle import services as cycle
from exchange_groups.models import (
    Answer,
    Choice,
    Question,
    QuestionnaireKind,
    QuestionnaireStatus,
    Response,
    WorkPlanItem,
    WorkPlanItemKind,
)
from tests.exchange_groups.cycle_support import answers, build_questionnaire, build_world, choice_pk

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def diagnosis(world):
    return build_questionnaire(world["space"], world["coordinator"])


def saved_state():
    return (Response.objects.count(), Answer.objects.count(), Answer.choices.through.objects.count())


# --- answering once --------------------------------------------------------------------------------


def test_submit_response_saves_one_answer_per_question_kind(world, diagnosis):
    questionnaire, questions = diagnosis
    data = answers(questions, multiple=("Szkolenia", "Doradztwo"), scale=4, text="Więcej o subwencji oświatowej")
    submitted = cycle.submit_response(world["member"], questionnaire, data)
    assert submitted.created
    saved = {answer.question_id: answer for answer in submitted.response.answers.all()}
    assert [c.text for c in saved[questions["single"].pk].choices.all()] == ["Tak"]
    assert {c.text for c in saved[questions["multiple"].pk].choices.all()} == {"Szkolenia", "Doradztwo"}
    assert saved[questions["scale"].pk].scale_value == 4
    assert saved[questions["open"].pk].text == "Więcej o subwencji oświatowej"


def test_submit_response_a_second_time_returns_the_first_response_and_changes_nothing(world, diagnosis):
    questionnaire, questions = diagnosis
    first = cycle.submit_response(world["member"], questionnaire, answers(questions, single="Tak", scale=2))
    before = saved_state()
    second = cycle.submit_response(world["member"], questionnaire, answers(questions, single="Nie", scale=5))
    assert not second.created
    assert second.response.pk == first.response.pk
    assert saved_state() == before
    assert Answer.objects.get(response=first.response, question=questions["scale"]).scale_value == 2


def test_submit_response_from_a_stale_second_tab_keeps_the_first_answers(world, diagnosis):
    """The second tab was opened before the first submission; its submission must not add a response."""
    questionnaire, questions = diagnosis
    stale_tab_questionnaire = type(questionnaire).objects.get(pk=questionnaire.pk)
    cycle.submit_response(world["member"], questionnaire, answers(questions))
    result = cycle.submit_response(world["member"], stale_tab_questionnaire, answers(questions, single="Nie"))
    assert not result.created
    assert Response.objects.filter(questionnaire=questionnaire, user=world["member"]).count() == 1


def test_submit_response_is_refused_to_a_person_who_is_not_a_member(world, diagnosis):
    questionnaire, questions = diagnosis
    with pytest.raises(PermissionDenied):
        cycle.submit_response(world["non_member"], questionnaire, answers(questions))
    assert saved_state() == (0, 0, 0)


def test_submit_response_to_a_closed_questionnaire_is_refused(world, diagnosis):
    questionnaire, questions = diagnosis
    cycle.close_questionnaire(world["coordinator"], questionnaire)
    questionnaire.refresh_from_db()
    with pytest.raises(cycle.CycleError) as error:
        cycle.submit_response(world["member"], questionnaire, answers(questions))
    assert error.value.code == "closed"
    assert saved_state() == (0, 0, 0)


def test_submit_response_after_the_closing_date_is_refused(world, diagnosis):
    questionnaire, questions = diagnosis
    type(questionnaire).objects.filter(pk=questionnaire.pk).update(
        closes_at=timezone.now() - datetime.timedelta(hours=1)
    )
    questionnaire.refresh_from_db()
    with pytest.raises(cycle.CycleError):
        cycle.submit_response(world["member"], questionnaire, answers(questions))
    assert saved_state() == (0, 0, 0)


def test_submit_response_to_a_draft_is_refused(world):
    questionnaire, questions = build_questionnaire(world["space"], world["coordinator"], publish=False)
    with pytest.raises(cycle.CycleError):
        cycle.submit_response(world["member"], questionnaire, answers(questions))
    assert saved_state() == (0, 0, 0)


# --- validation: bad input saves nothing ------------------------------------------------------------


def invalid(world, questionnaire, data) -> dict:
    with pytest.raises(cycle.ResponseInvalid) as error:
        cycle.submit_response(world["member"], questionnaire, data)
    assert saved_state() == (0, 0, 0)
    return error.value.errors


def test_submit_response_with_an_unknown_choice_id_saves_nothing(world, diagnosis):
    questionnaire, questions = diagnosis
    data = answers(questions)
    data[questions["single"].pk] = Choice.objects.order_by("-pk").first().pk + 1000
    assert set(invalid(world, questionnaire, data)) == {questions["single"].pk}


def test_submit_response_with_an_option_of_another_question_saves_nothing(world, diagnosis):
    questionnaire, questions = diagnosis
    data = answers(questions)
    data[questions["multiple"].pk] = [
        choice_pk(questions["multiple"], "Szkolenia"),
        choice_pk(questions["single"], "Nie"),
    ]
    assert set(invalid(world, questionnaire, data)) == {questions["multiple"].pk}


def test_submit_response_with_two_options_for_a_single_choice_saves_nothing(world, diagnosis):
    questionnaire, questions = diagnosis
    data = answers(questions)
    data[questions["single"].pk] = [choice_pk(questions["single"], "Tak"), choice_pk(questions["single"], "Nie")]
    assert set(invalid(world, questionnaire, data)) == {questions["single"].pk}


@pytest.mark.parametrize("value", [0, 6, -1, "3.5", "pięć", ""])
def test_submit_response_with_a_scale_value_out_of_range_saves_nothing(world, diagnosis, value):
    questionnaire, questions = diagnosis
    data = answers(questions)
    data[questions["scale"].pk] = value
    assert set(invalid(world, questionnaire, data)) == {questions["scale"].pk}


@pytest.mark.parametrize("kind", ["single", "multiple", "scale"])
def test_submit_response_without_a_required_answer_saves_nothing(world, diagnosis, kind):
    questionnaire, questions = diagnosis
    data = answers(questions)
    del data[questions[kind].pk]
    assert set(invalid(world, questionnaire, data)) == {questions[kind].pk}


def test_submit_response_without_an_optional_open_answer_is_saved(world, diagnosis):
    questionnaire, questions = diagnosis
    data = answers(questions)
    del data[questions["open"].pk]
    assert cycle.submit_response(world["member"], questionnaire, data).created
    assert not Answer.objects.filter(question=questions["open"]).exists()


def test_submit_response_with_an_open_answer_over_5000_characters_saves_nothing(world, diagnosis):
    questionnaire, questions = diagnosis
    data = answers(questions, text="ż" * 5001)
    errors = invalid(world, questionnaire, data)
    assert set(errors) == {questions["open"].pk}
    assert "5000" in errors[questions["open"].pk]


def test_submit_response_with_an_open_answer_of_exactly_5000_characters_is_saved(world, diagnosis):
    questionnaire, questions = diagnosis
    cycle.submit_response(world["member"], questionnaire, answers(questions, text="ą" * 5000))
    assert len(Answer.objects.get(question=questions["open"]).text) == 5000


def test_submit_response_reports_every_wrong_answer_at_once(world, diagnosis):
    questionnaire, questions = diagnosis
    data = {questions["scale"].pk: 9, questions["open"].pk: "x" * 6000}
    errors = invalid(world, questionnaire, data)
    assert set(errors) == {q.pk for q in questions.values()}


# --- the structure is frozen after publishing ------------------------------------------------------


def structure(questionnaire):
    return (
        list(
            Question.objects.filter(questionnaire=questionnaire).values_list("pk", "order", "text", "key", "required")
        ),
        list(Choice.objects.filter(question__questionnaire=questionnaire).values_list("pk", "order", "text")),
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda c, q, qs: cycle.add_question(c, q, kind="open", text="Nowe pytanie?"),
        lambda c, q, qs: cycle.remove_question(c, qs["single"]),
        lambda c, q, qs: cycle.update_question(c, qs["single"], text="Zmienione pytanie?", key="strategia"),
        lambda c, q, qs: cycle.move_question(c, qs["scale"], "up"),
        lambda c, q, qs: cycle.add_choice(c, qs["single"], "Nie wiem"),
        lambda c, q, qs: cycle.remove_choice(c, qs["single"].choices.first()),
        lambda c, q, qs: cycle.update_questionnaire(c, q, title="Nowy tytuł"),
    ],
    ids=["add_question", "remove_question", "update_question", "move_question", "add_choice", "remove_choice", "title"],
)
def test_published_questionnaire_structure_cannot_change(world, diagnosis, change):
    questionnaire, questions = diagnosis
    before = structure(questionnaire)
    with pytest.raises(cycle.CycleError) as error:
        change(world["coordinator"], questionnaire, questions)
    assert error.value.code == "frozen"
    assert structure(questionnaire) == before


def test_draft_structure_can_change(world):
    questionnaire, questions = build_questionnaire(world["space"], world["coordinator"], publish=False)
    cycle.add_choice(world["coordinator"], questions["single"], "Nie wiem")
    cycle.remove_question(world["coordinator"], questions["open"])
    assert list(questions["single"].choices.values_list("text", flat=True)) == [
        "Tak",
        "Nie",
        "W przygotowaniu",
        "Nie wiem",
    ]
    assert questionnaire.questions.count() == 3


def test_publish_questionnaire_without_questions_is_refused(world):
    questionnaire = cycle.create_questionnaire(
        world["coordinator"], world["space"], kind=QuestionnaireKind.DIAGNOSIS, title="Pusta ankieta"
    )
    with pytest.raises(cycle.CycleError):
        cycle.publish_questionnaire(world["coordinator"], questionnaire)
    questionnaire.refresh_from_db()
    assert questionnaire.status == QuestionnaireStatus.DRAFT


def test_publish_questionnaire_with_a_choice_question_of_one_option_is_refused(world):
    questionnaire = cycle.create_questionnaire(
        world["coordinator"], world["space"], kind=QuestionnaireKind.DIAGNOSIS, title="Ankieta"
    )
    cycle.add_question(world["coordinator"], questionnaire, kind="single", text="Pytanie?", choices=["Tak"])
    with pytest.raises(cycle.CycleError):
        cycle.publish_questionnaire(world["coordinator"], questionnaire)
    questionnaire.refresh_from_db()
    assert questionnaire.status == QuestionnaireStatus.DRAFT


def test_publish_questionnaire_twice_keeps_the_first_publication(world, diagnosis):
    questionnaire, _questions = diagnosis
    published_at = questionnaire.published_at
    again = cycle.publish_questionnaire(world["coordinator"], questionnaire)
    assert again.status == QuestionnaireStatus.OPEN
    assert again.published_at == published_at


def test_create_questionnaire_is_refused_to_a_member_without_the_coordinator_role(world):
    with pytest.raises(PermissionDenied):
        cycle.create_questionnaire(world["member"], world["space"], kind=QuestionnaireKind.DIAGNOSIS, title="Moja")
    assert not world["space"].questionnaires.exists()


def test_add_question_with_a_key_already_used_is_refused(world):
    questionnaire, _questions = build_questionnaire(world["space"], world["coordinator"], publish=False)
    with pytest.raises(cycle.CycleError) as error:
        cycle.add_question(world["coordinator"], questionnaire, kind="open", text="Inne pytanie?", key="strategia")
    assert error.value.code == "key_taken"
    assert questionnaire.questions.count() == 4


def test_add_question_without_a_key_makes_one_from_the_question(world):
    questionnaire, _questions = build_questionnaire(world["space"], world["coordinator"], publish=False)
    question = cycle.add_question(
        world["coordinator"], questionnaire, kind="open", text="Współpraca z partnerami społecznymi?"
    )
    assert question.key == "wspolpraca-z-partnerami-spolecznymi"


def test_add_question_with_a_scale_upside_down_is_refused(world):
    questionnaire, _questions = build_questionnaire(world["space"], world["coordinator"], publish=False)
    with pytest.raises(cycle.CycleError):
        cycle.add_question(world["coordinator"], questionnaire, kind="scale", text="Skala?", scale_min=5, scale_max=1)
    assert questionnaire.questions.count() == 4


# --- results ---------------------------------------------------------------------------------------


@pytest.fixture
def answered(world, diagnosis):
    questionnaire, questions = diagnosis
    given = [
        ("Tak", ("Szkolenia", "Doradztwo"), 2, "Potrzebujemy wsparcia w planowaniu sieci szkół."),
        ("Tak", ("Szkolenia",), 3, ""),
        ("Nie", ("Doradztwo",), 4, "Więcej spotkań online."),
        ("W przygotowaniu", ("Szkolenia", "Wymiana doświadczeń"), 5, ""),
    ]
    for person, (single, multiple, scale, text) in zip(world["members"], given, strict=True):
        cycle.submit_response(
            person, questionnaire, answers(questions, single=single, multiple=multiple, scale=scale, text=text)
        )
    return questionnaire, questions


def rows(result) -> dict:
    return {row.label: (row.count, row.percent) for row in result.rows}


def test_aggregate_results_counts_single_choice_answers_with_percentages(answered):
    questionnaire, questions = answered
    results = reporting.aggregate_results(questionnaire)
    assert results.respondents == 4
    single = results.for_key("strategia")
    assert single.answered == 4
    assert rows(single) == {"Tak": (2, 50.0), "Nie": (1, 25.0), "W przygotowaniu": (1, 25.0)}


def test_aggregate_results_counts_each_option_of_multiple_choice_against_the_people_who_answered(answered):
    questionnaire, _questions = answered
    multiple = reporting.aggregate_results(questionnaire).for_key("wsparcie")
    assert rows(multiple) == {"Szkolenia": (3, 75.0), "Doradztwo": (2, 50.0), "Wymiana doświadczeń": (1, 25.0)}


def test_aggregate_results_gives_mean_median_and_distribution_of_a_scale(answered):
    questionnaire, _questions = answered
    scale = reporting.aggregate_results(questionnaire).for_key("finansowanie")
    assert scale.mean == 3.5
    assert scale.median == 3.5
    assert [(row.value, row.count) for row in scale.rows] == [(1, 0), (2, 1), (3, 1), (4, 1), (5, 1)]
    assert scale.rows[0].label == "1 (bardzo słabo)"


def test_aggregate_results_lists_open_answers_without_names(world, answered):
    questionnaire, _questions = answered
    open_result = reporting.aggregate_results(questionnaire).for_key("oczekiwania")
    assert sorted(open_result.texts) == ["Potrzebujemy wsparcia w planowaniu sieci szkół.", "Więcej spotkań online."]
    assert open_result.answered == 2
    assert all(isinstance(text, str) for text in open_result.texts)


def test_aggregate_results_of_a_questionnaire_without_responses_are_zero(world, diagnosis):
    questionnaire, _questions = diagnosis
    results = reporting.aggregate_results(questionnaire)
    assert results.respondents == 0
    assert rows(results.for_key("strategia"))["Tak"] == (0, 0.0)
    assert results.for_key("finansowanie").mean is None


# --- diagnosis beside evaluation ---------------------------------------------------------------------


def test_compare_diagnosis_and_evaluation_pairs_questions_by_key_and_kind(world, answered):
    diagnosis, _questions = answered
    evaluation = cycle.copy_diagnosis_as_evaluation(world["coordinator"], diagnosis)
    # Same key, another kind: not a pair. A new question: not a pair either.
    evaluation_questions = {q.key: q for q in evaluation.questions.all()}
    cycle.remove_question(world["coordinator"], evaluation_questions["oczekiwania"])
    cycle.add_question(world["coordinator"], evaluation, kind="scale", text="Oczekiwania spełnione?", key="oczekiwania")
    cycle.add_question(world["coordinator"], evaluation, kind="open", text="Co zmienić?", key="zmiany", required=False)
    cycle.publish_questionnaire(world["coordinator"], evaluation)
    for person, scale in zip(world["members"][:2], (4, 5), strict=True):
        data = {q.pk: None for q in evaluation.questions.all()}
        data[evaluation_questions["strategia"].pk] = evaluation_questions["strategia"].choices.get(text="Tak").pk
        data[evaluation_questions["wsparcie"].pk] = [evaluation_questions["wsparcie"].choices.get(text="Doradztwo").pk]
        data[evaluation_questions["finansowanie"].pk] = scale
        data[evaluation.questions.get(key="oczekiwania").pk] = 3
        cycle.submit_response(person, evaluation, data)

    comparison = reporting.compare_diagnosis_and_evaluation(world["space"], "2019/2020")

    assert [row.key for row in comparison.rows] == ["strategia", "wsparcie", "finansowanie"]
    assert [q.key for q in comparison.only_in_diagnosis] == ["oczekiwania"]
    assert {q.key for q in comparison.only_in_evaluation} == {"oczekiwania", "zmiany"}
    scale = comparison.rows[2]
    assert (scale.diagnosis.mean, scale.evaluation.mean, scale.mean_change) == (3.5, 4.5, 1.0)
    strategy = {pair.label: (pair.diagnosis.percent, pair.evaluation.percent) for pair in comparison.rows[0].pairs}
    assert strategy["Tak"] == (50.0, 100.0)


def test_compare_diagnosis_and_evaluation_without_an_evaluation_has_no_rows(world, answered):
    comparison = reporting.compare_diagnosis_and_evaluation(world["space"], "2019/2020")
    assert comparison.diagnosis is not None
    assert comparison.evaluation is None
    assert comparison.rows == []


def test_compare_diagnosis_and_evaluation_ignores_an_evaluation_draft(world, answered):
    diagnosis, _questions = answered
    cycle.copy_diagnosis_as_evaluation(world["coordinator"], diagnosis)
    assert reporting.compare_diagnosis_and_evaluation(world["space"]).evaluation is None


def test_copy_diagnosis_as_evaluation_copies_questions_options_and_keys(world, diagnosis):
    questionnaire, _questions = diagnosis
    evaluation = cycle.copy_diagnosis_as_evaluation(world["coordinator"], questionnaire)
    assert evaluation.kind == QuestionnaireKind.EVALUATION
    assert evaluation.status == QuestionnaireStatus.DRAFT
    assert list(evaluation.questions.values_list("key", "kind", "text")) == list(
        questionnaire.questions.values_list("key", "kind", "text")
    )
    assert list(evaluation.questions.get(key="strategia").choices.values_list("text", flat=True)) == [
        "Tak",
        "Nie",
        "W przygotowaniu",
    ]


def test_copy_diagnosis_as_evaluation_twice_returns_the_same_draft(world, diagnosis):
    questionnaire, _questions = diagnosis
    first = cycle.copy_diagnosis_as_evaluation(world["coordinator"], questionnaire)
    second = cycle.copy_diagnosis_as_evaluation(world["coordinator"], questionnaire)
    assert first.pk == second.pk
    assert world["space"].questionnaires.filter(kind=QuestionnaireKind.EVALUATION).count() == 1


# --- CSV export --------------------------------------------------------------------------------------


def parse_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_export_results_csv_starts_with_a_byte_order_mark_and_uses_semicolons(answered):
    questionnaire, _questions = answered
    content = reporting.export_results_csv(questionnaire)
    assert content.startswith(b"\xef\xbb\xbf")
    header = content.decode("utf-8-sig").splitlines()[0]
    assert header.count(";") == 4
    assert "," not in header.replace("Pan/Pani", "")


def test_export_results_csv_has_one_row_per_response_with_pseudonymous_numbers(answered):
    questionnaire, _questions = answered
    table = parse_csv(reporting.export_results_csv(questionnaire))
    assert len(table) == 5
    assert [row[0] for row in table[1:]] == ["1", "2", "3", "4"]
    assert table[0][1] == "1. Czy gmina ma aktualną strategię oświatową? [strategia]"


def test_export_results_csv_keeps_polish_letters_and_joins_multiple_options(answered):
    questionnaire, _questions = answered
    table = parse_csv(reporting.export_results_csv(questionnaire))
    assert "Potrzebujemy wsparcia w planowaniu sieci szkół." in [row[4] for row in table]
    assert "Szkolenia | Wymiana doświadczeń" in [row[2] for row in table]
    assert sorted(row[3] for row in table[1:]) == ["2", "3", "4", "5"]


def test_export_results_csv_has_no_names_or_e_mail_addresses(world, answered):
    questionnaire, _questions = answered
    text = reporting.export_results_csv(questionnaire).decode("utf-8-sig")
    for person in world["members"]:
        assert person.email not in text
        assert person.last_name not in text
    assert "@" not in text
    assert "Żaneta" not in text


def test_export_results_csv_neutralises_answers_that_look_like_formulas(world, diagnosis):
    questionnaire, questions = diagnosis
    cycle.submit_response(world["member"], questionnaire, answers(questions, text='=HYPERLINK("http://zly.example")'))
    table = parse_csv(reporting.export_results_csv(questionnaire))
    assert table[1][4] == '\'=HYPERLINK("http://zly.example")'


# --- the work plan -----------------------------------------------------------------------------------


def test_update_work_plan_saves_goals_and_themes_of_the_space_cycle(world):
    plan = planning.update_work_plan(
        world["coordinator"], world["space"], goals="Wzmocnienie kompetencji JST", themes="Finansowanie oświaty"
    )
    assert (plan.cycle, plan.goals, plan.themes, plan.updated_by) == (
        "2019/2020",
        "Wzmocnienie kompetencji JST",
        "Finansowanie oświaty",
        world["coordinator"],
    )


def test_update_work_plan_is_refused_to_a_member_without_the_coordinator_role(world):
    with pytest.raises(PermissionDenied):
        planning.update_work_plan(world["member"], world["space"], goals="Moje cele", themes="")
    assert planning.get_work_plan(world["space"]) is None


def test_work_plan_items_take_the_month_of_their_date_and_can_be_reordered_and_removed(world):
    coordinator, space = world["coordinator"], world["space"]
    first = planning.add_work_plan_item(
        coordinator,
        space,
        kind=WorkPlanItemKind.MEETING,
        title="Spotkanie otwierające",
        date=datetime.date(2019, 9, 24),
    )
    second = planning.add_work_plan_item(
        coordinator,
        space,
        kind=WorkPlanItemKind.ONLINE_TASK,
        title="Analiza danych SIO",
        month=datetime.date(2019, 10, 15),
    )
    third = planning.add_work_plan_item(coordinator, space, kind=WorkPlanItemKind.MATERIAL, title="Raport o subwencji")
    assert first.month == datetime.date(2019, 9, 1)
    assert second.month == datetime.date(2019, 10, 1)
    planning.move_work_plan_item(coordinator, third, "up")
    assert list(WorkPlanItem.objects.values_list("title", flat=True)) == [
        "Spotkanie otwierające",
        "Raport o subwencji",
        "Analiza danych SIO",
    ]
    planning.remove_work_plan_item(coordinator, first)
    assert list(WorkPlanItem.objects.values_list("title", "order")) == [
        ("Raport o subwencji", 1),
        ("Analiza danych SIO", 2),
    ]


def test_add_work_plan_item_without_a_title_is_refused(world):
    with pytest.raises(cycle.CycleError):
        planning.add_work_plan_item(world["coordinator"], world["space"], kind=WorkPlanItemKind.MEETING, title="  ")
    assert not WorkPlanItem.objects.exists()
