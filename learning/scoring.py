"""Pure scoring functions: no database, no request. Questions are the plain dicts of `blocks.question_dicts`.

Answers are stored by id: {question id: option id} for single choice and true/false, {question id: [option ids]}
for multiple choice, {question id: {item id: position}} for ordering.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal


class AnswerError(ValueError):
    """Answers that do not fit the questions (unknown ids, wrong shapes): nothing is saved."""


def clean_answers(questions: list[dict], answers: dict) -> dict:
    """Check the shape of answers against the questions; unknown question or option ids raise AnswerError.

    Unanswered questions are left out (they score no points). Returns a normalised copy.
    """
    if not isinstance(answers, dict):
        raise AnswerError("answers must be a mapping")
    by_id = {q["id"]: q for q in questions}
    cleaned: dict = {}
    for qid, value in answers.items():
        question = by_id.get(qid)
        if question is None:
            raise AnswerError(f"unknown question {qid!r}")
        option_ids = [o["id"] for o in question["options"]]
        kind = question["type"]
        if kind in ("single", "true_false"):
            if value in (None, ""):
                continue
            if not isinstance(value, str) or value not in option_ids:
                raise AnswerError(f"unknown option for {qid!r}")
            cleaned[qid] = value
        elif kind == "multiple":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise AnswerError(f"a list of options is expected for {qid!r}")
            if any(v not in option_ids for v in value) or len(set(value)) != len(value):
                raise AnswerError(f"unknown option for {qid!r}")
            if value:
                cleaned[qid] = sorted(value)
        elif kind == "ordering":
            if not isinstance(value, dict):
                raise AnswerError(f"positions are expected for {qid!r}")
            positions = {}
            for item_id, position in value.items():
                if item_id not in option_ids:
                    raise AnswerError(f"unknown item for {qid!r}")
                if position in (None, ""):
                    continue
                try:
                    number = int(position)
                except (TypeError, ValueError):
                    raise AnswerError(f"a position number is expected for {qid!r}") from None
                if not 1 <= number <= len(option_ids):
                    raise AnswerError(f"position out of range for {qid!r}")
                positions[item_id] = number
            if positions:
                cleaned[qid] = positions
        else:
            raise AnswerError(f"unknown question type {kind!r}")
    return cleaned


def is_correct(question: dict, answer) -> bool:
    kind = question["type"]
    if answer is None:
        return False
    if kind in ("single", "true_false"):
        return any(o["id"] == answer and o["correct"] for o in question["options"])
    if kind == "multiple":
        return set(answer) == {o["id"] for o in question["options"] if o["correct"]}
    if kind == "ordering":
        expected = {o["id"]: o["position"] for o in question["options"]}
        return answer == expected
    return False


@dataclass
class QuizResult:
    points: int
    max_points: int
    percent: Decimal
    passed: bool
    questions: dict = field(default_factory=dict)


def percent_of(points: int, max_points: int) -> Decimal:
    if not max_points:
        return Decimal("0.0")
    return (Decimal(points) * 100 / Decimal(max_points)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def score_quiz(questions: list[dict], answers: dict, pass_mark: int = 0) -> QuizResult:
    """Score answers (already cleaned) against the questions: one point per fully correct question.

    `questions` of the result holds, per question id, whether it was correct and the feedback to show: the
    question's own feedback plus the feedback of each option the learner chose.
    """
    points = 0
    per_question = {}
    for question in questions:
        answer = answers.get(question["id"])
        correct = is_correct(question, answer)
        points += int(correct)
        chosen = answer if isinstance(answer, list) else [answer] if isinstance(answer, str) else []
        option_feedback = [
            {"option": o["text"], "feedback": o["feedback"]}
            for o in question["options"]
            if o["id"] in chosen and o.get("feedback")
        ]
        per_question[question["id"]] = {
            "correct": correct,
            "answered": answer is not None,
            "feedback": question["feedback_correct"] if correct else question["feedback_incorrect"],
            "option_feedback": option_feedback,
        }
    max_points = len(questions)
    percent = percent_of(points, max_points)
    return QuizResult(
        points=points,
        max_points=max_points,
        percent=percent,
        passed=percent >= Decimal(pass_mark),
        questions=per_question,
    )


def area_scores(questions: list[dict], answers: dict) -> dict[str, dict]:
    """Per competence area (questions carry an "area" id): points, max and percent, keys as strings (JSON)."""
    totals: dict[str, dict] = {}
    for question in questions:
        key = str(question.get("area"))
        row = totals.setdefault(key, {"points": 0, "max": 0})
        row["max"] += 1
        row["points"] += int(is_correct(question, answers.get(question["id"])))
    for row in totals.values():
        row["percent"] = float(percent_of(row["points"], row["max"]))
    return totals


def raised_competences(pre, post, threshold) -> bool:
    """A person raised their competences when the post-test result beats the pre-test by at least `threshold`
    percentage points (and by something: an equal result never counts). Missing results (None) never count."""
    if pre is None or post is None:
        return False
    gain = Decimal(str(post)) - Decimal(str(pre))
    return gain > 0 and gain >= Decimal(str(threshold))
