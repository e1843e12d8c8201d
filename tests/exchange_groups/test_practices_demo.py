"""The demo good-practice base: published practices from different voivodeships and JST kinds, and one member's
submission waiting for the editors; loading it twice changes nothing."""

import pytest
from wagtail.models import WorkflowState

from exchange_groups.demo import DEMO_PEOPLE, ensure_demo_person
from exchange_groups.demo.practices import PRACTICES, load_demo_practices
from exchange_groups.models import GoodPracticePage
from exchange_groups.spaces.standard import ensure_standard_spaces


@pytest.fixture
def demo(registry):
    users = {key: ensure_demo_person(DEMO_PEOPLE[key]) for key in ("uczestnik", "redaktor")}
    return users, ensure_standard_spaces()


def test_demo_practices_are_published_from_several_voivodeships_and_kinds(demo):
    result = load_demo_practices(*demo)
    live = GoodPracticePage.objects.live()
    assert live.count() == len(PRACTICES) >= 6
    assert len(set(live.values_list("voivodeship", flat=True))) >= 5
    assert len(set(live.values_list("unit_kind", flat=True))) >= 4
    assert all(page.themes.exists() for page in live)
    submission = result["submission"]
    assert not submission.live
    assert WorkflowState.objects.get(object_id=str(submission.pk)).status == WorkflowState.STATUS_IN_PROGRESS


def test_demo_practices_load_twice_without_duplicates(demo):
    load_demo_practices(*demo)
    load_demo_practices(*demo)
    assert GoodPracticePage.objects.count() == len(PRACTICES) + 1
    assert WorkflowState.objects.count() == 1
