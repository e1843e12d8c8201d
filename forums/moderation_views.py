"""Moderation pages of the forums (issue 6). Thin: look up (404 for outsiders and for deleted topics except to
administrators), gate (login / members only), check the method, check the permission (403 with a message),
validate, call a `forums.moderation` service. Every change is a POST form with CSRF and works without
JavaScript; forms that need a reason have their own GET page.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from exchange_groups.space_permissions import is_site_admin

from . import moderation
from .forms import (
    DecisionForm,
    DeleteTopicForm,
    ForumSettingsForm,
    HideForm,
    LockForm,
    ModeratorEditForm,
    MoveTopicForm,
    ReportForm,
    RestoreForm,
    SanctionForm,
    TopicSlowModeForm,
)
from .models import Sanction, default_report_threshold
from .permissions import (
    check_can_configure_forum,
    check_can_moderate,
    check_can_report_post,
    check_can_restore_topic,
    get_forum_or_404,
    get_post_or_404,
    get_topic_or_404,
)
from .services import ForumError
from .views import _apply_error, _context, _gate, _methods, _post_url, _refused

LOG_PER_PAGE = 50


def _topic_gate(request, topic_id):
    """(topic, forum, refusal response or None)."""
    topic = get_topic_or_404(request.user, topic_id)
    forum = topic.category.forum
    return topic, forum, _gate(request, forum)


def _allowed(request, forum, check, *args):
    """None when `check(*args)` passes, else the 403 page with its message."""
    try:
        check(*args)
    except PermissionDenied as error:
        return _refused(request, forum, error)
    return None


def _form_page(request, template, forum, **extra):
    return render(request, f"forums/moderation/{template}", _context(forum, **extra))


# --- topics ------------------------------------------------------------------------------------------


def topic_pin(request, topic_id):
    topic, forum, refused = _topic_gate(request, topic_id)
    if refused:
        return refused
    if wrong := _methods(request, "POST"):
        return wrong
    if refused := _allowed(request, forum, check_can_moderate, request.user, forum):
        return refused
    pinned = request.POST.get("action") != "unpin"
    moderation.pin_topic(request.user, topic, pinned)
    messages.success(request, _("The topic has been pinned.") if pinned else _("The topic has been unpinned."))
    return redirect(topic.get_absolute_url())


def topic_lock(request, topic_id):
    """GET: the form with an optional reason; POST action=lock|unlock."""
    topic, forum, refused = _topic_gate(request, topic_id)
    if refused:
        return refused
    if wrong := _methods(request, "GET", "HEAD", "POST"):
        return wrong
    if refused := _allowed(request, forum, check_can_moderate, request.user, forum):
        return refused
    form = LockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        locked = request.POST.get("action") != "unlock"
        try:
            moderation.lock_topic(request.user, topic, locked, form.cleaned_data["reason"])
        except ForumError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The topic has been closed.") if locked else _("The topic has been reopened."))
            return redirect(topic.get_absolute_url())
    return _form_page(request, "topic_lock.html", forum, category=topic.category, topic=topic, form=form)


def topic_move(request, topic_id):
    topic, forum, refused = _topic_gate(request, topic_id)
    if refused:
        return refused
    if wrong := _methods(request, "GET", "HEAD", "POST"):
        return wrong
    if refused := _allowed(request, forum, check_can_moderate, request.user, forum):
        return refused
    if request.method == "POST":
        form = MoveTopicForm(request.POST, forum=forum)
        if form.is_valid():
            try:
                moderation.move_topic(request.user, topic, form.cleaned_data["category"], form.cleaned_data["reason"])
            except ForumError as error:
                _apply_error(form, error)
            else:
                messages.success(request, _("The topic has been moved."))
                return redirect(topic.get_absolute_url())
    else:
        form = MoveTopicForm(forum=forum, initial={"category": topic.category_id})
    return _form_page(request, "topic_move.html", forum, category=topic.category, topic=topic, form=form)


def topic_delete(request, topic_id):
    topic, forum, refused = _topic_gate(request, topic_id)
    if refused:
        return refused
    if wrong := _methods(request, "GET", "HEAD", "POST"):
        return wrong
    if refused := _allowed(request, forum, check_can_moderate, request.user, forum):
        return refused
    form = DeleteTopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.delete_topic(request.user, topic, form.cleaned_data["reason"])
        except ForumError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The topic has been deleted. Administrators can restore it."))
            return redirect(topic.category.get_absolute_url())
    return _form_page(request, "topic_delete.html", forum, category=topic.category, topic=topic, form=form)


def topic_restore(request, topic_id):
    topic, forum, refused = _topic_gate(request, topic_id)
    if refused:
        return refused
    if wrong := _methods(request, "POST"):
        return wrong
    if refused := _allowed(request, forum, check_can_restore_topic, request.user, topic):
        return refused
    moderation.restore_topic(request.user, topic)
    messages.success(request, _("The topic has been restored."))
    return redirect(topic.get_absolute_url())


def topic_slow_mode(request, topic_id):
    topic, forum, refused = _topic_gate(request, topic_id)
    if refused:
        return refused
    if wrong := _methods(request, "GET", "HEAD", "POST"):
        return wrong
    if refused := _allowed(request, forum, check_can_moderate, request.user, forum):
        return refused
    if request.method == "POST":
        form = TopicSlowModeForm(request.POST)
        if form.is_valid():
            try:
                moderation.set_topic_slow_mode(request.user, topic, form.cleaned_data["slow_mode_seconds"])
            except ForumError as error:
                _apply_error(form, error)
            else:
                messages.success(request, _("The slow mode of the topic has been saved."))
                return redirect(topic.get_absolute_url())
    else:
        form = TopicSlowModeForm(initial={"slow_mode_seconds": topic.slow_mode_seconds})
    return _form_page(request, "topic_slow_mode.html", forum, category=topic.category, topic=topic, form=form)


@login_required
def deleted_topics(request):
    if not is_site_admin(request.user):
        raise PermissionDenied(_("Only administrators can see deleted topics."))
    page = Paginator(moderation.deleted_topics().order_by("-deleted_at"), LOG_PER_PAGE).get_page(
        request.GET.get("strona")
    )
    return render(request, "forums/moderation/deleted_topics.html", {"page": page})


# --- posts -------------------------------------------------------------------------------------------


def _post_gate(request, topic_id, post_id):
    topic, forum, refused = _topic_gate(request, topic_id)
    post = get_post_or_404(request.user, post_id, topic=topic) if refused is None else None
    return topic, forum, post, refused


def post_hide(request, topic_id, post_id):
    topic, forum, post, refused = _post_gate(request, topic_id, post_id)
    if refused:
        return refused
    if wrong := _methods(request, "GET", "HEAD", "POST"):
        return wrong
    if refused := _allowed(request, forum, check_can_moderate, request.user, forum):
        return refused
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.hide_post(request.user, post, form.cleaned_data["reason"])
        except ForumError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The post has been hidden."))
            return redirect(_post_url(topic, post))
    return _form_page(request, "post_hide.html", forum, category=topic.category, topic=topic, post=post, form=form)


def post_restore(request, topic_id, post_id):
    topic, forum, post, refused = _post_gate(request, topic_id, post_id)
    if refused:
        return refused
    if wrong := _methods(request, "POST"):
        return wrong
    if refused := _allowed(request, forum, check_can_moderate, request.user, forum):
        return refused
    form = RestoreForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    moderation.restore_post(request.user, post, reason)
    messages.success(request, _("The post has been restored."))
    return redirect(_post_url(topic, post))


def post_moderate(request, topic_id, post_id):
    """A moderator's edit of any post."""
    topic, forum, post, refused = _post_gate(request, topic_id, post_id)
    if refused:
        return refused
    if wrong := _methods(request, "GET", "HEAD", "POST"):
        return wrong
    if refused := _allowed(request, forum, check_can_moderate, request.user, forum):
        return refused
    if request.method == "POST":
        form = ModeratorEditForm(request.POST)
        if form.is_valid():
            try:
                moderation.moderator_edit_post(
                    request.user, post, form.cleaned_data["body"], form.cleaned_data["reason"]
                )
            except ForumError as error:
                _apply_error(form, error)
            else:
                messages.success(request, _("The post has been changed."))
                return redirect(_post_url(topic, post))
    else:
        form = ModeratorEditForm(initial={"body": post.body_source})
    return _form_page(request, "post_moderate.html", forum, category=topic.category, topic=topic, post=post, form=form)


