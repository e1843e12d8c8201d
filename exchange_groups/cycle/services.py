"""Services of the yearly cycle of a space: its questionnaires (needs diagnosis, evaluation), their structure and
answering. Results are in `reporting.py`, the work plan in `planning.py`.

Every function that changes something takes the acting person first, checks the rules and runs in one
transaction. A broken rule raises `CycleError` (translated `message`, `code`); invalid answers raise
`ResponseInvalid` with one message per question; an actor without the right raises `PermissionDenied`.
Nothing is saved when anything is refused.

Rules:
- questions and options change only while a questionnaire is a draft; publishing freezes the structure
  so that results stay comparable (the diagnosis with the evaluation);
- a member answers a questionnaire once: a second submission (double click, a second tab) returns the
  response already there and changes nothing;
- results and exports never name anybody: open answers are listed without names and the CSV numbers
  respondents pseudonymously (in an order that says nothing about who answered first).
"""

import dataclasses
from collections.abc import Iterable, Mapping

from django.core.validators import ProhibitNullCharactersValidator
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from exchange_groups.cycle.permissions import check_can_answer, check_can_manage_cycle
from exchange_groups.models import (
    Answer,
    Choice,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireKind,
    QuestionnaireStatus,
    Response,
    Space,
    fold,
)
from oswiata_kit.errors import RuleError

OPEN_ANSWER_MAX_LENGTH = 5000
SCALE_LOWEST = 0
SCALE_HIGHEST = 10


class CycleError(RuleError):
    """A rule of the yearly cycle was broken (see `oswiata_kit.errors.RuleError`)."""


class ResponseInvalid(CycleError):
    """Some answers are missing or wrong; `errors` maps a question's pk to the message for it."""

    def __init__(self, errors: dict[int, str]):
        super().__init__(_("Some answers need correcting. Nothing has been saved."), "invalid")
        self.errors = errors


# --- questionnaires: structure (drafts only) -------------------------------------------------------


def frozen_message() -> str:
    return _(
        "This questionnaire has been published: its questions can no longer change, so that results stay comparable."
    )


def _locked(questionnaire: Questionnaire) -> Questionnaire:
    """The questionnaire as it is in the database now, locked for the rest of the transaction."""
    return Questionnaire.objects.select_for_update().select_related("space").get(pk=questionnaire.pk)


def _check_draft(questionnaire: Questionnaire) -> Questionnaire:
    current = _locked(questionnaire)
    if not current.is_draft:
        raise CycleError(
            frozen_message(),
            "frozen",
        )
    return current


