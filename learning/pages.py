"""What the e-learning's Wagtail pages show: the course, module and lesson pages, and one learner's summary of a
course (which "Moja nauka" shows too).

The rule of the house: what a page shows is built in `<app>/pages.py`; views serve URLs; services change state.
A page model's `get_context` (or `serve`) imports its function from here inside the method, as Wagtail does:
this module imports the models, so the models cannot import it at the top. A context of one line (one queryset,
as `CourseIndexPage` and `HomePage` have) may stay on the model. Nothing here writes.

These functions read the models, ask `permissions` and the read-only helpers of `services` (progress,
completion status, attempts left) and return plain dicts for the templates; `views` imports `enrolment_summary`
from here, never the other way round. Lists are fetched whole, with what their templates touch, so a page runs
the same number of queries whatever the number of its modules, lessons, team members or quizzes.
"""

from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects

from exchange_groups.accounts.permissions import can_take_part
from oswiata_kit.views import Refusal

from . import services
from .blocks import public_questions, quiz_questions
from .forms import ReflectionForm
from .models import (
    Certificate,
    CompetenceArea,
    CompetenceTestResult,
    CoursePage,
    CourseTeamMember,
    Enrolment,
    LessonProgress,
    QuizAttempt,
    ReflectionAnswer,
)
from .permissions import can_manage_course, can_take_lesson, enrol_refusal, enrolment_of, learning_refusal
from .scoring import raised_competences

COURSES_PER_PAGE = 12


def catalogue_context(catalogue, request) -> dict:
    """CourseIndexPage: one page (`?strona=`, as the practices listing) of the live courses in the tree's order."""
    courses = CoursePage.objects.child_of(catalogue).live().order_by("path")
    page = Paginator(courses, COURSES_PER_PAGE).get_page(request.GET.get("strona"))
    return {"courses": page.object_list, "courses_page": page}


# --- one learner in one course (course page, "Moja nauka") ---------------------------------------------------


def _area_rows(course, results: dict) -> list[dict]:
    """Per competence area: the pre-test and post-test percent of one person (None when not taken)."""
    area_ids = set()
    for result in results.values():
        area_ids |= set(result.area_scores)
    rows = []
    for area in CompetenceArea.objects.filter(pk__in=[int(a) for a in area_ids if a.isdigit()]):
        key = str(area.pk)
        pre = results.get("pre")
        post = results.get("post")
        rows.append(
            {
                "area": area,
                "pre": pre.area_scores.get(key, {}).get("percent") if pre else None,
                "post": post.area_scores.get(key, {}).get("percent") if post else None,
            }
        )
    return rows


def enrolment_summary(enrolment: Enrolment, course=None) -> dict:
    """Progress, completion rules, test results per area, the certificate and the reflections of one enrolment."""
    course = course or enrolment.course.specific
    results = {r.kind: r for r in CompetenceTestResult.objects.filter(enrolment=enrolment)}
    pre, post = results.get("pre"), results.get("post")
    return {
        "enrolment": enrolment,
        "course": course,
        "progress": services.course_progress(enrolment, course),
        "completion": services.course_completion_status(enrolment),
        "pre_result": pre,
        "post_result": post,
        "area_rows": _area_rows(course, results),
        "raised": raised_competences(
            pre.percent if pre else None, post.percent if post else None, course.competence_threshold
        ),
        "certificate": Certificate.objects.filter(enrolment=enrolment).first(),
        "reflections": ReflectionAnswer.objects.filter(enrolment=enrolment).select_related("lesson"),
    }


# --- course and module pages -------------------------------------------------------------------------------


def _module_rows(course, completed_ids: set) -> list[dict]:
    """The live modules in order, each with its live lessons (one query for all lessons, not one per module)."""
    lessons_of = defaultdict(list)
    for lesson in course.lessons():
        lessons_of[lesson.path[: -lesson.steplen]].append(lesson)  # a lesson's parent is its module
    rows = []
    for module in course.modules():
        lessons = lessons_of.get(module.path, [])
        required = [lesson for lesson in lessons if lesson.required]
        rows.append(
            {
                "page": module,
                "lessons": [{"page": lesson, "done": lesson.pk in completed_ids} for lesson in lessons],
                "done": sum(1 for lesson in required if lesson.pk in completed_ids),
                "total": len(required),
            }
        )
    return rows


