"""Pages of the yearly cycle of a space: the work plan, the questionnaires (needs diagnosis, evaluation),
answering them, the coordinators' editing of drafts, results, the CSV export and the comparison of the
diagnosis with the evaluation.

Privacy: every view is a `space_view` (spaces/shortcuts.py), which starts with `get_space_or_404`, so a
private space answers 404 to outsiders on every URL and method. Member pages send anonymous visitors to the
login page and show other people a "members only" page (403); coordinator pages show members a
"coordinators only" page (403), all through the site's 403 handler. State changes are POST only and go
through the services in `cycle/services.py` and `cycle/planning.py` (`call_service`).
"""

import functools

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from exchange_groups.cycle import planning, reporting, services
from exchange_groups.cycle.forms import ChoiceForm, QuestionForm, QuestionnaireForm, WorkPlanForm, WorkPlanItemForm
from exchange_groups.cycle.permissions import (
    can_answer,
    can_manage_cycle,
    can_see_questionnaire,
    check_can_answer,
    check_can_manage_cycle,
)
from exchange_groups.models import (
    Choice,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireKind,
    QuestionnaireStatus,
    Response,
    WorkPlanItem,
)
from exchange_groups.spaces.permissions import is_member
from exchange_groups.spaces.shortcuts import MEMBER, form_data, refused_in_space, space_context, space_gate, space_view
from oswiata_kit.views import call_service, post_only, submit_form

TEMPLATES = "exchange_groups/cycle/"
# The cycle's services blame the whole form, except a question key that is taken.
KEY_TAKEN_ON_KEY = {"key_taken": "key"}


def _already_answered() -> str:
    return _("You have already answered this questionnaire. Your answers were saved earlier and have not been changed.")


# --- helpers ---------------------------------------------------------------------------------------


def _context(request, space, **extra):
    context = space_context(request, space)
    context["can_manage_cycle"] = can_manage_cycle(request.user, space)
    context.update(extra)
    return context


COORDINATORS_ONLY = TEMPLATES + "coordinators_only.html"
member_space = space_view(MEMBER)
coordinator_space = space_view(check_can_manage_cycle, refusal=COORDINATORS_ONLY)


def _questionnaire(request, space, pk) -> Questionnaire:
    questionnaire = Questionnaire.objects.filter(space=space, pk=pk).select_related("space").first()
    if questionnaire is None or not can_see_questionnaire(request.user, questionnaire):
        raise Http404(_("No such questionnaire."))
    return questionnaire


def questionnaire_view(view):
    """A coordinators' page of one questionnaire: the URL's `pk` becomes the `questionnaire` argument."""

    @coordinator_space
    @functools.wraps(view)
    def wrapper(request, space, pk, *args, **kwargs):
        return view(request, space, _questionnaire(request, space, pk), *args, **kwargs)

    return wrapper


def draft_view(view):
    """A coordinators' page of a draft: a published questionnaire sends them back to the list with a message."""

    @questionnaire_view
    @functools.wraps(view)
    def wrapper(request, space, questionnaire, *args, **kwargs):
        if not questionnaire.is_draft:
            messages.error(request, services.frozen_message())
            return _to_list(space)
        return view(request, space, questionnaire, *args, **kwargs)

    return wrapper


def _editor_url(questionnaire, anchor="") -> str:
    url = reverse(
        "exchange_groups:cycle_questionnaire_edit", kwargs={"slug": questionnaire.space.slug, "pk": questionnaire.pk}
    )
    return url + (f"#{anchor}" if anchor else "")


def _to_editor(questionnaire, anchor=""):
    return redirect(_editor_url(questionnaire, anchor))


def _plan_url(space, anchor="") -> str:
    url = reverse("exchange_groups:cycle_work_plan", kwargs={"slug": space.slug})
    return url + (f"#{anchor}" if anchor else "")


def _list_url(space) -> str:
    return reverse("exchange_groups:cycle_questionnaires", kwargs={"slug": space.slug})


