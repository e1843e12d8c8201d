"""Results of a network's questionnaires: aggregates (pseudonymous, small groups hidden), the diagnosis beside
the evaluation, CSV export."""

import csv
import dataclasses
import hashlib
import io
import statistics
from collections import defaultdict

from django.conf import settings
from django.db.models import Count
from django.utils.text import slugify
from django.utils.translation import gettext as _

from exchange_groups.models import (
    Answer,
    Choice,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireKind,
    QuestionnaireStatus,
    Space,
    fold,
)

CSV_SEPARATOR = ";"


CSV_MULTIPLE_JOINER = " | "


@dataclasses.dataclass
class ResultRow:
    label: str
    value: int  # a choice pk or a value on the scale
    count: int
    percent: float  # of the people who answered the question


@dataclasses.dataclass
class QuestionResult:
    question: Question
    answered: int
    rows: list[ResultRow] = dataclasses.field(default_factory=list)
    mean: float | None = None
    median: float | None = None
    texts: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class QuestionnaireResults:
    questionnaire: Questionnaire
    respondents: int
    questions: list[QuestionResult]

    def for_key(self, key: str) -> QuestionResult | None:
        return next((result for result in self.questions if result.question.key == key), None)


def _percent(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def _pseudonym_order(questionnaire: Questionnaire, response_pk: int) -> str:
    """A stable order of responses that does not follow the order in which people answered."""
    seed = f"{settings.SECRET_KEY}:questionnaire:{questionnaire.pk}:response:{response_pk}"
    return hashlib.sha256(seed.encode()).hexdigest()


def aggregate_results(questionnaire: Questionnaire) -> QuestionnaireResults:
    questions = list(questionnaire.questions.prefetch_related("choices"))
    answers = Answer.objects.filter(response__questionnaire=questionnaire)
    answered = dict(answers.values_list("question_id").annotate(n=Count("pk")).values_list("question_id", "n"))
    choice_counts = dict(
        Choice.objects.filter(question__questionnaire=questionnaire).annotate(n=Count("answers")).values_list("pk", "n")
    )
    scale_values, texts = defaultdict(list), defaultdict(list)
    for question_id, value, text, response_id in answers.values_list(
        "question_id", "scale_value", "text", "response_id"
    ):
        if value is not None:
            scale_values[question_id].append(value)
        if text:
            texts[question_id].append((_pseudonym_order(questionnaire, response_id), text))
    results = []
    for question in questions:
        total = answered.get(question.pk, 0)
        result = QuestionResult(question=question, answered=total)
        if question.has_choices:
            for choice in question.choices.all():
                count = choice_counts.get(choice.pk, 0)
                result.rows.append(ResultRow(choice.text, choice.pk, count, _percent(count, total)))
        elif question.kind == QuestionKind.SCALE:
            values = scale_values[question.pk]
            for point in question.scale_values():
                count = values.count(point)
                label = str(point)
                if point == question.scale_min and question.scale_min_label:
                    label = f"{point} ({question.scale_min_label})"
                elif point == question.scale_max and question.scale_max_label:
                    label = f"{point} ({question.scale_max_label})"
                result.rows.append(ResultRow(label, point, count, _percent(count, total)))
            if values:
                result.mean = round(statistics.fmean(values), 2)
                result.median = statistics.median(values)
        else:
            result.texts = [text for _order, text in sorted(texts[question.pk])]
        results.append(result)
    return QuestionnaireResults(questionnaire, questionnaire.responses.count(), results)


@dataclasses.dataclass
class PairedRow:
    label: str
    diagnosis: ResultRow | None
    evaluation: ResultRow | None


@dataclasses.dataclass
class ComparisonRow:
    key: str
    diagnosis: QuestionResult
    evaluation: QuestionResult
    pairs: list[PairedRow]

    @property
    def mean_change(self) -> float | None:
        if self.diagnosis.mean is None or self.evaluation.mean is None:
            return None
        return round(self.evaluation.mean - self.diagnosis.mean, 2)


@dataclasses.dataclass
class Comparison:
    diagnosis: Questionnaire | None
    evaluation: Questionnaire | None
    diagnosis_results: QuestionnaireResults | None = None
    evaluation_results: QuestionnaireResults | None = None
    rows: list[ComparisonRow] = dataclasses.field(default_factory=list)
    only_in_diagnosis: list[Question] = dataclasses.field(default_factory=list)
    only_in_evaluation: list[Question] = dataclasses.field(default_factory=list)


def _latest_published(space: Space, cycle: str, kind: str) -> Questionnaire | None:
    return (
        Questionnaire.objects.filter(space=space, cycle=cycle, kind=kind)
        .exclude(status=QuestionnaireStatus.DRAFT)
        .order_by("-published_at", "-pk")
        .first()
    )


def _pair_rows(question: Question, first: QuestionResult, second: QuestionResult) -> list[PairedRow]:
    """Options are matched by their text (ignoring case and Polish letters), scale points by value."""
    if question.kind == QuestionKind.OPEN:
        return []

    def match_key(row: ResultRow):
        return row.value if question.kind == QuestionKind.SCALE else fold(row.label)

    second_rows = {match_key(row): row for row in second.rows}
    pairs = []
    for row in first.rows:
        pairs.append(PairedRow(row.label, row, second_rows.pop(match_key(row), None)))
    pairs += [PairedRow(row.label, None, row) for row in second.rows if match_key(row) in second_rows]
    return pairs


def compare_diagnosis_and_evaluation(space: Space, cycle: str | None = None) -> Comparison:
    """The latest published diagnosis and evaluation of the cycle, question by question where the key
    and the kind of question match."""
    cycle = cycle or space.cycle
    diagnosis = _latest_published(space, cycle, QuestionnaireKind.DIAGNOSIS)
    evaluation = _latest_published(space, cycle, QuestionnaireKind.EVALUATION)
    comparison = Comparison(diagnosis, evaluation)
    if diagnosis is None or evaluation is None:
        return comparison
    first, second = aggregate_results(diagnosis), aggregate_results(evaluation)
    comparison.diagnosis_results, comparison.evaluation_results = first, second
    matched = set()
    for result in first.questions:
        other = second.for_key(result.question.key)
        if other is not None and other.question.kind == result.question.kind:
            matched.add(other.question.pk)
            comparison.rows.append(
                ComparisonRow(result.question.key, result, other, _pair_rows(result.question, result, other))
            )
        else:
            comparison.only_in_diagnosis.append(result.question)
    comparison.only_in_evaluation = [r.question for r in second.questions if r.question.pk not in matched]
    return comparison


def _safe_cell(value) -> str:
    """Text that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def export_results_csv(questionnaire: Questionnaire) -> bytes:
    """One row per response, respondents numbered pseudonymously; no names, e-mails or times.

    UTF-8 with a byte order mark and semicolons, as the Polish Excel expects. Options of a multiple
    choice question are joined with " | "."""
    questions = list(questionnaire.questions.prefetch_related("choices"))
    responses = sorted(
        questionnaire.responses.values_list("pk", flat=True), key=lambda pk: _pseudonym_order(questionnaire, pk)
    )
    choice_text = {choice.pk: choice.text for question in questions for choice in question.choices.all()}
    choice_order = {choice.pk: (choice.order, choice.pk) for question in questions for choice in question.choices.all()}
    cells = defaultdict(dict)
    answers = Answer.objects.filter(response__questionnaire=questionnaire).prefetch_related("choices")
    for answer in answers:
        question_kind = next(q.kind for q in questions if q.pk == answer.question_id)
        if question_kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            chosen = sorted((c.pk for c in answer.choices.all()), key=lambda pk: choice_order[pk])
            value = CSV_MULTIPLE_JOINER.join(choice_text[pk] for pk in chosen)
        elif question_kind == QuestionKind.SCALE:
            value = "" if answer.scale_value is None else str(answer.scale_value)
        else:
            value = answer.text
        cells[answer.response_id][answer.question_id] = value
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_SEPARATOR, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(
        [_("Respondent")] + [_safe_cell(f"{number}. {q.text} [{q.key}]") for number, q in enumerate(questions, 1)]
    )
    for number, response_pk in enumerate(responses, start=1):
        row = cells.get(response_pk, {})
        writer.writerow([str(number)] + [_safe_cell(row.get(q.pk, "")) for q in questions])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_filename(questionnaire: Questionnaire) -> str:
    return f"{slugify(fold(questionnaire.title))[:60] or 'ankieta'}-wyniki.csv"
