"""The demo data of the yearly cycle: diagnoses, work plans, one evaluation to compare, one questionnaire left
for the demo participant; loading it twice changes nothing."""

import pytest

from exchange_groups import demo
from exchange_groups.cycle import planning, reporting
from exchange_groups.demo.cycle import EVALUATED_NETWORK, NETWORKS, load_demo_cycle
from exchange_groups.models import (
    Answer,
    Questionnaire,
    QuestionnaireKind,
    QuestionnaireStatus,
    Response,
    SpaceRole,
    WorkPlanItem,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(registry):
    data = demo.load()
    load_demo_cycle(data["users"], data["spaces"])
    return data


def test_demo_cycle_publishes_a_diagnosis_answered_by_most_members_in_each_network(loaded):
    for slug in NETWORKS:
        space = loaded["spaces"][slug]
        diagnosis = Questionnaire.objects.get(space=space, kind=QuestionnaireKind.DIAGNOSIS)
        members = space.memberships.filter(until__isnull=True).exclude(role=SpaceRole.COORDINATOR).count()
        assert diagnosis.status != QuestionnaireStatus.DRAFT
        assert diagnosis.questions.count() == 7
        assert diagnosis.responses.count() >= members / 2
        assert Answer.objects.filter(response__questionnaire=diagnosis, question__kind="open").exclude(text="").exists()


def test_demo_cycle_leaves_the_participant_one_open_questionnaire_to_answer(loaded):
    participant = loaded["users"]["uczestnik"]
    open_ones = [
        q
        for q in Questionnaire.objects.filter(space__memberships__user=participant, space__memberships__until=None)
        if q.accepts_answers and not Response.objects.filter(questionnaire=q, user=participant).exists()
    ]
    assert len(open_ones) == 1


def test_demo_cycle_has_a_closed_evaluation_that_compares_with_the_diagnosis(loaded):
    space = loaded["spaces"][EVALUATED_NETWORK]
    comparison = reporting.compare_diagnosis_and_evaluation(space)
    assert comparison.evaluation.status == QuestionnaireStatus.CLOSED
    assert len(comparison.rows) == 7
    assert comparison.evaluation_results.respondents > 0
    assert [q.key for q in comparison.only_in_evaluation] == ["ocena-sieci"]


def test_demo_cycle_writes_a_work_plan_from_september_to_june_for_each_network(loaded):
    for slug in NETWORKS:
        plan = planning.get_work_plan(loaded["spaces"][slug])
        months = [item.month for item in plan.items.all()]
        assert plan.goals and plan.themes
        assert len(months) == 8
        assert (months[0].year, months[0].month) == (2019, 9)
        assert (months[-1].year, months[-1].month) == (2020, 6)


def test_demo_cycle_loaded_twice_changes_nothing(loaded):
    before = (
        Questionnaire.objects.count(),
        Response.objects.count(),
        Answer.objects.count(),
        WorkPlanItem.objects.count(),
    )
    again = demo.load()
    load_demo_cycle(again["users"], again["spaces"])
    after = (
        Questionnaire.objects.count(),
        Response.objects.count(),
        Answer.objects.count(),
        WorkPlanItem.objects.count(),
    )
    assert after == before