def _to_list(space):
    return redirect(_list_url(space))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --- the work plan ---------------------------------------------------------------------------------


@member_space
def work_plan(request, space):
    plan = planning.get_work_plan(space)
    manage = can_manage_cycle(request.user, space)
    if request.method == "POST" and not manage:
        space_gate(request, space, check_can_manage_cycle, refusal=COORDINATORS_ONLY)
    form = None
    if manage:
        initial = {"goals": plan.goals, "themes": plan.themes} if plan else {}
        form = WorkPlanForm(form_data(request), initial=initial, auto_id="id_plan_%s")
    if done := submit_form(
        request,
        form,
        lambda data: planning.update_work_plan(request.user, space, **data),
        success_message=_("The goals and themes of the work plan have been saved."),
        redirect_to=_plan_url(space),
    ):
        return done
    items = list(plan.items.all()) if plan else []
    context = _context(
        request,
        space,
        plan=plan,
        items=items,
        goals=_lines(plan.goals) if plan else [],
        themes=_lines(plan.themes) if plan else [],
        form=form,
        item_form=WorkPlanItemForm(cycle=space.cycle, auto_id="id_item_%s") if manage else None,
    )
    return render(request, TEMPLATES + "work_plan.html", context)


@coordinator_space
def work_plan_item_add(request, space):
    form = WorkPlanItemForm(form_data(request), cycle=space.cycle, auto_id="id_item_%s")
    if done := submit_form(
        request,
        form,
        lambda data: planning.add_work_plan_item(request.user, space, **data),
        success_message=lambda item: _("“%(title)s” has been added to the work plan.") % {"title": item.title},
        redirect_to=lambda item: _plan_url(space, f"item-{item.pk}"),
    ):
        return done
    context = _context(request, space, form=form, item=None)
    return render(request, TEMPLATES + "work_plan_item_form.html", context)


def _item(space, item_pk) -> WorkPlanItem:
    return get_object_or_404(
        WorkPlanItem.objects.select_related("plan__space"), pk=item_pk, plan__space=space, plan__cycle=space.cycle
    )


@coordinator_space
def work_plan_item_edit(request, space, item_pk):
    item = _item(space, item_pk)
    form = WorkPlanItemForm(
        form_data(request), initial=WorkPlanItemForm.initial_for(item), cycle=space.cycle, auto_id="id_item_%s"
    )
    if done := submit_form(
        request,
        form,
        lambda data: planning.update_work_plan_item(request.user, item, **data),
        success_message=lambda item: _("“%(title)s” has been saved.") % {"title": item.title},
        redirect_to=lambda item: _plan_url(space, f"item-{item.pk}"),
    ):
        return done
    context = _context(request, space, form=form, item=item)
    return render(request, TEMPLATES + "work_plan_item_form.html", context)


@coordinator_space
def work_plan_item_remove(request, space, item_pk):
    item = _item(space, item_pk)
    if request.method == "POST":
        planning.remove_work_plan_item(request.user, item)
        messages.success(request, _("“%(title)s” has been removed from the work plan.") % {"title": item.title})
        return redirect(_plan_url(space, "plan-items"))
    return render(request, TEMPLATES + "work_plan_item_remove.html", _context(request, space, item=item))


@coordinator_space
@post_only
def work_plan_item_move(request, space, item_pk):
    item = _item(space, item_pk)
    direction = request.POST.get("direction", "")
    return call_service(
        request,
        planning.move_work_plan_item,
        request.user,
        item,
        direction,
        redirect_to=_plan_url(space, f"item-{item.pk}"),
    )


# --- questionnaires: list and creation -------------------------------------------------------------


