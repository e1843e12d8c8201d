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
from django.urls import reverse
from django.utils.translation import gettext as _

from exchange_groups.spaces.permissions import is_site_admin

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


def _form_view(request, forum, template, form_class, act, then, *, initial=None, form_kwargs=None, settled=(), **extra):
    """The body shared by the moderation form pages, after the gate, method and permission checks.

    The form: without `initial` it is bound only to a non-empty POST (`form_class(request.POST or None)`); with
    `initial` a POST always binds it and any other method shows the initial values. On a valid POST
    `act(cleaned_data)` calls the `forums.moderation` service and returns the success message, then the person
    is sent to `then()`; a ForumError goes onto the form, or, when its code is in `settled`, becomes an info
    message and the same redirect. Otherwise the page `forums/moderation/<template>` shows the form and `extra`.
    """
    form_kwargs = form_kwargs or {}
    if initial is None:
        form = form_class(request.POST or None, **form_kwargs)
    elif request.method == "POST":
        form = form_class(request.POST, **form_kwargs)
    else:
        form = form_class(initial=initial, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            message = act(form.cleaned_data)
        except ForumError as error:
            if error.code not in settled:
                _apply_error(form, error)
            else:
                messages.info(request, error.message)
                return redirect(then())
        else:
            messages.success(request, message)
            return redirect(then())
    return render(request, f"forums/moderation/{template}", _context(forum, form=form, **extra))


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

    def lock(data):
        locked = request.POST.get("action") != "unlock"
        moderation.lock_topic(request.user, topic, locked, data["reason"])
        return _("The topic has been closed.") if locked else _("The topic has been reopened.")

    return _form_view(
        request, forum, "topic_lock.html", LockForm, lock, topic.get_absolute_url, category=topic.category, topic=topic
    )


def topic_move(request, topic_id):
    topic, forum, refused = _topic_gate(request, topic_id)
    if refused:
        return refused
    if wrong := _methods(request, "GET", "HEAD", "POST"):
        return wrong
    if refused := _allowed(request, forum, check_can_moderate, request.user, forum):
        return refused

    def move(data):
        moderation.move_topic(request.user, topic, data["category"], data["reason"])
        return _("The topic has been moved.")

    return _form_view(
        request,
        forum,
        "topic_move.html",
        MoveTopicForm,
        move,
        topic.get_absolute_url,
        initial={"category": topic.category_id},
        form_kwargs={"forum": forum},
        category=topic.category,
        topic=topic,
    )


def topic_delete(request, topic_id):
    topic, forum, refused = _topic_gate(request, topic_id)
    if refused:
        return refused
    if wrong := _methods(request, "GET", "HEAD", "POST"):
        return wrong
    if refused := _allowed(request, forum, check_can_moderate, request.user, forum):
        return refused

    def delete(data):
        moderation.delete_topic(request.user, topic, data["reason"])
        return _("The topic has been deleted. Administrators can restore it.")

    return _form_view(
        request,
        forum,
        "topic_delete.html",
        DeleteTopicForm,
        delete,
        topic.category.get_absolute_url,
        category=topic.category,
        topic=topic,
    )


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

    def save(data):
        moderation.set_topic_slow_mode(request.user, topic, data["slow_mode_seconds"])
        return _("The slow mode of the topic has been saved.")

    return _form_view(
        request,
        forum,
        "topic_slow_mode.html",
        TopicSlowModeForm,
        save,
        topic.get_absolute_url,
        initial={"slow_mode_seconds": topic.slow_mode_seconds},
        category=topic.category,
        topic=topic,
    )


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

    def hide(data):
        moderation.hide_post(request.user, post, data["reason"])
        return _("The post has been hidden.")

    return _form_view(
        request,
        forum,
        "post_hide.html",
        HideForm,
        hide,
        lambda: _post_url(topic, post),
        category=topic.category,
        topic=topic,
        post=post,
    )


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

    def edit(data):
        moderation.moderator_edit_post(request.user, post, data["body"], data["reason"])
        return _("The post has been changed.")

    return _form_view(
        request,
        forum,
        "post_moderate.html",
        ModeratorEditForm,
        edit,
        lambda: _post_url(topic, post),
        initial={"body": post.body_source},
        category=topic.category,
        topic=topic,
        post=post,
        quoting=moderation.posts_quoting(post),
    )


def post_report(request, topic_id, post_id):
    topic, forum, post, refused = _post_gate(request, topic_id, post_id)
    if refused:
        return refused
    if wrong := _methods(request, "GET", "HEAD", "POST"):
        return wrong
    if refused := _allowed(request, forum, check_can_report_post, request.user, post):
        return refused

    def report(data):
        moderation.report_post(request.user, post, data["reason"])
        return _("Thank you. The moderators will look at your report.")

    return _form_view(
        request,
        forum,
        "post_report.html",
        ReportForm,
        report,
        lambda: _post_url(topic, post),
        settled=("already_reported",),
        category=topic.category,
        topic=topic,
        post=post,
    )


@login_required
def my_reports(request):
    page = Paginator(moderation.reports_of(request.user), LOG_PER_PAGE).get_page(request.GET.get("strona"))
    reports = moderation.with_availability(request.user, page.object_list)
    return render(request, "forums/moderation/my_reports.html", {"page": page, "reports": reports})


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
    fields = ("slow_mode_seconds", "report_threshold", "public_moderation_log")

    def save(data):
        moderation.update_forum_settings(request.user, forum, **{name: data[name] for name in fields})
        return _("The forum's settings have been saved.")

    return _form_view(
        request,
        forum,
        "forum_settings.html",
        ForumSettingsForm,
        save,
        lambda: reverse("forums:forum_settings", kwargs={"forum_id": forum.pk}),
        initial={name: getattr(forum, name) for name in fields},
        form_kwargs={"default_threshold": default_report_threshold()},
    )


def sanctions(request, forum_id):
    """GET: the sanctions of the forum's space and the form; POST: impose a sanction."""
    forum, refused = _forum_gate(request, forum_id)
    if refused:
        return refused
    initial = {}
    if (chosen := request.GET.get("osoba", "")).isdigit():
        initial["person"] = int(chosen)

    def impose(data):
        person = get_user_model().objects.filter(pk=data["person"]).first()
        moderation.sanction_member(request.user, forum, person, data["kind"], data["reason"], data["ends_at"])
        return _("The sanction has been imposed and the member has been told.")

    return _form_view(
        request,
        forum,
        "sanctions.html",
        SanctionForm,
        impose,
        lambda: reverse("forums:sanctions", kwargs={"forum_id": forum.pk}),
        initial=initial,
        form_kwargs={"people": moderation.sanctionable_people(forum)},
        sanctions=moderation.sanctions_in(forum),
    )


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
