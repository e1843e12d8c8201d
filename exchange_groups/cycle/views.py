"""Pages of the yearly cycle of a space: the work plan, the questionnaires (needs diagnosis, evaluation),
answering them, the coordinators' editing of drafts, results, the CSV export and the comparison of the
diagnosis with the evaluation.

Privacy: every view starts with `get_space_or_404`, so a private space answers 404 to outsiders on every
URL and method. Member pages send anonymous visitors to the login page and show other people a "members
only" page (403); coordinator pages show members a "coordinators only" page (403). State changes are POST
only and go through the services in `cycle.py`.
"""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from exchange_groups.cycle import planning, reporting, services
from exchange_groups.cycle.forms import ChoiceForm, QuestionForm, QuestionnaireForm, WorkPlanForm, WorkPlanItemForm
from exchange_groups.cycle.permissions import can_answer, can_manage_cycle, can_see_questionnaire, can_view_cycle
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
from exchange_groups.spaces.permissions import get_space_or_404, is_member
from exchange_groups.spaces.shortcuts import form_data, post_only, refuse, space_context

TEMPLATES = "exchange_groups/cycle/"


def _already_answered() -> str:
    return _("You have already answered this questionnaire. Your answers were saved earlier and have not been changed.")


# --- helpers ---------------------------------------------------------------------------------------


def _context(request, space, **extra):
    context = space_context(request, space)
    context["can_manage_cycle"] = can_manage_cycle(request.user, space)
    context.update(extra)
    return context


def _refuse(request, space, template):
    return refuse(request, template, _context(request, space))


def _member_space(request, slug):
    """(space, None) for members and site administrators, else (space, refusal)."""
    space = get_space_or_404(request.user, slug)
    if not can_view_cycle(request.user, space):
        return space, _refuse(request, space, "exchange_groups/spaces/members_only.html")
    return space, None


def _coordinator_space(request, slug):
    space, refused = _member_space(request, slug)
    if refused:
        return space, refused
    if not can_manage_cycle(request.user, space):
        return space, _refuse(request, space, TEMPLATES + "coordinators_only.html")
    return space, None


def _questionnaire(request, space, pk) -> Questionnaire:
    questionnaire = Questionnaire.objects.filter(space=space, pk=pk).select_related("space").first()
    if questionnaire is None or not can_see_questionnaire(request.user, questionnaire):
        raise Http404(_("No such questionnaire."))
    return questionnaire


def _editable(request, space, pk):
    """(questionnaire, None) for a draft, or (questionnaire, redirect) with a message when it is published."""
    questionnaire = _questionnaire(request, space, pk)
    if not questionnaire.is_draft:
        messages.error(
            request,
            services.frozen_message(),
        )
        return questionnaire, redirect("exchange_groups:cycle_questionnaires", slug=space.slug)
    return questionnaire, None


def _to_editor(questionnaire, anchor=""):
    url = reverse(
        "exchange_groups:cycle_questionnaire_edit", kwargs={"slug": questionnaire.space.slug, "pk": questionnaire.pk}
    )
    return redirect(url + (f"#{anchor}" if anchor else ""))


def _to_plan(space, anchor=""):
    url = reverse("exchange_groups:cycle_work_plan", kwargs={"slug": space.slug})
    return redirect(url + (f"#{anchor}" if anchor else ""))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --- the work plan ---------------------------------------------------------------------------------


def work_plan(request, slug):
    space, refused = _member_space(request, slug)
    if refused:
        return refused
    plan = planning.get_work_plan(space)
    manage = can_manage_cycle(request.user, space)
    form = None
    if manage:
        initial = {"goals": plan.goals, "themes": plan.themes} if plan else {}
        form = WorkPlanForm(form_data(request), initial=initial, auto_id="id_plan_%s")
    elif request.method == "POST":
        return _refuse(request, space, TEMPLATES + "coordinators_only.html")
    if request.method == "POST" and form.is_valid():
        try:
            planning.update_work_plan(request.user, space, **form.cleaned_data)
        except services.CycleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The goals and themes of the work plan have been saved."))
            return _to_plan(space)
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


def work_plan_item_add(request, slug):
    space, refused = _coordinator_space(request, slug)
    if refused:
        return refused
    form = WorkPlanItemForm(form_data(request), cycle=space.cycle, auto_id="id_item_%s")
    if request.method == "POST" and form.is_valid():
        try:
            item = planning.add_work_plan_item(request.user, space, **form.cleaned_data)
        except services.CycleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("“%(title)s” has been added to the work plan.") % {"title": item.title})
            return _to_plan(space, f"item-{item.pk}")
    context = _context(request, space, form=form, item=None)
    return render(request, TEMPLATES + "work_plan_item_form.html", context)


def _item(space, item_pk) -> WorkPlanItem:
    return get_object_or_404(
        WorkPlanItem.objects.select_related("plan__space"), pk=item_pk, plan__space=space, plan__cycle=space.cycle
    )