@member_space
def questionnaire_list(request, space):
    user = request.user
    manage = can_manage_cycle(user, space)
    published = list(
        Questionnaire.objects.filter(space=space).exclude(status=QuestionnaireStatus.DRAFT).order_by("-published_at")
    )
    answered = dict(
        Response.objects.filter(questionnaire__in=published, user=user).values_list("questionnaire_id", "submitted_at")
    )
    member = is_member(user, space)
    to_answer = [q for q in published if q.pk not in answered and member and q.accepts_answers]
    done = [(q, answered[q.pk]) for q in published if q.pk in answered]
    others = [q for q in published if q.pk not in answered and q not in to_answer]
    context = _context(request, space, to_answer=to_answer, answered=done, others=others, section="questionnaires")
    if manage:
        context["all_questionnaires"] = (
            Questionnaire.objects.filter(space=space)
            .annotate(response_count=Count("responses"))
            .order_by("-created_at")
        )
        context["has_comparison"] = {q.kind for q in published} >= set(QuestionnaireKind.values)
        context["open_status"], context["diagnosis_kind"] = QuestionnaireStatus.OPEN, QuestionnaireKind.DIAGNOSIS
    return render(request, TEMPLATES + "questionnaire_list.html", context)


@coordinator_space
def questionnaire_new(request, space):
    form = QuestionnaireForm(form_data(request))
    if done := submit_form(
        request,
        form,
        lambda data: services.create_questionnaire(request.user, space, **data),
        success_message=_("The draft has been created. Add the questions, then publish it."),
        redirect_to=_editor_url,
    ):
        return done
    return render(request, TEMPLATES + "questionnaire_new.html", _context(request, space, form=form))


# --- answering -------------------------------------------------------------------------------------


def _answer_items(questionnaire, data=None, errors=None):
    """What the answer template needs for each question: names, ids, what is chosen, the error."""
    errors = errors or {}
    items = []
    for question in questionnaire.questions.prefetch_related("choices"):
        name = f"q{question.pk}"
        submitted = data.getlist(name) if data is not None else []
        choices = list(question.choices.all()) if question.has_choices else []
        if question.has_choices:
            first_id = f"{name}-{choices[0].pk}" if choices else name
        elif question.kind == QuestionKind.SCALE:
            first_id = f"{name}-{question.scale_min}"
        else:
            first_id = name
        items.append(
            {
                "question": question,
                "name": name,
                "first_id": first_id,
                "error": errors.get(question.pk, ""),
                "selected": set(submitted),
                "text": submitted[0] if submitted and question.kind == QuestionKind.OPEN else "",
                "choices": choices,
                "scale": [
                    {"value": value, "id": f"{name}-{value}", "selected": str(value) in submitted}
                    for value in question.scale_values()
                ]
                if question.kind == QuestionKind.SCALE
                else [],
            }
        )
    return items


@never_cache
@member_space
def questionnaire_answer(request, space, pk):
    questionnaire = _questionnaire(request, space, pk)
    user = request.user
    existing = services.response_of(user, questionnaire)
    member = is_member(user, space)
    context = _context(request, space, questionnaire=questionnaire, existing=existing, is_answering_member=member)
    if request.method == "POST":
        with refused_in_space(request, space, TEMPLATES + "members_answer_only.html"):
            check_can_answer(user, questionnaire)
        if existing is not None:
            messages.info(request, _already_answered())
            return _to_list(space)
        data = {
            question_pk: request.POST.getlist(f"q{question_pk}")
            for question_pk in questionnaire.questions.values_list("pk", flat=True)
        }
        try:
            submitted = services.submit_response(user, questionnaire, data)
        except services.ResponseInvalid as error:
            context.update(items=_answer_items(questionnaire, request.POST, error.errors), errors=error.errors)
            context["can_answer"] = True
            return render(request, TEMPLATES + "questionnaire_answer.html", context)
        except services.CycleError as error:
            messages.error(request, error.message)
            return _to_list(space)
        if submitted.created:
            messages.success(request, _("Thank you. Your answers have been saved."))
        else:
            messages.info(request, _already_answered())
        return _to_list(space)
    context.update(items=_answer_items(questionnaire), can_answer=existing is None and can_answer(user, questionnaire))
    return render(request, TEMPLATES + "questionnaire_answer.html", context)