def _clean_text(value: str, *, message: str, code: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise CycleError(message, code)
    if len(value) > max_length:
        raise CycleError(_("The text is too long: at most %(limit)s characters.") % {"limit": max_length}, "too_long")
    return value


def _check_dates(opens_at, closes_at) -> None:
    if opens_at and closes_at and closes_at <= opens_at:
        raise CycleError(_("The questionnaire must close after it opens."), "dates")


@transaction.atomic
def create_questionnaire(
    actor, space: Space, *, kind: str, title: str, intro: str = "", opens_at=None, closes_at=None
) -> Questionnaire:
    check_can_manage_cycle(actor, space)
    if kind not in QuestionnaireKind.values:
        raise CycleError(_("Choose whether this is a needs diagnosis or an evaluation."), "kind")
    title = _clean_text(title, message=_("Give the questionnaire a title."), code="title", max_length=200)
    _check_dates(opens_at, closes_at)
    return Questionnaire.objects.create(
        space=space,
        kind=kind,
        title=title,
        intro=(intro or "").strip(),
        opens_at=opens_at,
        closes_at=closes_at,
        cycle=space.cycle,
        created_by=actor,
    )


@transaction.atomic
def update_questionnaire(
    actor, questionnaire: Questionnaire, *, title: str, intro: str = "", opens_at=None, closes_at=None
) -> Questionnaire:
    check_can_manage_cycle(actor, questionnaire.space)
    current = _check_draft(questionnaire)
    current.title = _clean_text(title, message=_("Give the questionnaire a title."), code="title", max_length=200)
    current.intro = (intro or "").strip()
    _check_dates(opens_at, closes_at)
    current.opens_at, current.closes_at = opens_at, closes_at
    current.save(update_fields=["title", "intro", "opens_at", "closes_at"])
    return current


def _key_from(text: str) -> str:
    words = slugify(fold(text)).split("-")
    key = ""
    for word in words:
        candidate = f"{key}-{word}" if key else word
        if len(candidate) > 40:
            break
        key = candidate
    return key or "pytanie"


def _unique_key(questionnaire: Questionnaire, key: str, *, explicit: bool, exclude_pk=None) -> str:
    taken = set(questionnaire.questions.exclude(pk=exclude_pk).values_list("key", flat=True))
    if key not in taken:
        return key
    if explicit:
        raise CycleError(
            _("Another question of this questionnaire already has the key “%(key)s”.") % {"key": key}, "key_taken"
        )
    number = 2
    while f"{key}-{number}" in taken:
        number += 1
    return f"{key}-{number}"


def _clean_key(value: str) -> str:
    key = slugify(fold(value or ""))[:50].strip("-")
    return key


def _check_scale(scale_min: int, scale_max: int) -> None:
    if not (SCALE_LOWEST <= scale_min < scale_max <= SCALE_HIGHEST):
        raise CycleError(
            _("A scale goes from a lower to a higher whole number between %(low)s and %(high)s.")
            % {"low": SCALE_LOWEST, "high": SCALE_HIGHEST},
            "scale",
        )


def _clean_choices(choices: Iterable[str]) -> list[str]:
    seen, cleaned = set(), []
    for text in choices:
        text = (text or "").strip()
        if text and fold(text) not in seen:
            if len(text) > 300:
                raise CycleError(_("The text is too long: at most %(limit)s characters.") % {"limit": 300}, "too_long")
            seen.add(fold(text))
            cleaned.append(text)
    return cleaned


@transaction.atomic
def add_question(
    actor,
    questionnaire: Questionnaire,
    *,
    kind: str,
    text: str,
    key: str = "",
    required: bool = True,
    help_text: str = "",
    choices: Iterable[str] = (),
    scale_min: int = 1,
    scale_max: int = 5,
    scale_min_label: str = "",
    scale_max_label: str = "",
) -> Question:
    check_can_manage_cycle(actor, questionnaire.space)
    current = _check_draft(questionnaire)
    if kind not in QuestionKind.values:
        raise CycleError(_("Choose the kind of question."), "kind")
    text = _clean_text(text, message=_("Write the question."), code="text", max_length=500)
    explicit = bool(_clean_key(key))
    key = _unique_key(current, _clean_key(key) if explicit else _key_from(text), explicit=explicit)
    if kind == QuestionKind.SCALE:
        _check_scale(scale_min, scale_max)
    else:
        scale_min, scale_max, scale_min_label, scale_max_label = 1, 5, "", ""
    options = _clean_choices(choices) if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) else []
    order = (current.questions.aggregate(top=Max("order"))["top"] or 0) + 1
    question = Question.objects.create(
        questionnaire=current,
        order=order,
        kind=kind,
        text=text,
        key=key,
        required=required,
        help_text=(help_text or "").strip()[:500],
        scale_min=scale_min,
        scale_max=scale_max,
        scale_min_label=(scale_min_label or "").strip()[:100],
        scale_max_label=(scale_max_label or "").strip()[:100],
    )
    Choice.objects.bulk_create(
        [Choice(question=question, order=i, text=option) for i, option in enumerate(options, start=1)]
    )
    return question


