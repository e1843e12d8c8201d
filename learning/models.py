"""E-learning: the course page tree (catalogue → course → module → lesson) and what learners do in it.

Pages are Wagtail pages edited in the admin; what they show is built in `learning.pages` (their `get_context`
and `serve` import it inside the method). Learner data (enrolments, progress, quiz attempts, competence tests,
reflections, certificates) are plain models changed only through `learning.services`.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks as wagtail_blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from exchange_groups.models import PositionCategory

from .admin_forms import MeetingRequirementsPanel, VisibleSpacePanel
from .blocks import SIMPLE_TEXT_FEATURES, CompetenceTestBlock, LessonBlock


class ChoiceListField(models.JSONField):
    """A list of choice values stored as JSON, edited as checkboxes (portable across SQLite and PostgreSQL)."""

    def __init__(self, *args, choice_list=(), **kwargs):
        self.choice_list = list(choice_list)
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["choice_list"] = self.choice_list
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=self.choice_list,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=self.verbose_name,
            help_text=self.help_text,
        )

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        allowed = {choice for choice, _label in self.choice_list}
        if any(item not in allowed for item in value or []):
            raise ValidationError(_("Choose from the list."))


class CompetenceArea(index.Indexed, models.Model):
    """An area of education-management competence that courses and test questions are mapped to."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("competence area")
        verbose_name_plural = _("competence areas")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class CourseIndexPage(Page):
    """The course catalogue ("Kursy e-learningowe")."""

    intro = RichTextField(_("introduction"), features=SIMPLE_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["learning.CoursePage"]
    max_count = 1
    template = "learning/course_index_page.html"

    class Meta:
        verbose_name = _("course catalogue")
        verbose_name_plural = _("course catalogues")

    def get_context(self, request, *args, **kwargs):
        from .pages import catalogue_context

        return super().get_context(request, *args, **kwargs) | catalogue_context(self, request)


class TestVersion(models.TextChoices):
    A = "a", _("version A")
    B = "b", _("version B")


class CoursePage(Page):
    """A course: its description, audience, outcomes and competence areas, enrolment rules and tests."""

    summary = models.TextField(_("summary"), help_text=_("Two or three sentences shown in the catalogue."))
    description = RichTextField(_("description"), features=SIMPLE_TEXT_FEATURES, blank=True)
    audience = ChoiceListField(
        _("audience (position categories)"),
        choice_list=PositionCategory.choices,
        help_text=_("The people the course is meant for."),
    )
    duration_hours = models.PositiveSmallIntegerField(_("duration in hours"), default=1)
    learning_outcomes = StreamField(
        [("outcome", wagtail_blocks.CharBlock(label=_("outcome")))],
        verbose_name=_("learning outcomes"),
        blank=True,
        help_text=_("One outcome per item: “After the course the participant …”. They are printed on certificates."),
    )
    competence_areas = ParentalManyToManyField(
        CompetenceArea, verbose_name=_("competence areas"), blank=True, related_name="courses"
    )
    prerequisites = RichTextField(
        _("prerequisites"), features=SIMPLE_TEXT_FEATURES, blank=True, help_text=_("Optional.")
    )
    organiser = models.CharField(
        _("organiser"),
        max_length=250,
        default="Ośrodek Rozwoju Edukacji i Związek Miast Polskich",
        help_text=_("Printed on the certificate."),
    )
    self_enrolment = models.BooleanField(
        _("people may enrol themselves"),
        default=True,
        help_text=_("When off, only coordinators enrol people."),
    )
    enrolment_opens = models.DateTimeField(_("enrolment opens"), null=True, blank=True)
    enrolment_closes = models.DateTimeField(_("enrolment closes"), null=True, blank=True)
    is_blended = models.BooleanField(
        _("blended course"),
        default=False,
        help_text=_("Completion also requires attendance at meetings (see the meeting requirements)."),
    )
    competence_test_a = StreamField(
        CompetenceTestBlock(),
        verbose_name=_("competence test, version A"),
        blank=True,
        help_text=_("Each question is mapped to a competence area."),
    )
    competence_test_b = StreamField(
        CompetenceTestBlock(),
        verbose_name=_("competence test, version B"),
        blank=True,
        help_text=_("Optional: a second version of the same items. Empty means both tests use version A."),
    )
    pre_test_version = models.CharField(
        _("version used as the pre-test"),
        max_length=1,
        choices=TestVersion.choices,
        default=TestVersion.A,
        help_text=_("The post-test uses the other version (when there is one)."),
    )
    post_test_required = models.BooleanField(
        _("the post-test is required for completion"), default=True, help_text=_("Only when the course has a test.")
    )
    competence_threshold = models.PositiveSmallIntegerField(
        _("threshold for raised competences (percentage points)"),
        default=10,
        help_text=_("A person raised their competences when the post-test beats the pre-test by at least this much."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldPanel("duration_hours"),
                FieldPanel("learning_outcomes"),
                FieldPanel("competence_areas", widget=forms.CheckboxSelectMultiple),
                FieldPanel("prerequisites"),
                FieldPanel("organiser"),
            ],
            heading=_("About the course"),
        ),
        InlinePanel("team", label=_("course team"), heading=_("Course team")),
    ]
    enrolment_panels = [
        FieldPanel("self_enrolment"),
        FieldPanel("enrolment_opens"),
        FieldPanel("enrolment_closes"),
        FieldPanel("is_blended"),
        MeetingRequirementsPanel(
            "meeting_requirements", label=_("meeting requirement"), heading=_("Meeting requirements")
        ),
    ]
    test_panels = [
        FieldPanel("competence_test_a"),
        FieldPanel("competence_test_b"),
        FieldPanel("pre_test_version"),
        FieldPanel("post_test_required"),
        FieldPanel("competence_threshold"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(enrolment_panels, heading=_("Enrolment and completion")),
            ObjectList(test_panels, heading=_("Competence tests")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    parent_page_types = ["learning.CourseIndexPage"]
    subpage_types = ["learning.ModulePage"]
    template = "learning/course_page.html"
    search_fields = [*Page.search_fields, index.SearchField("summary")]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def clean(self):
        super().clean()
        if self.enrolment_opens and self.enrolment_closes and self.enrolment_closes <= self.enrolment_opens:
            raise ValidationError({"enrolment_closes": _("Enrolment must close after it opens.")})

    # --- structure ---
    # Querysets of the page models themselves give their specific pages: `.specific()` would only add a query.

    def modules(self):
        return ModulePage.objects.child_of(self).live().order_by("path")

    def lessons(self):
        return LessonPage.objects.descendant_of(self).live().order_by("path")

    def required_lessons(self):
        return self.lessons().filter(required=True)

    def outcomes_list(self) -> list[str]:
        return [str(block.value) for block in self.learning_outcomes]

    def audience_labels(self) -> list[str]:
        names = dict(PositionCategory.choices)
        return [str(names[key]) for key in self.audience or [] if key in names]

    # --- enrolment window ---

    def enrolment_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.enrolment_opens and now < self.enrolment_opens:
            return False
        return not (self.enrolment_closes and now >= self.enrolment_closes)

    # --- competence tests ---

    def has_competence_test(self) -> bool:
        return len(self.competence_test_a) > 0

    def competence_test(self, kind: str):
        """The StreamValue used as the pre-test ("pre") or the post-test ("post")."""
        if kind == "pre":
            version = self.pre_test_version
        else:
            version = TestVersion.B if self.pre_test_version == TestVersion.A else TestVersion.A
        stream = self.competence_test_b if version == TestVersion.B else self.competence_test_a
        if len(stream) == 0:
            return self.competence_test_a, TestVersion.A
        return stream, version

    def get_context(self, request, *args, **kwargs):
        from .pages import course_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(course_page_context(request, self))
        return context


class CourseTeamMember(Orderable):
    """A named member of the course team: shown on the course page, may enrol people and see reports."""

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="learning_course_teams",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role in the course"), max_length=120, help_text=_("For example: author, tutor."))

    panels = [FieldPanel("user"), FieldPanel("role")]

    class Meta(Orderable.Meta):
        verbose_name = _("course team member")
        verbose_name_plural = _("course team")


class CourseMeetingRequirement(Orderable):
    """For blended courses: how many linked meetings a learner must attend to complete the course."""

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="meeting_requirements")
    description = models.CharField(_("description"), max_length=250)
    space = models.ForeignKey(
        "exchange_groups.Space",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("space whose meetings count"),
    )
    required_count = models.PositiveSmallIntegerField(_("meetings to attend"), default=1)

    panels = [FieldPanel("description"), VisibleSpacePanel("space"), FieldPanel("required_count")]

    class Meta(Orderable.Meta):
        verbose_name = _("meeting requirement")
        verbose_name_plural = _("meeting requirements")


class ModulePage(Page):
    intro = RichTextField(_("introduction"), features=SIMPLE_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["learning.CoursePage"]
    subpage_types = ["learning.LessonPage"]
    template = "learning/module_page.html"

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def lessons(self):
        return LessonPage.objects.child_of(self).live().order_by("path")

    @property
    def course(self):
        if not self.path:  # a page being previewed before it is first saved
            return None
        return CoursePage.objects.ancestor_of(self).first()

    def get_context(self, request, *args, **kwargs):
        from .pages import module_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(module_page_context(request, self))
        return context


class LessonPage(Page):
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(LessonBlock(), verbose_name=_("content"), blank=True)
    required = models.BooleanField(
        _("required for completion"), default=True, help_text=_("Optional lessons do not count toward completion.")
    )
    duration_minutes = models.PositiveSmallIntegerField(_("estimated time (minutes)"), default=30)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("required"),
        FieldPanel("duration_minutes"),
        FieldPanel("body"),
    ]
    parent_page_types = ["learning.ModulePage"]
    subpage_types: list[str] = []
    template = "learning/lesson_page.html"

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    @property
    def course(self):
        if not self.path:  # a page being previewed before it is first saved
            return None
        return CoursePage.objects.ancestor_of(self).first()

    @property
    def module(self):
        parent = self.get_parent() if self.path else None
        return parent.specific if parent is not None else None

    def quiz_blocks(self):
        return [block for block in self.body if block.block_type == "quiz"]

    def quiz_block(self, block_id: str):
        return next((block for block in self.body if block.block_type == "quiz" and block.id == block_id), None)

    def reflection_block(self, block_id: str):
        return next((b for b in self.body if b.block_type == "reflection" and b.id == block_id), None)

    def get_context(self, request, *args, **kwargs):
        from .pages import lesson_context

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context(request, self))
        return context

    def serve(self, request, *args, **kwargs):
        from .pages import serve_lesson

        return serve_lesson(self, request, super().serve, *args, **kwargs)


# --- learner data -----------------------------------------------------------------------------------------


class EnrolmentSource(models.TextChoices):
    SELF = "self", _("enrolled themselves")
    COORDINATOR = "coordinator", _("enrolled by a coordinator")
    SPACE = "space", _("enrolled with the members of a space")


class Enrolment(models.Model):
    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("course")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="learning_enrolments",
        verbose_name=_("person"),
    )
    source = models.CharField(_("how"), max_length=16, choices=EnrolmentSource.choices, default=EnrolmentSource.SELF)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enrolled by"),
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-enrolled_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["course", "user"], name="learning_one_enrolment_per_course")]

    def __str__(self):
        return f"{self.user} · {self.course}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class LessonProgress(models.Model):
    class How(models.TextChoices):
        MARKED = "marked", _("marked as complete")
        QUIZ = "quiz", _("quiz passed")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="progress")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+", verbose_name=_("lesson"))
    how = models.CharField(_("how"), max_length=8, choices=How.choices)
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [models.UniqueConstraint(fields=["enrolment", "lesson"], name="learning_one_progress_per_lesson")]

    def __str__(self):
        return f"{self.enrolment} · {self.lesson_id}"


