"""Pure scoring rules: one point per fully correct question, unknown ids refused, and 'raised competences'."""

from decimal import Decimal

import pytest

from learning.blocks import public_questions
from learning.scoring import AnswerError, area_scores, clean_answers, raised_competences, score_quiz

Q = [
    {
        "id": "s",
        "type": "single",
        "prompt": "",
        "feedback_correct": "ok",
        "feedback_incorrect": "bad",
        "options": [
            {"id": "a", "text": "A", "correct": True, "feedback": ""},
            {"id": "b", "text": "B", "correct": False, "feedback": "not B"},
        ],
        "area": 1,
    },
    {
        "id": "m",
        "type": "multiple",
        "prompt": "",
        "feedback_correct": "",
        "feedback_incorrect": "",
        "options": [
            {"id": "x", "text": "X", "correct": True, "feedback": ""},
            {"id": "y", "text": "Y", "correct": True, "feedback": ""},
            {"id": "z", "text": "Z", "correct": False, "feedback": ""},
        ],
        "area": 2,
    },
    {
        "id": "t",
        "type": "true_false",
        "prompt": "",
        "feedback_correct": "",
        "feedback_incorrect": "",
        "options": [
            {"id": "true", "text": "T", "correct": False, "feedback": ""},
            {"id": "false", "text": "F", "correct": True, "feedback": ""},
        ],
        "area": 2,
    },
    {
        "id": "o",
        "type": "ordering",
        "prompt": "",
        "feedback_correct": "",
        "feedback_incorrect": "",
        "options": [
            {"id": "i1", "text": "1", "position": 1},
            {"id": "i2", "text": "2", "position": 2},
            {"id": "i3", "text": "3", "position": 3},
        ],
        "area": 1,
    },
]
ALL_RIGHT = {"s": "a", "m": ["y", "x"], "t": "false", "o": {"i1": 1, "i2": 2, "i3": 3}}


def test_score_quiz_gives_full_marks_for_correct_answers():
    result = score_quiz(Q, clean_answers(Q, ALL_RIGHT), pass_mark=100)
    assert (result.points, result.max_points, result.percent, result.passed) == (4, 4, Decimal("100.0"), True)


def test_score_quiz_multiple_choice_needs_exactly_the_correct_set():
    assert score_quiz(Q, {"m": ["x"]}).questions["m"]["correct"] is False
    assert score_quiz(Q, {"m": ["x", "y", "z"]}).questions["m"]["correct"] is False


def test_score_quiz_ordering_needs_the_exact_order():
    assert score_quiz(Q, {"o": {"i1": 2, "i2": 1, "i3": 3}}).questions["o"]["correct"] is False


def test_score_quiz_pass_mark_decides_passed():
    answers = {"s": "a", "m": ["x", "y"], "t": "false"}  # 3 of 4
    assert score_quiz(Q, answers, pass_mark=75).passed is True
    assert score_quiz(Q, answers, pass_mark=76).passed is False


def test_score_quiz_gives_feedback_of_chosen_option_and_question():
    result = score_quiz(Q, {"s": "b"})
    assert result.questions["s"]["feedback"] == "bad"
    assert result.questions["s"]["option_feedback"] == [{"option": "B", "feedback": "not B"}]


def test_clean_answers_refuses_unknown_question():
    with pytest.raises(AnswerError):
        clean_answers(Q, {"nope": "a"})


def test_clean_answers_refuses_unknown_option():
    with pytest.raises(AnswerError):
        clean_answers(Q, {"s": "zzz"})


def test_clean_answers_refuses_out_of_range_position():
    with pytest.raises(AnswerError):
        clean_answers(Q, {"o": {"i1": 9}})


def test_area_scores_count_per_area():
    scores = area_scores(Q, {"s": "a", "m": ["x", "y"], "t": "true"})
    assert scores["1"] == {"points": 1, "max": 2, "percent": 50.0}
    assert scores["2"] == {"points": 1, "max": 2, "percent": 50.0}


def test_public_questions_carry_no_correct_flags_or_feedback():
    public = public_questions(Q, seed="1")
    text = repr(public)
    assert "correct" not in text
    assert "feedback" not in text
    assert "not B" not in text


def test_public_questions_shuffle_ordering_items_stably():
    first = [o["id"] for o in public_questions(Q, seed="7")[3]["options"]]
    again = [o["id"] for o in public_questions(Q, seed="7")[3]["options"]]
    assert first == again
    assert first != ["i1", "i2", "i3"]


@pytest.mark.parametrize(
    ("pre", "post", "threshold", "expected"),
    [
        (40, 60, 10, True),
        (40, 50, 10, True),
        (40, 49.9, 10, False),
        (60, 50, 10, False),
        (50, 50, 0, False),
        (50, 50.1, 0, True),
        (None, 80, 10, False),
        (40, None, 10, False),
    ],
)
def test_raised_competences_rule(pre, post, threshold, expected):
    assert raised_competences(pre, post, threshold) is expected
