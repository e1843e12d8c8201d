"""The yearly cycle of a space: needs diagnosis and evaluation questionnaires, and the yearly work plan.

Questionnaire → Question → Choice describe a questionnaire; Response → Answer hold what a member
answered. A member answers a questionnaire once (unique (questionnaire, user)). The structure of a
questionnaire (its questions and choices) may change only while it is a draft, so that results stay
comparable; the services in `exchange_groups.cycle.services` enforce that. Questions carry a short `key` that
pairs a diagnosis question with the matching evaluation question.

Nobody sees who answered what: the link from a response to its person exists only to stop a second
response; results and exports never show it.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .spaces import Space

__all__ = [
    "Answer",
    "Choice",
    "Question",
    "QuestionKind",
    "Questionnaire",
    "QuestionnaireKind",
    "QuestionnaireStatus",
    "Response",
    "WorkPlan",
    "WorkPlanItem",
    "WorkPlanItemKind",
]


class QuestionnaireKind(models.TextChoices):
    DIAGNOSIS = "diagnosis", _("needs diagnosis")
    EVALUATION = "evaluation", _("evaluation")


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("questionnaire status", "draft")
    OPEN = "open", pgettext_lazy("questionnaire status", "open")
    CLOSED = "closed", pgettext_lazy("questionnaire status", "closed")


class Questionnaire(models.Model):
    """A short questionnaire of a space: the needs diagnosis at the start of a cycle or its evaluation."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="questionnaires", verbose_name=_("space"))
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionnaireKind.choices)
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=QuestionnaireStatus.choices, default=QuestionnaireStatus.DRAFT
    )
    cycle = models.CharField(_("cycle (school year)"), max_length=9)
    opens_at = models.DateTimeField(_("open from"), null=True, blank=True)
    closes_at = models.DateTimeField(_("open until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
    )

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["space", "-created_at", "-pk"]
        indexes = [models.Index(fields=["space", "cycle", "kind"], name="questionnaire_space_cycle")]

    def __str__(self):
        return f"{self.title} · {self.space}"

    @property
    def is_draft(self) -> bool:
        return self.status == QuestionnaireStatus.DRAFT

    @property
    def is_closed(self) -> bool:
        """Closed by a coordinator, or past its closing date."""
        if self.status == QuestionnaireStatus.CLOSED:
            return True
        return (
            self.status == QuestionnaireStatus.OPEN and self.closes_at is not None and self.closes_at <= timezone.now()
        )

    @property
    def has_not_opened_yet(self) -> bool:
        return self.status == QuestionnaireStatus.OPEN and self.opens_at is not None and self.opens_at > timezone.now()

    @property
    def accepts_answers(self) -> bool:
        return self.status == QuestionnaireStatus.OPEN and not self.is_closed and not self.has_not_opened_yet


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple choice")
    SCALE = "scale", _("scale")
    OPEN = "open", _("open answer")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions", verbose_name=_("questionnaire")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind of question"), max_length=16, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("hint"), max_length=500, blank=True)
    key = models.SlugField(
        _("key"),
        max_length=50,
        help_text=_(
            "A short identifier, for example “finansowanie”. Questions with the same key and kind in the "
            "diagnosis and the evaluation are shown side by side."
        ),
    )
    required = models.BooleanField(_("answer required"), default=True)
    scale_min = models.PositiveSmallIntegerField(_("lowest value"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest value"), default=5)
    scale_min_label = models.CharField(_("label of the lowest value"), max_length=100, blank=True)
    scale_max_label = models.CharField(_("label of the highest value"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "key"], name="one_question_per_key_per_questionnaire")
        ]

    def __str__(self):
        return self.text

    @property
    def has_choices(self) -> bool:
        return self.kind in CHOICE_KINDS

    def scale_values(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question"))
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.CharField(_("answer option"), max_length=300)

    class Meta:
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        ordering = ["question", "order", "pk"]

    def __str__(self):
        return self.text


class Response(models.Model):
    """One member's answers to a questionnaire. The person is kept only to allow one response each."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="responses", verbose_name=_("questionnaire")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questionnaire_responses",
        verbose_name=_("person"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["questionnaire", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "user"], name="one_response_per_questionnaire_user")
        ]

    def __str__(self):
        return f"{self.questionnaire} #{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response"))
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question"))
    choices = models.ManyToManyField(Choice, blank=True, related_name="answers", verbose_name=_("chosen options"))
    scale_value = models.SmallIntegerField(_("value on the scale"), null=True, blank=True)
    text = models.TextField(_("open answer"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["response", "question__order", "pk"]
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")]

    def __str__(self):
        return f"{self.response} · {self.question}"


# --- The yearly work plan --------------------------------------------------------------------------


class WorkPlan(models.Model):
    """A space's yearly work plan (roczny plan pracy sieci): goals, themes and the planned items."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="work_plans", verbose_name=_("space"))
    cycle = models.CharField(_("cycle (school year)"), max_length=9)
    goals = models.TextField(_("goals"), blank=True)
    themes = models.TextField(_("themes"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    updated_at = models.DateTimeField(_("last changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")
        ordering = ["space", "-cycle"]
        constraints = [models.UniqueConstraint(fields=["space", "cycle"], name="one_work_plan_per_space_cycle")]

    def __str__(self):
        return f"{self.space} · {self.cycle}"


class WorkPlanItemKind(models.TextChoices):
    MEETING = "meeting", _("meeting")
    ONLINE_TASK = "online_task", _("online task")
    MATERIAL = "material", _("material")


class WorkPlanItem(models.Model):
    """A planned meeting, online task or material. `month` is the first day of the planned month;
    `date`, when known, is the exact day (and then `month` is its month)."""

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("work plan"))
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=WorkPlanItemKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    month = models.DateField(_("planned month"), null=True, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("work plan item")
        verbose_name_plural = _("work plan items")
        ordering = ["plan", "order", "pk"]

    def __str__(self):
        return self.title

    @property
    def when(self) -> datetime.date | None:
        return self.date or self.month