def _course_overview(request, course) -> dict:
    """What the course and module pages share: modules and lessons, the person's enrolment and progress."""
    if course is None:
        return {}
    enrolment = enrolment_of(request.user, course)
    context = {
        "course": course,
        "enrolment": enrolment,
        "can_manage": can_manage_course(request.user, course),
        "enrol_refusal": enrol_refusal(request.user, course) if enrolment is None else None,
    }
    completed_ids = set()
    if enrolment is not None:
        summary = enrolment_summary(enrolment, course)
        context.update(summary)
        completed_ids = summary["progress"].completed_ids
    context["module_rows"] = _module_rows(course, completed_ids)
    return context


def _prefetch_team(course) -> None:
    """The course team with their names in one query (the page lists them as `page.team.all`)."""
    if course.pk is None or "team" in getattr(course, "_cluster_related_objects", {}):
        return  # a preview: the team comes from the revision being previewed
    team = CourseTeamMember.objects.select_related("user")
    prefetch_related_objects([course], Prefetch("team", queryset=team))


def course_page_context(request, course) -> dict:
    """CoursePage: the course overview, and the course team ready to list."""
    if course is None:
        return {}
    _prefetch_team(course)
    return _course_overview(request, course)


def module_page_context(request, module) -> dict:
    """ModulePage: the overview of the module's course (the template lists this module's lessons)."""
    return _course_overview(request, module.course)


# --- lesson page -----------------------------------------------------------------------------------------------


def _quiz_state(attempts: list[QuizAttempt], block, enrolment) -> dict:
    """One quiz block as the learner sees it: the open attempt's questions, the last result, attempts left.

    `attempts` are the learner's attempts at this quiz, by number."""
    quiz = block.value
    state = {"id": block.id, "quiz": quiz, "enrolled": enrolment is not None}
    if enrolment is None:
        return state
    open_attempt = next((a for a in attempts if a.is_open), None)
    submitted = [a for a in attempts if not a.is_open]
    left = services.attempts_left(quiz, len(attempts))
    state.update(
        {
            "open_attempt": open_attempt,
            "last": submitted[-1] if submitted else None,
            "used": len(submitted),
            "limit": quiz["max_attempts"],
            "can_start": open_attempt is None and left != 0,
            "best": max((a.score for a in submitted), default=None),
            "passed_any": any(a.passed for a in submitted),
        }
    )
    questions = quiz_questions(quiz)
    if open_attempt is not None:
        saved = open_attempt.answers or {}
        public = public_questions(questions, seed=f"{open_attempt.pk}")
        for question in public:
            answer = saved.get(question["id"])
            for option in question["options"]:
                if question["type"] == "ordering":
                    option["position"] = (answer or {}).get(option["id"]) if isinstance(answer, dict) else None
                else:
                    chosen = answer if isinstance(answer, list) else [answer]
                    option["checked"] = option["id"] in chosen
        state["questions"] = public
    if state["last"] is not None:
        state["review"] = _review(questions, state["last"])
    return state


def _review(questions: list[dict], attempt: QuizAttempt) -> list[dict]:
    """After submission: each question with the learner's answers, whether it was correct, and the feedback."""
    rows = []
    for question in questions:
        answer = attempt.answers.get(question["id"])
        result = attempt.results.get(question["id"], {})
        if question["type"] == "ordering":
            by_position = sorted((answer or {}).items(), key=lambda kv: kv[1]) if isinstance(answer, dict) else []
            texts = {o["id"]: o["text"] for o in question["options"]}
            chosen = [f"{pos}. {texts.get(item, '')}" for item, pos in by_position]
        else:
            ids = answer if isinstance(answer, list) else [answer]
            chosen = [o["text"] for o in question["options"] if o["id"] in ids]
        rows.append(
            {
                "prompt": question["prompt"],
                "chosen": chosen,
                "correct": result.get("correct", False),
                "feedback": result.get("feedback", ""),
                "option_feedback": result.get("option_feedback", []),
            }
        )
    return rows


