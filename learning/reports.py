"""Course reports for coordinators: counts, pre/post results per competence area, breakdowns, CSV.

Privacy: in breakdowns (by JST kind, by position category, per competence area) any group or cell of fewer
than 5 people (setting `LEARNING_REPORT_MIN_GROUP`) is shown as "fewer than 5", never as the number, in the
page and in the CSV alike. Averages of fewer than 5 people are suppressed the same way.

The CSV carries text written by others (the course's title, competence area names): a cell that a spreadsheet
would run as a formula (starting with = + - @, a tab or a carriage return) is written with a leading apostrophe.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from exchange_groups.models import PositionCategory, UnitKind

from .conf import learning_settings
from .models import CompetenceArea, CompetenceTestResult, Enrolment, LessonProgress, QuizAttempt
from .scoring import raised_competences


def min_group() -> int:
    return learning_settings.REPORT_MIN_GROUP


@dataclass
class Cell:
    value: object = None
    suppressed: bool = False

    def __str__(self):
        if self.suppressed:
            return _("fewer than 5")
        if self.value is None:
            return "–"
        if isinstance(self.value, Decimal):
            return f"{self.value}".replace(".", ",")
        return str(self.value)


def count_cell(n: int) -> Cell:
    return Cell(n, suppressed=n < min_group())


def average_cell(values: list) -> Cell:
    if len(values) < min_group():
        return Cell(None, suppressed=True)
    avg = sum(Decimal(str(v)) for v in values) / len(values)
    return Cell(avg.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass
class LearnerRow:
    status: str
    unit_kind: str
    position: str
    pre: Decimal | None
    post: Decimal | None
    pre_areas: dict
    post_areas: dict
    raised: bool


@dataclass
class GroupRow:
    label: str
    cells: list = field(default_factory=list)
    suppressed: bool = False


@dataclass
class CourseReport:
    course: object
    enrolled: int
    not_started: int
    in_progress: int
    completed: int
    took_pre: int
    took_post: int
    took_both: int
    raised: int
    areas: list
    by_unit_kind: list
    by_position: list
    columns: list
    area_columns: list


def _learner_rows(course) -> list[LearnerRow]:
    enrolments = list(Enrolment.objects.filter(course=course).select_related("user__profile__unit"))
    ids = [e.pk for e in enrolments]
    active = set(LessonProgress.objects.filter(enrolment_id__in=ids).values_list("enrolment_id", flat=True))
    active |= set(QuizAttempt.objects.filter(enrolment_id__in=ids).values_list("enrolment_id", flat=True))
    results = defaultdict(dict)
    for result in CompetenceTestResult.objects.filter(enrolment_id__in=ids):
        results[result.enrolment_id][result.kind] = result
        active.add(result.enrolment_id)
    rows = []
    for enrolment in enrolments:
        profile = getattr(enrolment.user, "profile", None)
        unit = profile.unit if profile else None
        pre = results[enrolment.pk].get("pre")
        post = results[enrolment.pk].get("post")
        if enrolment.completed_at:
            status = "completed"
        elif enrolment.pk in active:
            status = "in_progress"
        else:
            status = "not_started"
        rows.append(
            LearnerRow(
                status=status,
                unit_kind=unit.kind if unit else "",
                position=profile.position_category if profile else "",
                pre=pre.percent if pre else None,
                post=post.percent if post else None,
                pre_areas=pre.area_scores if pre else {},
                post_areas=post.area_scores if post else {},
                raised=raised_competences(
                    pre.percent if pre else None, post.percent if post else None, course.competence_threshold
                ),
            )
        )
    return rows


def _columns(areas=()) -> list[str]:
    columns = [
        _("Enrolled"),
        _("In progress"),
        _("Completed"),
        _("Took both tests"),
        _("Raised their competences"),
        _("Pre-test average (%)"),
        _("Post-test average (%)"),
    ]
    for area in areas:
        columns.append(_("%(area)s: pre-test average (%%)") % {"area": area.name})
        columns.append(_("%(area)s: post-test average (%%)") % {"area": area.name})
    return columns


def _area_columns() -> list[str]:
    return [_("Competence area"), _("People with both tests"), _("Pre-test average (%)"), _("Post-test average (%)")]


def _group_cells(rows: list[LearnerRow], areas=()) -> list[Cell]:
    both = [r for r in rows if r.pre is not None and r.post is not None]
    cells = [
        count_cell(len(rows)),
        count_cell(sum(1 for r in rows if r.status == "in_progress")),
        count_cell(sum(1 for r in rows if r.status == "completed")),
        count_cell(len(both)),
        count_cell(sum(1 for r in rows if r.raised)),
        average_cell([r.pre for r in both]),
        average_cell([r.post for r in both]),
    ]
    for area in areas:
        key = str(area.pk)
        with_area = [r for r in both if key in r.pre_areas and key in r.post_areas]
        cells.append(average_cell([r.pre_areas[key]["percent"] for r in with_area]))
        cells.append(average_cell([r.post_areas[key]["percent"] for r in with_area]))
    return cells


def _breakdown(rows: list[LearnerRow], attr: str, choices, empty_label: str, areas=()) -> list[GroupRow]:
    groups = defaultdict(list)
    for row in rows:
        groups[getattr(row, attr)].append(row)
    result = []
    for key, label in [*choices, ("", empty_label)]:
        members = groups.get(key, [])
        if not members:
            continue
        if len(members) < min_group():
            result.append(GroupRow(str(label), [Cell(None, True) for _c in _columns(areas)], suppressed=True))
        else:
            result.append(GroupRow(str(label), _group_cells(members, areas)))
    return result


def course_report(course) -> CourseReport:
    rows = _learner_rows(course)
    areas = []
    area_ids = {str(pk) for r in rows for pk in (*r.pre_areas, *r.post_areas)}
    area_objects = list(CompetenceArea.objects.filter(pk__in=[int(a) for a in area_ids if a.isdigit()]))
    for area in area_objects:
        key = str(area.pk)
        both = [r for r in rows if key in r.pre_areas and key in r.post_areas]
        areas.append(
            {
                "area": area,
                "people": count_cell(len(both)),
                "pre": average_cell([r.pre_areas[key]["percent"] for r in both]),
                "post": average_cell([r.post_areas[key]["percent"] for r in both]),
            }
        )
    return CourseReport(
        course=course,
        enrolled=len(rows),
        not_started=sum(1 for r in rows if r.status == "not_started"),
        in_progress=sum(1 for r in rows if r.status == "in_progress"),
        completed=sum(1 for r in rows if r.status == "completed"),
        took_pre=sum(1 for r in rows if r.pre is not None),
        took_post=sum(1 for r in rows if r.post is not None),
        took_both=sum(1 for r in rows if r.pre is not None and r.post is not None),
        raised=sum(1 for r in rows if r.raised),
        areas=areas,
        by_unit_kind=_breakdown(rows, "unit_kind", UnitKind.choices, _("JST not given"), area_objects),
        by_position=_breakdown(rows, "position", PositionCategory.choices, _("Position not given"), area_objects),
        columns=_columns(area_objects),
        area_columns=_area_columns(),
    )


def _safe_cell(value) -> str:
    """Text that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


