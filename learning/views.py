"""The e-learning's URL-routed views: thin views over `services`, `permissions`, `reports` and `certificates`.

Course, module and lesson pages are Wagtail pages: what they show is built in `learning.pages`, not here. The
actions (enrol, mark a lesson complete, quiz attempts, tests, reports, certificates) are Django views under
`nauka/`, "Moja nauka" under `moja-nauka/` and the public verification page under `zaswiadczenia/weryfikacja/`.
State changes are POST only.
"""

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from exchange_groups.spaces.permissions import spaces_visible_to
from oswiata_kit.views import Refusal, post_only

from . import services
from .blocks import public_questions, quiz_questions
from .certificates import Verification, certificate_pdf, normalise_code, verify_code
from .forms import EnrolPeopleForm, EnrolSpaceForm, ReflectionForm, VerifyForm, answers_from_post
from .models import (
    Certificate,
    CompetenceTestResult,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LessonPage,
    QuizAttempt,
    TestKind,
)
from .pages import REFUSED, course_refusal, enrolment_summary, refusal_context
from .permissions import (
    can_manage_any_course,
    can_manage_course,
    can_view_certificate,
    check_can_learn,
    check_can_manage_course,
    enrolment_of,
)
from .reports import course_report, report_csv
from .scoring import AnswerError

# --- helpers -------------------------------------------------------------------------------------------
# A refusal (who is asking) is raised: `course_refusal`, or `refused_in_course` around a `check_*` or a service,
# and the site's handler403 shows the learning's page. A request the view cannot act on (an unreadable form, a
# rule of the quiz) gets the same page with status 400 from `_cannot_do`.


@contextlib.contextmanager
def refused_in_course(request, course=None):
    """Show a PermissionDenied raised inside (a `check_*`, a service) on the learning's refusal page."""
    try:
        yield
    except Refusal:
        raise
    except PermissionDenied as error:
        raise course_refusal(request, error, course=course) from error


def _learner_in(request, course) -> Enrolment:
    """The person's enrolment in `course` when they may learn in it (lessons, quizzes, tests), else the refusal."""
    with refused_in_course(request, course):
        check_can_learn(request.user, course)
    return enrolment_of(request.user, course)


def _cannot_do(request, message: str, *, course=None):
    """The learning's page with `message`, status 400: nothing was changed."""
    context = {**refusal_context(request, course), "message": message}
    return render(request, REFUSED, context, status=400)


def _course_or_404(course_id) -> CoursePage:
    course = CoursePage.objects.live().filter(pk=course_id).specific().first()
    if course is None:
        raise Http404(_("No such course."))
    return course


def _lesson_or_404(lesson_id) -> LessonPage:
    lesson = LessonPage.objects.live().filter(pk=lesson_id).specific().first()
    if lesson is None:
        raise Http404(_("No such lesson."))
    return lesson


def _lesson_url(lesson, anchor: str = "") -> str:
    return lesson.get_url() + (f"#{anchor}" if anchor else "")


# --- enrolment ---------------------------------------------------------------------------------------------


@login_required
def course_enrol(request, course_id):
    course = _course_or_404(course_id)
    if request.method != "POST":
        return redirect(course.get_url())
    with refused_in_course(request, course):
        _enrolment, created = services.enrol(course, request.user)
    if created:
        messages.success(request, _("You are enrolled. You can start the first lesson."))
    return redirect(course.get_url())


@login_required
def course_enrol_others(request, course_id):
    course = _course_or_404(course_id)
    with refused_in_course(request, course):
        check_can_manage_course(request.user, course)
    spaces = spaces_visible_to(request.user)
    data = request.POST if request.method == "POST" else None
    action = request.POST.get("action") if data else None
    people_form = EnrolPeopleForm(data if action == "people" else None, prefix="people")
    space_form = EnrolSpaceForm(data if action == "space" else None, prefix="space", spaces=spaces)
    unknown = []
    if data is not None:
        if action == "people" and people_form.is_valid():
            result = services.enrol_people(course, people_form.cleaned_data["emails"], by=request.user)
            if result.unknown:
                unknown = result.unknown
                people_form.add_error(
                    "emails",
                    _("Nobody was enrolled: these addresses have no account on the platform: %(list)s")
                    % {"list": ", ".join(result.unknown)},
                )
            else:
                messages.success(request, _enrolled_message(result))
                return redirect("learning:course_enrol_others", course_id=course.pk)
        elif action == "space" and space_form.is_valid():
            result = services.enrol_space_members(course, space_form.cleaned_data["space"], by=request.user)
            messages.success(request, _enrolled_message(result))
            return redirect("learning:course_enrol_others", course_id=course.pk)
        elif action not in ("people", "space"):
            return _cannot_do(request, _("The form could not be read. Nothing was changed."), course=course)
    enrolments = Enrolment.objects.filter(course=course).select_related("user").order_by("user__last_name")
    context = {
        "course": course,
        "people_form": people_form,
        "space_form": space_form,
        "unknown": unknown,
        "enrolments": enrolments,
    }
    status = 400 if data is not None else 200
    return render(request, "learning/enrol_others.html", context, status=status)