def _attempts_by_quiz(request, lesson, enrolment) -> dict[str, list[QuizAttempt]]:
    """The person's attempts at each quiz of the lesson, by number (one query for all the lesson's quizzes)."""
    if enrolment is None or not lesson.quiz_blocks():
        return {}
    attempts = defaultdict(list)
    for attempt in QuizAttempt.objects.filter(user=request.user, lesson_id=lesson.pk).order_by("quiz_id", "number"):
        attempts[attempt.quiz_id].append(attempt)
    return attempts


def lesson_context(request, lesson) -> dict:
    """LessonPage: the body with each quiz's state and each reflection's form, progress, previous and next lesson."""
    course = lesson.course
    enrolment = enrolment_of(request.user, course) if course else None
    completed_ids = set()
    if enrolment is not None:
        completed_ids = set(LessonProgress.objects.filter(enrolment=enrolment).values_list("lesson_id", flat=True))
    reflections = {}
    if enrolment is not None:
        reflections = {r.block_id: r for r in ReflectionAnswer.objects.filter(enrolment=enrolment, lesson_id=lesson.pk)}
    attempts = _attempts_by_quiz(request, lesson, enrolment)
    items = []
    for block in lesson.body:
        if block.block_type == "quiz":
            items.append({"block": block, "quiz": _quiz_state(attempts.get(block.id, []), block, enrolment)})
        elif block.block_type == "reflection":
            saved = reflections.get(block.id)
            form = ReflectionForm(initial={"text": saved.text if saved else ""}, prefix=f"r-{block.id}")
            items.append({"block": block, "reflection": {"saved": saved, "form": form}})
        else:
            items.append({"block": block})
    lessons = list(course.lessons()) if course else []
    index = next((i for i, other in enumerate(lessons) if other.pk == lesson.pk), None)
    return {
        "course": course,
        "module": lesson.module,
        "enrolment": enrolment,
        "lesson_done": lesson.pk in completed_ids,
        "body_items": items,
        "previous_lesson": lessons[index - 1] if index else None,
        "next_lesson": lessons[index + 1] if index is not None and index + 1 < len(lessons) else None,
    }


# --- the learning's refusal page ----------------------------------------------------------------------------

REFUSED = "learning/refused.html"


def refusal_context(request, course=None, *, invite_to_enrol=False) -> dict:
    """What the learning's refusal page shows besides the reason: the link to the consents when they are missing,
    the way back to the course and, when invited, the enrol form (or why the person may not enrol)."""
    context = {
        "course": course,
        "invite_to_enrol": invite_to_enrol,
        "consents_missing": request.user.is_authenticated and not can_take_part(request.user),
    }
    if course is not None and invite_to_enrol:
        context["enrol_refusal"] = enrol_refusal(request.user, course)
    return context


def course_refusal(request, reason, *, course=None, invite_to_enrol=False) -> Refusal:
    """A refusal (`reason`: a message or the PermissionDenied of a check) shown on the learning's page, status 403.

    Raise it: the site's handler403 sends an anonymous visitor to log in and shows anybody else the page."""
    context = refusal_context(request, course, invite_to_enrol=invite_to_enrol)
    return Refusal(reason, template=REFUSED, context=context)


def serve_lesson(lesson, request, serve, *args, **kwargs):
    """LessonPage.serve: lessons are for enrolled people (and course managers); others are invited to enrol.

    A refusal is raised like every other (Wagtail's page view lets it through to the site's handler403), so an
    anonymous visitor is sent to log in with `next`."""
    if getattr(request, "is_preview", False):
        return serve(request, *args, **kwargs)
    if not request.user.is_authenticated:
        raise PermissionDenied
    course = lesson.course
    if not can_take_lesson(request.user, lesson, course):
        invite_to_enrol = enrolment_of(request.user, course) is None
        raise course_refusal(
            request, learning_refusal(request.user, course), course=course, invite_to_enrol=invite_to_enrol
        )
    return serve(request, *args, **kwargs)
