"""Everything that changes learner data goes through these verbs (views, admin hooks and demo data call them).

Concurrency: starting a quiz attempt locks the enrolment row, so two tabs cannot both start attempt N+1, and a
partial unique constraint allows one open attempt per quiz; submitting locks the attempt row and an attempt
that is already submitted is returned unchanged, so a double submit cannot add an attempt or change a score.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exchange_groups.models import Membership, User
from oswiata_kit.errors import RuleError

from .blocks import question_dicts, quiz_questions
from .conf import learning_settings
from .models import (
    AttendanceRecord,
    Certificate,
    CompetenceTestResult,
    Enrolment,
    EnrolmentSource,
    LessonProgress,
    QuizAttempt,
    ReflectionAnswer,
    TestKind,
)
from .permissions import check_can_enrol, check_can_manage_course
from .scoring import AnswerError, area_scores, clean_answers, score_quiz


class LearningError(RuleError):
    """A rule of the e-learning was broken (see `oswiata_kit.errors.RuleError`)."""


class AttemptLimitReached(LearningError):
    """Every attempt at the quiz has been used."""


# --- enrolment --------------------------------------------------------------------------------------------


def enrol(course, user, *, by=None, source: str = EnrolmentSource.SELF) -> tuple[Enrolment, bool]:
    """Enrol a person; (enrolment, created). Self-enrolment checks the course's rules; enrolling twice is a no-op.

    Coordinators (`by` given) enrol people regardless of the self-enrolment window.
    """
    existing = Enrolment.objects.filter(course_id=course.pk, user_id=user.pk).first()
    if existing is not None:
        return existing, False
    if by is None:
        check_can_enrol(user, course)
    else:
        check_can_manage_course(by, course)
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(course=course, user=user, source=source, enrolled_by=by)
    except IntegrityError:
        return Enrolment.objects.get(course_id=course.pk, user_id=user.pk), False
    return enrolment, True


@dataclass
class BulkEnrolment:
    enrolled: list = field(default_factory=list)
    already: list = field(default_factory=list)
    unknown: list = field(default_factory=list)


def parse_emails(text: str) -> list[str]:
    seen, emails = set(), []
    for raw in (text or "").replace(",", "\n").replace(";", "\n").splitlines():
        email = raw.strip().lower()
        if email and email not in seen:
            seen.add(email)
            emails.append(email)
    return emails


def enrol_people(course, emails: list[str], *, by) -> BulkEnrolment:
    """Enrol a list of people by e-mail. All or nothing: when any address is unknown nobody is enrolled and the
    unknown addresses are returned (in `unknown`)."""
    check_can_manage_course(by, course)
    users = {u.email.lower(): u for u in User.objects.filter(email__in=emails, is_active=True)}
    result = BulkEnrolment(unknown=[email for email in emails if email not in users])
    if result.unknown:
        return result
    with transaction.atomic():
        for email in emails:
            enrolment, created = enrol(course, users[email], by=by, source=EnrolmentSource.COORDINATOR)
            (result.enrolled if created else result.already).append(enrolment)
    return result


def enrol_space_members(course, space, *, by) -> BulkEnrolment:
    """Enrol every active member of a space (people already enrolled stay as they are)."""
    check_can_manage_course(by, course)
    result = BulkEnrolment()
    user_ids = Membership.objects.active().filter(space=space, user__is_active=True).values_list("user_id", flat=True)
    with transaction.atomic():
        for user in User.objects.filter(pk__in=list(user_ids)):
            enrolment, created = enrol(course, user, by=by, source=EnrolmentSource.SPACE)
            (result.enrolled if created else result.already).append(enrolment)
    return result


# --- progress ---------------------------------------------------------------------------------------------


def _enrolment_for(user, course) -> Enrolment:
    enrolment = Enrolment.objects.filter(course_id=course.pk, user_id=user.pk).first()
    if enrolment is None:
        raise PermissionDenied(_("Lessons are open to the people enrolled in the course."))
    return enrolment


def mark_lesson_complete(enrolment: Enrolment, lesson, how: str = LessonProgress.How.MARKED) -> LessonProgress:
    progress = LessonProgress.objects.filter(enrolment=enrolment, lesson_id=lesson.pk).first()
    if progress is None:
        try:
            with transaction.atomic():
                progress = LessonProgress.objects.create(enrolment=enrolment, lesson_id=lesson.pk, how=how)
        except IntegrityError:
            progress = LessonProgress.objects.get(enrolment=enrolment, lesson_id=lesson.pk)
    complete_course_if_done(enrolment)
    return progress


@dataclass
class CourseProgress:
    done: int
    total: int
    completed_ids: set
    next_lesson: object = None

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def course_progress(enrolment: Enrolment, course=None) -> CourseProgress:
    """Required lessons done of all, and the lesson to resume at (the first required lesson not done yet)."""
    course = course or enrolment.course.specific
    completed_ids = set(LessonProgress.objects.filter(enrolment=enrolment).values_list("lesson_id", flat=True))
    lessons = list(course.lessons())
    required = [lesson for lesson in lessons if lesson.required]
    done = sum(1 for lesson in required if lesson.pk in completed_ids)
    next_lesson = next((lesson for lesson in required if lesson.pk not in completed_ids), None)
    if next_lesson is None:
        next_lesson = next((lesson for lesson in lessons if lesson.pk not in completed_ids), None)
    return CourseProgress(done=done, total=len(required), completed_ids=completed_ids, next_lesson=next_lesson)


def module_progress(module, completed_ids: set) -> tuple[int, int]:
    required = [lesson for lesson in module.lessons() if lesson.required]
    return sum(1 for lesson in required if lesson.pk in completed_ids), len(required)


def save_reflection(enrolment: Enrolment, lesson, block_id: str, text: str) -> ReflectionAnswer:
    block = lesson.reflection_block(block_id)
    if block is None:
        raise LearningError(gettext_lazy("This task no longer exists."), "task_missing")
    text = (text or "").strip()
    if not text:
        raise LearningError(gettext_lazy("Write your answer before saving it."), "answer_required")
    with transaction.atomic():
        answer, _created = ReflectionAnswer.objects.select_for_update().get_or_create(
            enrolment=enrolment,
            lesson_id=lesson.pk,
            block_id=block_id,
            defaults={"prompt": block.value["prompt"], "text": text},
        )
        if not _created:
            answer.text = text
            answer.prompt = block.value["prompt"]
            answer.updated_at = timezone.now()
            answer.save(update_fields=["text", "prompt", "updated_at"])
    return answer


# --- quizzes ----------------------------------------------------------------------------------------------


def _quiz(lesson, quiz_id: str):
    block = lesson.quiz_block(quiz_id)
    if block is None:
        raise LearningError(gettext_lazy("This quiz no longer exists."), "quiz_missing")
    return block.value


def attempts_left(quiz_value, used: int) -> int | None:
    limit = quiz_value["max_attempts"]
    return None if not limit else max(limit - used, 0)


def start_attempt(user, lesson, quiz_id: str) -> QuizAttempt:
    """Start an attempt, or return the open one. Refused (AttemptLimitReached) when the limit is used up."""
    course = lesson.course
    enrolment = _enrolment_for(user, course)
    quiz = _quiz(lesson, quiz_id)
    with transaction.atomic():
        # Lock the enrolment row: a second tab waits here and then finds the attempt the first one opened.
        Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        attempts = QuizAttempt.objects.filter(user=user, lesson_id=lesson.pk, quiz_id=quiz_id)
        open_attempt = attempts.filter(submitted_at__isnull=True).first()
        if open_attempt is not None:
            return open_attempt
        used = attempts.count()
        if attempts_left(quiz, used) == 0:
            raise AttemptLimitReached(gettext_lazy("You have used all attempts at this quiz."), "attempt_limit")
        try:
            with transaction.atomic():
                return QuizAttempt.objects.create(
                    enrolment=enrolment, user=user, lesson_id=lesson.pk, quiz_id=quiz_id, number=used + 1
                )
        except IntegrityError:
            # Only without row locks (SQLite): the constraint still allows one open attempt.
            return attempts.get(submitted_at__isnull=True)


def _locked_attempt(user, attempt_id) -> QuizAttempt:
    attempt = QuizAttempt.objects.select_for_update().filter(pk=attempt_id, user=user).first()
    if attempt is None:
        raise LearningError(gettext_lazy("There is no such attempt."), "attempt_missing")
    return attempt


def save_answers(user, attempt_id: int, answers: dict) -> QuizAttempt:
    """Keep the answers of an open attempt (so a dropped connection resumes with them). Bad answers: AnswerError."""
    with transaction.atomic():
        attempt = _locked_attempt(user, attempt_id)
        if not attempt.is_open:
            return attempt
        questions = quiz_questions(_quiz(attempt.lesson.specific, attempt.quiz_id))
        attempt.answers = clean_answers(questions, answers)
        attempt.saved_at = timezone.now()
        attempt.save(update_fields=["answers", "saved_at"])
    return attempt


def submit_attempt(user, attempt_id: int, answers: dict | None = None) -> QuizAttempt:
    """Score an attempt on the server. Submitting an attempt that is already submitted returns it unchanged."""
    with transaction.atomic():
        attempt = _locked_attempt(user, attempt_id)
        if not attempt.is_open:
            return attempt
        lesson = attempt.lesson.specific
        quiz = _quiz(lesson, attempt.quiz_id)
        questions = quiz_questions(quiz)
        if answers is not None:
            attempt.answers = clean_answers(questions, answers)
        result = score_quiz(questions, attempt.answers, quiz["pass_mark"])
        attempt.points = result.points
        attempt.max_points = result.max_points
        attempt.score = result.percent
        attempt.passed = result.passed
        attempt.results = result.questions
        attempt.submitted_at = timezone.now()
        attempt.save()
    if attempt.passed:
        mark_lesson_complete(attempt.enrolment, lesson, how=LessonProgress.How.QUIZ)
    return attempt


# --- competence tests ----------------------------------------------------------------------------------------


def competence_questions(course, kind: str) -> tuple[list[dict], str]:
    stream, version = course.competence_test(kind)
    return question_dicts(stream), version


def record_competence_test(enrolment: Enrolment, kind: str, answers: dict) -> CompetenceTestResult:
    """Score and keep a pre- or post-test. Taken once: a second submission returns the first result."""
    kind = TestKind(kind)
    course = enrolment.course.specific
    existing = CompetenceTestResult.objects.filter(enrolment=enrolment, kind=kind).first()
    if existing is not None:
        return existing
    if not course.has_competence_test():
        raise LearningError(gettext_lazy("This course has no competence test."), "no_competence_test")
    if kind == TestKind.POST and not CompetenceTestResult.objects.filter(enrolment=enrolment, kind="pre").exists():
        raise LearningError(gettext_lazy("Take the pre-test first."), "pre_test_first")
    questions, version = competence_questions(course, kind)
    cleaned = clean_answers(questions, answers)
    result = score_quiz(questions, cleaned)
    try:
        with transaction.atomic():
            record = CompetenceTestResult.objects.create(
                enrolment=enrolment,
                kind=kind,
                version=version,
                answers=cleaned,
                area_scores=area_scores(questions, cleaned),
                percent=result.percent,
            )
    except IntegrityError:
        return CompetenceTestResult.objects.get(enrolment=enrolment, kind=kind)
    if kind == TestKind.POST:
        complete_course_if_done(enrolment)
    return record


# --- completion -------------------------------------------------------------------------------------------


def default_attendance_provider(user, course) -> int:
    """Meetings attended: presence marked by coordinators at meetings of the spaces the course names, plus
    meetings recorded by hand in `AttendanceRecord` (e.g. held outside the platform)."""
    from exchange_groups.models import Attendance, Registration

    space_ids = [r.space_id for r in course.meeting_requirements.all() if r.space_id]
    at_space_meetings = 0
    if space_ids:
        at_space_meetings = (
            Registration.objects.filter(user_id=user.pk, meeting__space_id__in=space_ids, attendance=Attendance.PRESENT)
            .values("meeting_id")
            .distinct()
            .count()
        )
    recorded = AttendanceRecord.objects.filter(course_id=course.pk, user_id=user.pk).count()
    return at_space_meetings + recorded


def attended_meetings(user, course) -> int:
    path = learning_settings.ATTENDANCE_PROVIDER
    provider = import_string(path) if path else default_attendance_provider
    return int(provider(user, course))


@dataclass
class CompletionRule:
    key: str
    label: str
    met: bool
    detail: str


@dataclass
class CompletionStatus:
    rules: list

    @property
    def complete(self) -> bool:
        return all(rule.met for rule in self.rules)

    def rule(self, key: str):
        return next((rule for rule in self.rules if rule.key == key), None)


def course_completion_status(enrolment: Enrolment) -> CompletionStatus:
    """Which completion rules are met: required lessons, the post-test, attendance (blended courses)."""
    from django.utils.translation import ngettext

    course = enrolment.course.specific
    progress = course_progress(enrolment, course)
    rules = [
        CompletionRule(
            "lessons",
            _("Required lessons"),
            progress.done >= progress.total,
            _("%(done)s of %(total)s completed") % {"done": progress.done, "total": progress.total},
        )
    ]
    if course.has_competence_test() and course.post_test_required:
        taken = CompetenceTestResult.objects.filter(enrolment=enrolment, kind=TestKind.POST).exists()
        rules.append(CompletionRule("post_test", _("Post-test"), taken, _("taken") if taken else _("not taken yet")))
    requirements = list(course.meeting_requirements.all())
    if course.is_blended and requirements:
        required = sum(r.required_count for r in requirements)
        attended = attended_meetings(enrolment.user, course)
        rules.append(
            CompletionRule(
                "meetings",
                _("Meetings attended"),
                attended >= required,
                ngettext(
                    "%(attended)s of %(required)s meeting",
                    "%(attended)s of %(required)s meetings",
                    required,
                )
                % {"attended": attended, "required": required},
            )
        )
    return CompletionStatus(rules)


def complete_course_if_done(enrolment: Enrolment) -> Certificate | None:
    """Mark the course completed and issue the certificate when every rule is met (idempotent)."""
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.completed_at is None:
            if not course_completion_status(enrolment).complete:
                return None
            enrolment.completed_at = timezone.now()
            enrolment.save(update_fields=["completed_at"])
        return issue_certificate(enrolment)


def issue_certificate(enrolment: Enrolment) -> Certificate:
    """The certificate of a completed enrolment (made once; later calls return the same one)."""
    from .certificates import new_code

    existing = Certificate.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        return existing
    if enrolment.completed_at is None:
        raise LearningError(gettext_lazy("The course is not completed yet."), "not_completed")
    course = enrolment.course.specific
    user = enrolment.user
    for _try in range(5):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    enrolment=enrolment,
                    code=new_code(),
                    issued_at=enrolment.completed_at,
                    person_name=user.get_full_name() or user.email,
                    course_title=course.title,
                    hours=course.duration_hours,
                    outcomes=course.outcomes_list(),
                    organiser=course.organiser,
                )
        except IntegrityError:
            existing = Certificate.objects.filter(enrolment=enrolment).first()
            if existing is not None:
                return existing
    raise RuntimeError("could not draw a unique certificate code")


__all__ = [
    "AnswerError",
    "AttemptLimitReached",
    "LearningError",
    "complete_course_if_done",
    "course_completion_status",
    "enrol",
    "enrol_people",
    "enrol_space_members",
    "issue_certificate",
    "mark_lesson_complete",
    "record_competence_test",
    "save_answers",
    "start_attempt",
    "submit_attempt",
]