def post_report(request, topic_id, post_id):
    topic, forum, post, refused = _post_gate(request, topic_id, post_id)
    if refused:
        return refused
    if wrong := _methods(request, "GET", "HEAD", "POST"):
        return wrong
    if refused := _allowed(request, forum, check_can_report_post, request.user, post):
        return refused
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.report_post(request.user, post, form.cleaned_data["reason"])
        except ForumError as error:
            if error.code != "already_reported":
                _apply_error(form, error)
            else:
                messages.info(request, error.message)
                return redirect(_post_url(topic, post))
        else:
            messages.success(request, _("Thank you. The moderators will look at your report."))
            return redirect(_post_url(topic, post))
    return _form_page(request, "post_report.html", forum, category=topic.category, topic=topic, post=post, form=form)


@login_required
def my_reports(request):
    page = Paginator(moderation.reports_of(request.user), LOG_PER_PAGE).get_page(request.GET.get("strona"))
    return render(request, "forums/moderation/my_reports.html", {"page": page})


# --- the forum's moderation pages ----------------------------------------------------------------------


def _forum_gate(request, forum_id, check=check_can_moderate):
    forum = get_forum_or_404(request.user, forum_id)
    if refused := _gate(request, forum):
        return forum, refused
    return forum, _allowed(request, forum, check, request.user, forum)


