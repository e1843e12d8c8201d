"""Course reports: counts, results per area, breakdowns with groups of fewer than 5 people suppressed, CSV."""

import pytest
from django.urls import reverse

from exchange_groups.models import PositionCategory, UnitKind
from learning import services
from learning.reports import course_report
from tests.factories import TerritorialUnitFactory, profile_of

from .conftest import make_person

pytestmark = pytest.mark.django_db


def _learner(course, kind, position, *, pre=None, post=None, lessons=False):
    person = make_person()
    profile = profile_of(person)
    profile.unit = TerritorialUnitFactory(kind=kind)
    profile.position_category = position
    profile.save()
    enrolment, _created = services.enrol(course, person)
    if pre is not None:
        services.record_competence_test(enrolment, "pre", pre)
    if lessons:
        for lesson in course.lessons():
            if lesson.required:
                services.mark_lesson_complete(enrolment, lesson)
    if post is not None:
        services.record_competence_test(enrolment, "post", post)
    return person


LOW = {"a1": "a1b"}  # 0 %
HIGH = {"b1": "b1a", "b2": "false", "b3": "b3b"}  # 100 %


@pytest.fixture
def cohort(course):
    # 6 from rural gminas (finance), 2 from powiats (councillors): the powiat group is too small to show.
    for _i in range(6):
        _learner(course, UnitKind.RURAL_GMINA, PositionCategory.FINANCE, pre=LOW, post=HIGH, lessons=True)
    for _i in range(2):
        _learner(course, UnitKind.POWIAT, PositionCategory.COUNCILLOR)
    return course


def test_report_counts(cohort):
    report = course_report(cohort)
    assert (report.enrolled, report.completed, report.not_started, report.raised) == (8, 6, 2, 6)


def test_report_suppresses_groups_of_fewer_than_five(cohort):
    report = course_report(cohort)
    rural = next(row for row in report.by_unit_kind if row.label == str(UnitKind.RURAL_GMINA.label))
    powiat = next(row for row in report.by_unit_kind if row.label == str(UnitKind.POWIAT.label))
    assert rural.cells[0].value == 6 and not rural.cells[0].suppressed
    assert powiat.suppressed and all(cell.suppressed for cell in powiat.cells)
    assert all(cell.value is None for cell in powiat.cells)


def test_report_suppresses_small_cells_in_a_large_group(cohort, course):
    report = course_report(course)
    rural = next(row for row in report.by_unit_kind if row.label == str(UnitKind.RURAL_GMINA.label))
    in_progress = rural.cells[1]  # nobody in progress: 0 < 5
    assert in_progress.suppressed


def test_report_area_averages(cohort, areas):
    report = course_report(cohort)
    area = next(row for row in report.areas if row["area"] == areas[0])
    assert (area["pre"].value, area["post"].value) == (0, 100)


def test_report_page_never_shows_a_small_group_number(client, coordinator, cohort):
    client.force_login(coordinator)
    html = client.get(reverse("learning:report", args=[cohort.pk])).content.decode()
    assert "fewer than 5" in html or "mniej niż 5" in html
    row = html.split(str(UnitKind.POWIAT.label))[1].split("</tr>")[0]
    assert ">2<" not in row


def test_report_csv_has_the_same_suppression(client, coordinator, cohort):
    client.force_login(coordinator)
    response = client.get(reverse("learning:report_csv", args=[cohort.pk]))
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    powiat_line = next(line for line in body.splitlines() if line.startswith(str(UnitKind.POWIAT.label)))
    assert ";2;" not in powiat_line and ("fewer than 5" in powiat_line or "mniej niż 5" in powiat_line)
    rural_line = next(line for line in body.splitlines() if line.startswith(str(UnitKind.RURAL_GMINA.label)))
    assert rural_line.split(";")[1] == "6"


def test_report_refused_to_a_learner(learner_client, course):
    assert learner_client.get(reverse("learning:report", args=[course.pk])).status_code == 403
    assert learner_client.get(reverse("learning:report_csv", args=[course.pk])).status_code == 403


def test_report_anonymous_is_sent_to_login(client, course):
    assert client.get(reverse("learning:report", args=[course.pk])).status_code == 302


def test_report_list_shows_managed_courses(client, coordinator, course):
    client.force_login(coordinator)
    assert course.title in client.get(reverse("learning:report_list")).content.decode()


def test_report_breakdown_has_results_per_area(cohort, areas):
    report = course_report(cohort)
    rural = next(row for row in report.by_unit_kind if row.label == str(UnitKind.RURAL_GMINA.label))
    assert len(rural.cells) == len(report.columns) == 7 + 2 * len(areas)
    assert [cell.value for cell in rural.cells[7:9]] == [0, 100]