def _enrolled_message(result) -> str:
    from django.utils.translation import ngettext

    enrolled = len(result.enrolled)
    already = len(result.already)
    text = ngettext("%(count)s person enrolled.", "%(count)s people enrolled.", enrolled) % {"count": enrolled}
    if already:
        text += " " + ngettext(
            "%(count)s person was already enrolled.", "%(count)s people were already enrolled.", already
        ) % {"count": already}
    return text


# --- lessons ----------------------------------------------------------------------------------------------


@login_required
@post_only
def lesson_complete(request, lesson_id):
    lesson = _lesson_or_404(lesson_id)
    course = lesson.course
    enrolment = _learner_in(request, course)
    if lesson.quiz_blocks():
        # A lesson that ends with a quiz is complete when the quiz is passed (services.submit_attempt).
        return _cannot_do(
            request, _("This lesson ends with a quiz: it is complete once you pass the quiz."), course=course
        )
    services.mark_lesson_complete(enrolment, lesson)
    messages.success(request, _("The lesson is marked as complete."))
    nxt = services.course_progress(enrolment, course).next_lesson
    return redirect(nxt.get_url() if nxt else course.get_url())


@login_required
@post_only
def reflection_save(request, lesson_id, block_id):
    lesson = _lesson_or_404(lesson_id)
    course = lesson.course
    enrolment = _learner_in(request, course)
    form = ReflectionForm(request.POST, prefix=f"r-{block_id}")
    if not form.is_valid():
        return _cannot_do(request, _("Write your answer before saving it."), course=course)
    try:
        services.save_reflection(enrolment, lesson, block_id, form.cleaned_data["text"])
    except services.LearningError as error:
        return _cannot_do(request, error.message, course=course)
    messages.success(request, _("Your answer is saved in your portfolio."))
    return redirect(_lesson_url(lesson, f"reflection-{block_id}"))


# --- quizzes ---------------------------------------------------------------------------------------------


@login_required
@post_only
def quiz_start(request, lesson_id, quiz_id):
    lesson = _lesson_or_404(lesson_id)
    course = lesson.course
    with refused_in_course(request, course):
        check_can_learn(request.user, course)
    try:
        services.start_attempt(request.user, lesson, quiz_id)
    except services.AttemptLimitReached as error:
        raise course_refusal(request, error.message, course=course) from error
    except services.LearningError as error:
        return _cannot_do(request, error.message, course=course)
    return redirect(_lesson_url(lesson, f"quiz-{quiz_id}"))


@login_required
@post_only
def attempt_post(request, attempt_id):
    """Save the answers of an open attempt ("action=save", also the JS autosave) or submit them ("action=submit")."""
    attempt = QuizAttempt.objects.filter(pk=attempt_id, user=request.user).select_related("lesson").first()
    if attempt is None:
        raise Http404(_("There is no such attempt."))
    lesson = attempt.lesson.specific
    wants_json = request.headers.get("X-Requested-With") == "fetch"
    action = request.POST.get("action")
    block = lesson.quiz_block(attempt.quiz_id)
    if block is None or action not in ("save", "submit"):
        return _cannot_do(request, _("The form could not be read. Nothing was changed."))
    already_submitted = not attempt.is_open
    try:
        answers = answers_from_post(quiz_questions(block.value), request.POST)
        if action == "save":
            attempt = services.save_answers(request.user, attempt.pk, answers)
        else:
            attempt = services.submit_attempt(request.user, attempt.pk, answers)
    except AnswerError:
        message = _("Your answers could not be read (an unknown question or option). Nothing was saved.")
        if wants_json:
            return JsonResponse({"ok": False, "error": message}, status=400)
        return _cannot_do(request, message, course=lesson.course)
    if wants_json:
        return JsonResponse({"ok": True, "open": attempt.is_open})
    if action == "save" and attempt.is_open:
        messages.success(request, _("Your answers are saved. You can come back and finish later."))
    elif action == "submit" and already_submitted:
        # A second submission (another tab, the back button): the first answers count, say so.
        messages.info(
            request, _("This attempt had already been submitted, so the answers sent first count. The result is below.")
        )
    elif action == "submit":
        messages.success(request, _("Your answers have been submitted."))
    return redirect(_lesson_url(lesson, f"quiz-{attempt.quiz_id}"))


# --- competence tests -------------------------------------------------------------------------------------