# --- editing drafts (coordinators) -----------------------------------------------------------------


@draft_view
def questionnaire_edit(request, space, questionnaire):
    initial = {
        "title": questionnaire.title,
        "intro": questionnaire.intro,
        "opens_at": questionnaire.opens_at,
        "closes_at": questionnaire.closes_at,
    }
    form = QuestionnaireForm(form_data(request), initial=initial, with_kind=False)
    if done := submit_form(
        request,
        form,
        lambda data: services.update_questionnaire(request.user, questionnaire, **data),
        success_message=_("The questionnaire has been saved."),
        redirect_to=_editor_url(questionnaire),
    ):
        return done
    return _render_editor(request, space, questionnaire, form=form)


def _render_editor(request, space, questionnaire, *, form=None, question_form=None, choice_forms=None, status=200):
    questions = list(questionnaire.questions.prefetch_related("choices"))
    choice_forms = choice_forms or {}
    for question in questions:
        question.choice_form = choice_forms.get(question.pk) or ChoiceForm(auto_id=f"id_choice_{question.pk}_%s")
    context = _context(
        request,
        space,
        questionnaire=questionnaire,
        questions=questions,
        form=form
        or QuestionnaireForm(
            initial={
                "title": questionnaire.title,
                "intro": questionnaire.intro,
                "opens_at": questionnaire.opens_at,
                "closes_at": questionnaire.closes_at,
            },
            with_kind=False,
        ),
        question_form=question_form or QuestionForm(auto_id="id_question_%s"),
        problems=services.structure_problems(questionnaire),
    )
    return render(request, TEMPLATES + "questionnaire_edit.html", context, status=status)


@draft_view
@post_only
def question_add(request, space, questionnaire):
    form = QuestionForm(request.POST, auto_id="id_question_%s")
    if done := submit_form(
        request,
        form,
        lambda data: services.add_question(
            request.user,
            questionnaire,
            kind=data["kind"],
            text=data["text"],
            key=data["key"],
            required=data["required"],
            help_text=data["help_text"],
            choices=data["choice_list"],
            scale_min=data["scale_min"],
            scale_max=data["scale_max"],
            scale_min_label=data["scale_min_label"],
            scale_max_label=data["scale_max_label"],
        ),
        error_field=KEY_TAKEN_ON_KEY,
        success_message=_("The question has been added."),
        redirect_to=lambda question: _editor_url(questionnaire, f"question-{question.pk}"),
    ):
        return done
    return _render_editor(request, space, questionnaire, question_form=form)


def _question(questionnaire, question_pk) -> Question:
    return get_object_or_404(Question, pk=question_pk, questionnaire=questionnaire)


@draft_view
def question_edit(request, space, questionnaire, question_pk):
    question = _question(questionnaire, question_pk)
    initial = {
        field: getattr(question, field)
        for field in (
            "text",
            "help_text",
            "key",
            "required",
            "scale_min",
            "scale_max",
            "scale_min_label",
            "scale_max_label",
        )
    }
    form = QuestionForm(form_data(request), initial=initial, editing=True)
    if question.kind != QuestionKind.SCALE:
        for name in ("scale_min", "scale_max", "scale_min_label", "scale_max_label"):
            del form.fields[name]
    if done := submit_form(
        request,
        form,
        lambda data: services.update_question(
            request.user,
            question,
            text=data["text"],
            key=data["key"],
            required=data["required"],
            help_text=data["help_text"],
            scale_min=data.get("scale_min"),
            scale_max=data.get("scale_max"),
            scale_min_label=data.get("scale_min_label", ""),
            scale_max_label=data.get("scale_max_label", ""),
        ),
        error_field=KEY_TAKEN_ON_KEY,
        success_message=_("The question has been saved."),
        redirect_to=_editor_url(questionnaire, f"question-{question.pk}"),
    ):
        return done
    context = _context(request, space, questionnaire=questionnaire, question=question, form=form)
    return render(request, TEMPLATES + "question_edit.html", context)