@transaction.atomic
def update_question(
    actor,
    question: Question,
    *,
    text: str,
    key: str = "",
    required: bool = True,
    help_text: str = "",
    scale_min: int | None = None,
    scale_max: int | None = None,
    scale_min_label: str = "",
    scale_max_label: str = "",
) -> Question:
    check_can_manage_cycle(actor, question.questionnaire.space)
    current = _check_draft(question.questionnaire)
    question = Question.objects.get(pk=question.pk, questionnaire=current)
    question.text = _clean_text(text, message=_("Write the question."), code="text", max_length=500)
    explicit = bool(_clean_key(key))
    new_key = _clean_key(key) if explicit else _key_from(question.text)
    if new_key != question.key:
        question.key = _unique_key(current, new_key, explicit=explicit, exclude_pk=question.pk)
    question.required = required
    question.help_text = (help_text or "").strip()[:500]
    if question.kind == QuestionKind.SCALE:
        low = question.scale_min if scale_min is None else scale_min
        high = question.scale_max if scale_max is None else scale_max
        _check_scale(low, high)
        question.scale_min, question.scale_max = low, high
        question.scale_min_label = (scale_min_label or "").strip()[:100]
        question.scale_max_label = (scale_max_label or "").strip()[:100]
    question.save()
    return question


def _renumber(items: list, position_field: str = "order") -> None:
    for number, item in enumerate(items, start=1):
        if getattr(item, position_field) != number:
            setattr(item, position_field, number)
            item.save(update_fields=[position_field])


def _move(items: list, item, direction: str) -> None:
    if direction not in ("up", "down"):
        raise CycleError(_("Choose whether to move it up or down."), "direction")
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    _renumber(items)


@transaction.atomic
def remove_question(actor, question: Question) -> None:
    check_can_manage_cycle(actor, question.questionnaire.space)
    current = _check_draft(question.questionnaire)
    Question.objects.filter(pk=question.pk, questionnaire=current).delete()
    _renumber(list(current.questions.order_by("order", "pk")))


@transaction.atomic
def move_question(actor, question: Question, direction: str) -> None:
    check_can_manage_cycle(actor, question.questionnaire.space)
    current = _check_draft(question.questionnaire)
    _move(list(current.questions.order_by("order", "pk")), question, direction)


@transaction.atomic
def add_choice(actor, question: Question, text: str) -> Choice:
    check_can_manage_cycle(actor, question.questionnaire.space)
    _check_draft(question.questionnaire)
    if not question.has_choices:
        raise CycleError(_("Only single and multiple choice questions have answer options."), "no_choices")
    text = _clean_text(text, message=_("Write the answer option."), code="text", max_length=300)
    if any(fold(existing) == fold(text) for existing in question.choices.values_list("text", flat=True)):
        raise CycleError(_("This question already has the option “%(text)s”.") % {"text": text}, "choice_taken")
    order = (question.choices.aggregate(top=Max("order"))["top"] or 0) + 1
    return Choice.objects.create(question=question, order=order, text=text)


@transaction.atomic
def remove_choice(actor, choice: Choice) -> None:
    question = choice.question
    check_can_manage_cycle(actor, question.questionnaire.space)
    _check_draft(question.questionnaire)
    Choice.objects.filter(pk=choice.pk).delete()
    _renumber(list(question.choices.order_by("order", "pk")))


def structure_problems(questionnaire: Questionnaire) -> list[str]:
    questions = list(questionnaire.questions.annotate(option_count=Count("choices")))
    if not questions:
        return [_("Add at least one question before publishing.")]
    return [
        _("The question “%(text)s” needs at least two answer options.") % {"text": question.text}
        for question in questions
        if question.has_choices and question.option_count < 2
    ]