def work_plan_item_edit(request, slug, item_pk):
    space, refused = _coordinator_space(request, slug)
    if refused:
        return refused
    item = _item(space, item_pk)
    form = WorkPlanItemForm(
        form_data(request), initial=WorkPlanItemForm.initial_for(item), cycle=space.cycle, auto_id="id_item_%s"
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = planning.update_work_plan_item(request.user, item, **form.cleaned_data)
        except services.CycleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("“%(title)s” has been saved.") % {"title": item.title})
            return _to_plan(space, f"item-{item.pk}")
    context = _context(request, space, form=form, item=item)
    return render(request, TEMPLATES + "work_plan_item_form.html", context)


def work_plan_item_remove(request, slug, item_pk):
    space, refused = _coordinator_space(request, slug)
    if refused:
        return refused
    item = _item(space, item_pk)
    if request.method == "POST":
        planning.remove_work_plan_item(request.user, item)
        messages.success(request, _("“%(title)s” has been removed from the work plan.") % {"title": item.title})
        return _to_plan(space, "plan-items")
    return render(request, TEMPLATES + "work_plan_item_remove.html", _context(request, space, item=item))


def work_plan_item_move(request, slug, item_pk):
    space, refused = _coordinator_space(request, slug)
    if refused:
        return refused
    item = _item(space, item_pk)
    if not_allowed := post_only(request):
        return not_allowed
    try:
        planning.move_work_plan_item(request.user, item, request.POST.get("direction", ""))
    except services.CycleError as error:
        messages.error(request, error.message)
    return _to_plan(space, f"item-{item.pk}")


# --- questionnaires: list and creation -------------------------------------------------------------


def questionnaire_list(request, slug):
    space, refused = _member_space(request, slug)
    if refused:
        return refused
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
    return render(request, TEMPLATES + "questionnaire_list.html", context)


def questionnaire_new(request, slug):
    space, refused = _coordinator_space(request, slug)
    if refused:
        return refused
    form = QuestionnaireForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            questionnaire = services.create_questionnaire(request.user, space, **form.cleaned_data)
        except services.CycleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The draft has been created. Add the questions, then publish it."))
            return _to_editor(questionnaire)
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
def questionnaire_answer(request, slug, pk):
    space, refused = _member_space(request, slug)
    if refused:
        return refused
    questionnaire = _questionnaire(request, space, pk)
    user = request.user
    existing = services.response_of(user, questionnaire)
    member = is_member(user, space)
    context = _context(request, space, questionnaire=questionnaire, existing=existing, is_answering_member=member)
    if request.method == "POST":
        if not member:
            return render(request, TEMPLATES + "members_answer_only.html", context, status=403)
        if existing is not None:
            messages.info(
                request,
                _already_answered(),
            )
            return redirect("exchange_groups:cycle_questionnaires", slug=space.slug)
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
            return redirect("exchange_groups:cycle_questionnaires", slug=space.slug)
        if submitted.created:
            messages.success(request, _("Thank you. Your answers have been saved."))
        else:
            messages.info(
                request,
                _already_answered(),
            )
        return redirect("exchange_groups:cycle_questionnaires", slug=space.slug)
    context.update(items=_answer_items(questionnaire), can_answer=existing is None and can_answer(user, questionnaire))
    return render(request, TEMPLATES + "questionnaire_answer.html", context)


# --- editing drafts (coordinators) -----------------------------------------------------------------