@draft_view
@post_only
def question_remove(request, space, questionnaire, question_pk):
    question = _question(questionnaire, question_pk)
    return call_service(
        request,
        services.remove_question,
        request.user,
        question,
        success_message=_("The question “%(text)s” has been removed.") % {"text": question.text},
        redirect_to=_editor_url(questionnaire, "questions"),
    )


@draft_view
@post_only
def question_move(request, space, questionnaire, question_pk):
    question = _question(questionnaire, question_pk)
    direction = request.POST.get("direction", "")
    return call_service(
        request,
        services.move_question,
        request.user,
        question,
        direction,
        redirect_to=_editor_url(questionnaire, f"question-{question.pk}"),
    )


@draft_view
@post_only
def choice_add(request, space, questionnaire, question_pk):
    question = _question(questionnaire, question_pk)
    form = ChoiceForm(request.POST, auto_id=f"id_choice_{question.pk}_%s")
    if done := submit_form(
        request,
        form,
        lambda data: services.add_choice(request.user, question, data["text"]),
        error_field="text",
        success_message=_("The answer option has been added."),
        redirect_to=_editor_url(questionnaire, f"question-{question.pk}"),
    ):
        return done
    return _render_editor(request, space, questionnaire, choice_forms={question.pk: form})


@draft_view
@post_only
def choice_remove(request, space, questionnaire, choice_pk):
    choice = get_object_or_404(
        Choice.objects.select_related("question"), pk=choice_pk, question__questionnaire=questionnaire
    )
    return call_service(
        request,
        services.remove_choice,
        request.user,
        choice,
        success_message=_("The answer option “%(text)s” has been removed.") % {"text": choice.text},
        redirect_to=_editor_url(questionnaire, f"question-{choice.question_id}"),
    )


# --- publishing, closing, copying ------------------------------------------------------------------


@questionnaire_view
@post_only
def questionnaire_publish(request, space, questionnaire):
    was_open = questionnaire.status == QuestionnaireStatus.OPEN
    try:
        services.publish_questionnaire(request.user, questionnaire)
    except services.CycleError as error:
        messages.error(request, error.message)
        if questionnaire.is_draft:
            return _to_editor(questionnaire)
    else:
        if was_open:
            messages.info(request, _("This questionnaire is already published."))
        else:
            messages.success(request, _("The questionnaire has been published. Members can answer it now."))
    return _to_list(space)


@questionnaire_view
@post_only
def questionnaire_close(request, space, questionnaire):
    return call_service(
        request,
        services.close_questionnaire,
        request.user,
        questionnaire,
        success_message=_("The questionnaire has been closed. It takes no more answers."),
        redirect_to=_list_url(space),
    )


@questionnaire_view
@post_only
def questionnaire_copy(request, space, questionnaire):
    try:
        evaluation = services.copy_diagnosis_as_evaluation(request.user, questionnaire)
    except services.CycleError as error:
        messages.error(request, error.message)
        return _to_list(space)
    messages.success(
        request,
        _("An evaluation draft with the same questions is ready. Check it, then publish it at the end of the cycle."),
    )
    return _to_editor(evaluation)


# --- results ---------------------------------------------------------------------------------------


@questionnaire_view
def results(request, space, questionnaire):
    context = _context(request, space, questionnaire=questionnaire, results=reporting.aggregate_results(questionnaire))
    return render(request, TEMPLATES + "results.html", context)


@questionnaire_view
def results_csv(request, space, questionnaire):
    response = HttpResponse(reporting.export_results_csv(questionnaire), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{reporting.export_filename(questionnaire)}"'
    response["Cache-Control"] = "no-store"
    return response


@coordinator_space
def comparison(request, space):
    context = _context(request, space, comparison=reporting.compare_diagnosis_and_evaluation(space, space.cycle))
    return render(request, TEMPLATES + "comparison.html", context)