@transaction.atomic
def publish_questionnaire(actor, questionnaire: Questionnaire) -> Questionnaire:
    """Open the questionnaire to the members. Publishing twice changes nothing."""
    check_can_manage_cycle(actor, questionnaire.space)
    current = _locked(questionnaire)
    if current.status == QuestionnaireStatus.OPEN:
        return current
    if current.status == QuestionnaireStatus.CLOSED:
        raise CycleError(_("This questionnaire is closed; it cannot be published again."), "closed")
    problems = structure_problems(current)
    if problems:
        raise CycleError(" ".join(problems), "incomplete")
    now = timezone.now()
    if current.closes_at is not None and current.closes_at <= now:
        raise CycleError(_("The closing date has already passed. Change it before publishing."), "dates")
    current.status = QuestionnaireStatus.OPEN
    current.published_at, current.published_by = now, actor
    current.save(update_fields=["status", "published_at", "published_by"])
    return current


@transaction.atomic
def close_questionnaire(actor, questionnaire: Questionnaire) -> Questionnaire:
    """Stop taking answers. Closing twice changes nothing."""
    check_can_manage_cycle(actor, questionnaire.space)
    current = _locked(questionnaire)
    if current.status == QuestionnaireStatus.CLOSED:
        return current
    if current.status == QuestionnaireStatus.DRAFT:
        raise CycleError(_("A draft cannot be closed: it has not been published."), "draft")
    current.status, current.closed_at = QuestionnaireStatus.CLOSED, timezone.now()
    current.save(update_fields=["status", "closed_at"])
    return current


@transaction.atomic
def copy_diagnosis_as_evaluation(actor, diagnosis: Questionnaire, *, title: str = "") -> Questionnaire:
    """An evaluation draft with the same questions, options and keys. Copying twice returns the first copy
    while it is still a draft."""
    check_can_manage_cycle(actor, diagnosis.space)
    if diagnosis.kind != QuestionnaireKind.DIAGNOSIS:
        raise CycleError(_("Only a needs diagnosis can be copied as an evaluation."), "kind")
    existing = diagnosis.copies.filter(kind=QuestionnaireKind.EVALUATION, status=QuestionnaireStatus.DRAFT).first()
    if existing is not None:
        return existing
    evaluation = Questionnaire.objects.create(
        space=diagnosis.space,
        kind=QuestionnaireKind.EVALUATION,
        title=(title or "").strip()[:200]
        or _("Evaluation %(cycle)s: %(space)s") % {"cycle": diagnosis.cycle, "space": diagnosis.space.name},
        intro=diagnosis.intro,
        cycle=diagnosis.cycle,
        created_by=actor,
        copied_from=diagnosis,
    )
    for question in diagnosis.questions.prefetch_related("choices"):
        copy = Question.objects.create(
            questionnaire=evaluation,
            **{
                field: getattr(question, field)
                for field in (
                    "order",
                    "kind",
                    "text",
                    "help_text",
                    "key",
                    "required",
                    "scale_min",
                    "scale_max",
                    "scale_min_label",
                    "scale_max_label",
                )
            },
        )
        Choice.objects.bulk_create(
            [Choice(question=copy, order=choice.order, text=choice.text) for choice in question.choices.all()]
        )
    return evaluation


# --- answering ------------------------------------------------------------------------------------


def _values(data: Mapping, question: Question) -> list:
    """The submitted values of a question, as a list (a QueryDict, a dict with int or str keys)."""
    for key in (question.pk, str(question.pk)):
        if hasattr(data, "getlist"):
            if str(key) in data:
                return list(data.getlist(str(key)))
            continue
        if key in data:
            value = data[key]
            if value is None:
                return []
            if isinstance(value, (list, tuple, set)):
                return list(value)
            return [value]
    return []


def _as_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _present(values: list) -> list:
    return [value for value in values if value is not None and str(value).strip() != ""]