def questionnaire_edit(request, slug, pk):
    space, refused = _coordinator_space(request, slug)
    if refused:
        return refused
    questionnaire, frozen = _editable(request, space, pk)
    if frozen:
        return frozen
    initial = {
        "title": questionnaire.title,
        "intro": questionnaire.intro,
        "opens_at": questionnaire.opens_at,
        "closes_at": questionnaire.closes_at,
    }
    form = QuestionnaireForm(form_data(request), initial=initial, with_kind=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_questionnaire(request.user, questionnaire, **form.cleaned_data)
        except services.CycleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The questionnaire has been saved."))
            return _to_editor(questionnaire)
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


def question_add(request, slug, pk):
    space, refused = _coordinator_space(request, slug)
    if refused:
        return refused
    questionnaire, frozen = _editable(request, space, pk)
    if frozen:
        return frozen
    if not_allowed := post_only(request):
        return not_allowed
    form = QuestionForm(request.POST, auto_id="id_question_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            question = services.add_question(
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
            )
        except services.CycleError as error:
            form.add_error("key" if error.code == "key_taken" else None, error.message)
        else:
            messages.success(request, _("The question has been added."))
            return _to_editor(questionnaire, f"question-{question.pk}")
    return _render_editor(request, space, questionnaire, question_form=form)


def _question(questionnaire, question_pk) -> Question:
    return get_object_or_404(Question, pk=question_pk, questionnaire=questionnaire)


def question_edit(request, slug, pk, question_pk):
    space, refused = _coordinator_space(request, slug)
    if refused:
        return refused
    questionnaire, frozen = _editable(request, space, pk)
    if frozen:
        return frozen
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
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_question(
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
            )
        except services.CycleError as error:
            form.add_error("key" if error.code == "key_taken" else None, error.message)
        else:
            messages.success(request, _("The question has been saved."))
            return _to_editor(questionnaire, f"question-{question.pk}")
    context = _context(request, space, questionnaire=questionnaire, question=question, form=form)
    return render(request, TEMPLATES + "question_edit.html", context)


def question_remove(request, slug, pk, question_pk):
    space, refused = _coordinator_space(request, slug)
    if refused:
        return refused
    questionnaire, frozen = _editable(request, space, pk)
    if frozen:
        return frozen
    question = _question(questionnaire, question_pk)
    if not_allowed := post_only(request):
        return not_allowed
    try:
        services.remove_question(request.user, question)
    except services.CycleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The question “%(text)s” has been removed.") % {"text": question.text})
    return _to_editor(questionnaire, "questions")


def question_move(request, slug, pk, question_pk):
    space, refused = _coordinator_space(request, slug)
    if refused:
        return refused
    questionnaire, frozen = _editable(request, space, pk)
    if frozen:
        return frozen
    question = _question(questionnaire, question_pk)
    if not_allowed := post_only(request):
        return not_allowed
    try:
        services.move_question(request.user, question, request.POST.get("direction", ""))
    except services.CycleError as error:
        messages.error(request, error.message)
    return _to_editor(questionnaire, f"question-{question.pk}")


def choice_add(request, slug, pk, question_pk):
    space, refused = _coordinator_space(request, slug)
    if refused:
        return refused
    questionnaire, frozen = _editable(request, space, pk)
    if frozen:
        return frozen
    question = _question(questionnaire, question_pk)
    if not_allowed := post_only(request):
        return not_allowed
    form = ChoiceForm(request.POST, auto_id=f"id_choice_{question.pk}_%s")
    if form.is_valid():
        try:
            services.add_choice(request.user, question, form.cleaned_data["text"])
        except services.CycleError as error:
            form.add_error("text", error.message)
        else:
            messages.success(request, _("The answer option has been added."))
            return _to_editor(questionnaire, f"question-{question.pk}")
    return _render_editor(request, space, questionnaire, choice_forms={question.pk: form})


def choice_remove(request, slug, pk, choice_pk):
    space, refused = _coordinator_space(request, slug)
    if refused:
        return refused
    questionnaire, frozen = _editable(request, space, pk)
    if frozen:
        return frozen
    choice = get_object_or_404(
        Choice.objects.select_related("question"), pk=choice_pk, question__questionnaire=questionnaire
    )
    if not_allowed := post_only(request):
        return not_allowed
    try:
        services.remove_choice(request.user, choice)
    except services.CycleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The answer option “%(text)s” has been removed.") % {"text": choice.text})
    return _to_editor(questionnaire, f"question-{choice.question_id}")


# --- publishing, closing, copying ------------------------------------------------------------------


def questionnaire_publish(request, slug, pk):
    space, refused = _coordinator_space(request, slug)
    if refused:
        return refused
    questionnaire = _questionnaire(request, space, pk)
    if not_allowed := post_only(request):
        return not_allowed
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
    return redirect("exchange_groups:cycle_questionnaires", slug=space.slug)


def questionnaire_close(request, slug, pk):
    space, refused = _coordinator_space(request, slug)
    if refused:
        return refused
    questionnaire = _questionnaire(request, space, pk)
    if not_allowed := post_only(request):
        return not_allowed
    try:
        services.close_questionnaire(request.user, questionnaire)
    except services.CycleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The questionnaire has been closed. It takes no more answers."))
    return redirect("exchange_groups:cycle_questionnaires", slug=space.slug)


def questionnaire_copy(request, slug, pk):
    space, refused = _coordinator_space(request, slug)
    if refused:
        return refused
    questionnaire = _questionnaire(request, space, pk)
    if not_allowed := post_only(request):
        return not_allowed
    try:
        evaluation = services.copy_diagnosis_as_evaluation(request.user, questionnaire)
    except services.CycleError as error:
        messages.error(request, error.message)
        return redirect("exchange_groups:cycle_questionnaires", slug=space.slug)
    messages.success(
        request,
        _("An evaluation draft with the same questions is ready. Check it, then publish it at the end of the cycle."),
    )
    return _to_editor(evaluation)


# --- results ---------------------------------------------------------------------------------------


def results(request, slug, pk):
    space, refused = _coordinator_space(request, slug)
    if refused:
        return refused
    questionnaire = _questionnaire(request, space, pk)
    context = _context(request, space, questionnaire=questionnaire, results=reporting.aggregate_results(questionnaire))
    return render(request, TEMPLATES + "results.html", context)


def results_csv(request, slug, pk):
    space, refused = _coordinator_space(request, slug)
    if refused:
        return refused
    questionnaire = _questionnaire(request, space, pk)
    response = HttpResponse(reporting.export_results_csv(questionnaire), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{reporting.export_filename(questionnaire)}"'
    response["Cache-Control"] = "no-store"
    return response


def comparison(request, slug):
    space, refused = _coordinator_space(request, slug)
    if refused:
        return refused
    context = _context(request, space, comparison=reporting.compare_diagnosis_and_evaluation(space, space.cycle))
    return render(request, TEMPLATES + "comparison.html", context)