class QuizAttempt(models.Model):
    """One attempt at one quiz block of a lesson. Scored on the server; the open attempt keeps saved answers."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_attempts")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    quiz_id = models.CharField(max_length=64)
    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    saved_at = models.DateTimeField(_("answers saved at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    points = models.PositiveSmallIntegerField(null=True, blank=True)
    max_points = models.PositiveSmallIntegerField(null=True, blank=True)
    score = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField(null=True)
    results = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["lesson", "quiz_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson", "quiz_id", "number"], name="learning_attempt_number"),
            models.UniqueConstraint(
                fields=["user", "lesson", "quiz_id"],
                condition=models.Q(submitted_at__isnull=True),
                name="learning_one_open_attempt",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.lesson_id} · {self.quiz_id} · {self.number}"

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None


class TestKind(models.TextChoices):
    PRE = "pre", _("pre-test")
    POST = "post", _("post-test")


class CompetenceTestResult(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="competence_results")
    kind = models.CharField(_("test"), max_length=4, choices=TestKind.choices)
    version = models.CharField(_("version"), max_length=1, choices=TestVersion.choices)
    answers = models.JSONField(default=dict, blank=True)
    area_scores = models.JSONField(default=dict, blank=True, help_text="{area id: {points, max, percent}}")
    percent = models.DecimalField(_("result (%)"), max_digits=5, decimal_places=1)
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)

    class Meta:
        verbose_name = _("competence test result")
        verbose_name_plural = _("competence test results")
        constraints = [models.UniqueConstraint(fields=["enrolment", "kind"], name="learning_one_result_per_test")]

    def __str__(self):
        return f"{self.enrolment} · {self.get_kind_display()} · {self.percent}%"


class ReflectionAnswer(models.Model):
    """The learner's answer to a reflection task, kept in their portfolio."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="reflections")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    block_id = models.CharField(max_length=64)
    prompt = models.TextField(_("task"))
    text = models.TextField(_("answer"))
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        ordering = ["lesson__path", "block_id"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson", "block_id"], name="learning_one_reflection")
        ]

    def __str__(self):
        return f"{self.enrolment} · {self.block_id}"