@login_required
def competence_test(request, course_id, kind):
    course = _course_or_404(course_id)
    enrolment = _learner_in(request, course)
    if not course.has_competence_test():
        raise Http404(_("This course has no competence test."))
    kind = TestKind(kind)
    existing = CompetenceTestResult.objects.filter(enrolment=enrolment, kind=kind).first()
    if existing is not None:
        messages.info(request, _("You have already taken this test. Your results are below."))
        return redirect(reverse("learning:my_course", kwargs={"course_id": course.pk}))
    if kind == TestKind.POST:
        if not CompetenceTestResult.objects.filter(enrolment=enrolment, kind=TestKind.PRE).exists():
            raise course_refusal(request, _("Take the pre-test first."), course=course)
        progress = services.course_progress(enrolment, course)
        if progress.done < progress.total:
            raise course_refusal(
                request, _("The post-test opens when you have completed the required lessons."), course=course
            )
    questions, _version = services.competence_questions(course, kind)
    if request.method == "POST":
        try:
            answers = answers_from_post(questions, request.POST)
            services.record_competence_test(enrolment, kind, answers)
        except AnswerError:
            return _cannot_do(
                request,
                _("Your answers could not be read (an unknown question or option). Nothing was saved."),
                course=course,
            )
        except services.LearningError as error:
            return _cannot_do(request, error.message, course=course)
        messages.success(request, _("Thank you. Your result is below."))
        return redirect(reverse("learning:my_course", kwargs={"course_id": course.pk}))
    public = public_questions(questions, seed=f"{enrolment.pk}-{kind}")
    return render(
        request,
        "learning/competence_test.html",
        {"course": course, "kind": kind, "kind_label": TestKind(kind).label, "questions": public},
    )


@login_required
@post_only
def course_finish(request, course_id):
    course = _course_or_404(course_id)
    enrolment = _learner_in(request, course)
    certificate = services.complete_course_if_done(enrolment)
    if certificate is None:
        messages.error(request, _("Not every completion rule is met yet. See the list below."))
    else:
        messages.success(request, _("Congratulations! You have completed the course."))
    return redirect(reverse("learning:my_course", kwargs={"course_id": course.pk}))


# --- navigation -----------------------------------------------------------------------------------------------


def catalogue(request):
    """A stable address for the course catalogue page (wherever editors put it in the page tree)."""
    page = CourseIndexPage.objects.live().order_by("path").first()
    if page is None:
        raise Http404(_("There are no courses yet."))
    return redirect(page.url)


# --- Moja nauka ---------------------------------------------------------------------------------------------


@login_required
def my_learning(request):
    enrolments = (
        Enrolment.objects.filter(user=request.user, course__live=True).select_related("course").order_by("-enrolled_at")
    )
    rows = [enrolment_summary(enrolment) for enrolment in enrolments]
    return render(request, "learning/my_learning.html", {"rows": rows})


@login_required
def my_course(request, course_id):
    course = _course_or_404(course_id)
    enrolment = enrolment_of(request.user, course)
    if enrolment is None:
        raise course_refusal(request, _("You are not enrolled in this course."), course=course, invite_to_enrol=True)
    context = enrolment_summary(enrolment, course)
    return render(request, "learning/my_course.html", context)


@login_required
def certificate_download(request, pk):
    certificate = Certificate.objects.filter(pk=pk).select_related("enrolment__course").first()
    if certificate is None or not can_view_certificate(request.user, certificate):
        raise Http404(_("No such certificate."))
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="zaswiadczenie-{certificate.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- public verification ------------------------------------------------------------------------------------


def verify(request):
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        chars = normalise_code(form.cleaned_data["kod"])
        if chars is None:
            form.add_error("kod", _("This is not a certificate code. Check what you typed."))
        else:
            from .certificates import format_code

            return redirect("learning:verify_code", code=format_code(chars))
    return render(request, "learning/verify.html", {"form": form})


def verify_code_view(request, code):
    status, certificate = verify_code(code)
    context = {"status": status, "certificate": certificate, "code": code, "form": VerifyForm(), "V": Verification}
    response = render(request, "learning/verify_result.html", context, status=200 if certificate else 404)
    response["X-Robots-Tag"] = "noindex"
    return response


# --- reports -----------------------------------------------------------------------------------------------


@login_required
def report_list(request):
    if not can_manage_any_course(request.user):
        raise course_refusal(request, _("Only the course's coordinators and team can do this."))
    courses = [c for c in CoursePage.objects.live().specific().order_by("title") if can_manage_course(request.user, c)]
    return render(request, "learning/report_list.html", {"courses": courses})


@login_required
def report(request, course_id):
    course = _course_or_404(course_id)
    with refused_in_course(request, course):
        check_can_manage_course(request.user, course)
    return render(request, "learning/report.html", {"course": course, "report": course_report(course)})


@login_required
def report_csv_view(request, course_id):
    course = _course_or_404(course_id)
    with refused_in_course(request, course):
        check_can_manage_course(request.user, course)
    response = HttpResponse(report_csv(course_report(course)), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="raport-kurs-{course.pk}-{stamp}.csv"'
    return response