def _clean_answer(question: Question, values: list):
    """(value, error): the cleaned value (None when not answered) or a translated error."""
    values = _present(values)
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if not values:
            return None, None
        option_ids = {choice.pk for choice in question.choices.all()}
        chosen = [_as_int(value) for value in values]
        if any(pk is None or pk not in option_ids for pk in chosen):
            return None, _("Choose from the options given.")
        chosen = list(dict.fromkeys(chosen))
        if question.kind == QuestionKind.SINGLE and len(chosen) > 1:
            return None, _("Choose only one option.")
        return chosen, None
    if question.kind == QuestionKind.SCALE:
        if not values:
            return None, None
        number = _as_int(values[0]) if len(values) == 1 else None
        if number is None or not question.scale_min <= number <= question.scale_max:
            return None, _("Choose a value from %(low)s to %(high)s.") % {
                "low": question.scale_min,
                "high": question.scale_max,
            }
        return number, None
    text = "\n".join(str(value) for value in values).strip()
    if not text:
        return None, None
    if len(text) > OPEN_ANSWER_MAX_LENGTH:
        return None, _("The answer is too long: at most %(limit)s characters (now %(count)s).") % {
            "limit": OPEN_ANSWER_MAX_LENGTH,
            "count": len(text),
        }
    if "\x00" in text:
        # The same refusal (and Django's translation of it) as every form's text field: PostgreSQL cannot
        # store a NUL character in text.
        return None, str(ProhibitNullCharactersValidator.message)
    return text, None


def validate_answers(questionnaire: Questionnaire, data: Mapping) -> tuple[dict, dict[int, str]]:
    """(cleaned values by question pk, errors by question pk). Changes nothing."""
    cleaned, errors = {}, {}
    for question in questionnaire.questions.prefetch_related("choices"):
        value, error = _clean_answer(question, _values(data, question))
        if error:
            errors[question.pk] = error
        elif value is None:
            if question.required:
                errors[question.pk] = (
                    _("Choose at least one option.")
                    if question.kind == QuestionKind.MULTIPLE
                    else _("Choose one option.")
                    if question.kind in (QuestionKind.SINGLE, QuestionKind.SCALE)
                    else _("Write your answer.")
                )
        else:
            cleaned[question.pk] = (question, value)
    return cleaned, errors


def response_of(user, questionnaire: Questionnaire) -> Response | None:
    if user is None or not user.is_authenticated:
        return None
    return Response.objects.filter(questionnaire=questionnaire, user=user).first()


@dataclasses.dataclass
class Submitted:
    response: Response
    created: bool


def submit_response(user, questionnaire: Questionnaire, data: Mapping) -> Submitted:
    """Save a member's answers. `data` maps question pks (int or str) to a value or a list of values:
    choice pks for choice questions, a number for a scale, text for an open question.

    A second submission returns the first response (`created` False) and saves nothing."""
    check_can_answer(user, questionnaire)
    existing = response_of(user, questionnaire)
    if existing is not None:
        return Submitted(existing, False)
    questionnaire = Questionnaire.objects.select_related("space").get(pk=questionnaire.pk)
    if not questionnaire.accepts_answers:
        if questionnaire.has_not_opened_yet:
            raise CycleError(_("This questionnaire is not open yet."), "not_open")
        raise CycleError(_("This questionnaire is closed and takes no more answers."), "closed")
    cleaned, errors = validate_answers(questionnaire, data)
    if errors:
        raise ResponseInvalid(errors)
    try:
        with transaction.atomic():
            response = Response.objects.create(questionnaire=questionnaire, user=user)
            for question, value in cleaned.values():
                answer = Answer.objects.create(
                    response=response,
                    question=question,
                    scale_value=value if question.kind == QuestionKind.SCALE else None,
                    text=value if question.kind == QuestionKind.OPEN else "",
                )
                if question.has_choices:
                    answer.choices.set(value)
    except IntegrityError:
        # The same person submitted at the same moment from another tab: the first response stands.
        existing = response_of(user, questionnaire)
        if existing is None:
            raise
        return Submitted(existing, False)
    return Submitted(response, True)