class _SafeWriter:
    def __init__(self, out):
        self._writer = csv.writer(out, delimiter=";")

    def writerow(self, row):
        self._writer.writerow([_safe_cell(cell) for cell in row])


def report_csv(report: CourseReport) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # a byte-order mark, so that spreadsheet programs read the Polish letters as UTF-8
    writer = _SafeWriter(out)
    writer.writerow([_("Course"), report.course.title])
    writer.writerow([_("Enrolled"), report.enrolled])
    writer.writerow([_("Not started"), report.not_started])
    writer.writerow([_("In progress"), report.in_progress])
    writer.writerow([_("Completed"), report.completed])
    writer.writerow([_("Took the pre-test"), report.took_pre])
    writer.writerow([_("Took the post-test"), report.took_post])
    writer.writerow([_("Raised their competences"), report.raised])
    writer.writerow([])
    writer.writerow(report.area_columns)
    for row in report.areas:
        writer.writerow([row["area"].name, str(row["people"]), str(row["pre"]), str(row["post"])])
    for title, rows in ((_("JST kind"), report.by_unit_kind), (_("Position category"), report.by_position)):
        writer.writerow([])
        writer.writerow([title, *report.columns])
        for group in rows:
            writer.writerow([group.label, *(str(cell) for cell in group.cells)])
    return out.getvalue()