class AttendanceRecord(models.Model):
    """A meeting a learner attended, recorded by hand for a blended course (e.g. one held outside the platform).

    Presence marked at meetings of the spaces a course names counts too (services.default_attendance_provider)."""

    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+", verbose_name=_("course"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    meeting = models.CharField(_("meeting"), max_length=250)
    date = models.DateField(_("date"))
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("course"), FieldPanel("user"), FieldPanel("meeting"), FieldPanel("date")]

    class Meta:
        verbose_name = _("meeting attendance")
        verbose_name_plural = _("meeting attendance")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["course", "user", "meeting", "date"], name="learning_one_attendance")
        ]

    def __str__(self):
        return f"{self.user} · {self.meeting} · {self.date}"


class Certificate(models.Model):
    """Zaświadczenie o ukończeniu: a snapshot of what is printed, with a verification code."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="certificate")
    code = models.CharField(_("verification code"), max_length=32, unique=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    person_name = models.CharField(_("name as printed"), max_length=300)
    course_title = models.CharField(_("course"), max_length=300)
    hours = models.PositiveSmallIntegerField(_("hours"))
    outcomes = models.JSONField(_("learning outcomes"), default=list)
    organiser = models.CharField(_("organiser"), max_length=250)

    class Meta:
        verbose_name = pgettext_lazy("document", "certificate")
        verbose_name_plural = pgettext_lazy("document", "certificates")
        ordering = ["-issued_at"]

    def __str__(self):
        return self.code