def report_queue(request, forum_id):
    forum, refused = _forum_gate(request, forum_id)
    if refused:
        return refused
    posts = list(moderation.report_queue(forum)[:200])
    return render(
        request,
        "forums/moderation/report_queue.html",
        _context(forum, posts=posts, decision_form=DecisionForm()),
    )


def report_decide(request, forum_id, post_id):
    forum = get_forum_or_404(request.user, forum_id)
    if refused := _gate(request, forum):
        return refused
    post = get_post_or_404(request.user, post_id)
    if post.topic.category.forum_id != forum.pk:
        raise Http404(_("No such forum page."))
    if wrong := _methods(request, "POST"):
        return wrong
    if refused := _allowed(request, forum, check_can_moderate, request.user, forum):
        return refused
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            moderation.decide_reports(request.user, post, form.cleaned_data["decision"], form.cleaned_data["reason"])
        except ForumError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The decision has been saved and the reporters have been told."))
            return redirect("forums:report_queue", forum_id=forum.pk)
    posts = list(moderation.report_queue(forum)[:200])
    return render(
        request,
        "forums/moderation/report_queue.html",
        _context(forum, posts=posts, decision_form=DecisionForm(), failed_form=form, failed_post_id=post.pk),
        status=400,
    )


def moderation_log(request, forum_id):
    forum, refused = _forum_gate(request, forum_id)
    if refused:
        return refused
    page = Paginator(moderation.moderation_log(forum), LOG_PER_PAGE).get_page(request.GET.get("strona"))
    return render(request, "forums/moderation/log.html", _context(forum, page=page, public=False))


def public_log(request, forum_id):
    forum = get_forum_or_404(request.user, forum_id)
    if refused := _gate(request, forum):
        return refused
    if not forum.public_moderation_log:
        raise Http404(_("No such forum page."))
    page = Paginator(moderation.public_log(forum), LOG_PER_PAGE).get_page(request.GET.get("strona"))
    return render(request, "forums/moderation/log.html", _context(forum, page=page, public=True))


def forum_settings(request, forum_id):
    forum, refused = _forum_gate(request, forum_id, check=check_can_configure_forum)
    if refused:
        return refused
    default = default_report_threshold()
    if request.method == "POST":
        form = ForumSettingsForm(request.POST, default_threshold=default)
        if form.is_valid():
            data = form.cleaned_data
            try:
                moderation.update_forum_settings(
                    request.user,
                    forum,
                    slow_mode_seconds=data["slow_mode_seconds"],
                    report_threshold=data["report_threshold"],
                    public_moderation_log=data["public_moderation_log"],
                )
            except ForumError as error:
                _apply_error(form, error)
            else:
                messages.success(request, _("The forum's settings have been saved."))
                return redirect("forums:forum_settings", forum_id=forum.pk)
    else:
        form = ForumSettingsForm(
            default_threshold=default,
            initial={
                "slow_mode_seconds": forum.slow_mode_seconds,
                "report_threshold": forum.report_threshold,
                "public_moderation_log": forum.public_moderation_log,
            },
        )
    return render(request, "forums/moderation/forum_settings.html", _context(forum, form=form))


def sanctions(request, forum_id):
    """GET: the sanctions of the forum's space and the form; POST: impose a sanction."""
    forum, refused = _forum_gate(request, forum_id)
    if refused:
        return refused
    people = moderation.sanctionable_people(forum)
    if request.method == "POST":
        form = SanctionForm(request.POST, people=people)
        if form.is_valid():
            data = form.cleaned_data
            person = get_user_model().objects.filter(pk=data["person"]).first()
            try:
                moderation.sanction_member(request.user, forum, person, data["kind"], data["reason"], data["ends_at"])
            except ForumError as error:
                _apply_error(form, error)
            else:
                messages.success(request, _("The sanction has been imposed and the member has been told."))
                return redirect("forums:sanctions", forum_id=forum.pk)
    else:
        initial = {}
        if (chosen := request.GET.get("osoba", "")).isdigit():
            initial["person"] = int(chosen)
        form = SanctionForm(people=people, initial=initial)
    items = moderation.sanctions_in(forum)
    return render(request, "forums/moderation/sanctions.html", _context(forum, form=form, sanctions=items))


def sanction_lift(request, forum_id, sanction_id):
    forum = get_forum_or_404(request.user, forum_id)
    if refused := _gate(request, forum):
        return refused
    sanction = get_object_or_404(Sanction, pk=sanction_id, space_id=forum.space_id)
    if wrong := _methods(request, "POST"):
        return wrong
    if refused := _allowed(request, forum, check_can_moderate, request.user, forum):
        return refused
    moderation.lift_sanction(request.user, sanction, forum)
    messages.success(request, _("The sanction has been lifted."))
    return redirect("forums:sanctions", forum_id=forum.pk)
