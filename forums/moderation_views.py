"""Moderation pages of the forums (issue 6). Thin: look up (404 for outsiders and for deleted topics except to
administrators), gate (login / members only), check the method, check the permission (403 with a message),
validate, call a `forums.moderation` service. The decorators of `forums.shortcuts` declare that order. Every
change is a POST form with CSRF and works without JavaScript; forms that need a reason have their own GET page.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from exchange_groups.spaces.permissions import is_site_admin
from oswiata_kit.views import post_only, submit_form

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
from .models import default_report_threshold
from .permissions import (
    check_can_configure_forum,
    check_can_moderate,
    check_can_report_post,
    check_can_restore_topic,
)
from .services import ForumError
from .shortcuts import (
    form_page,
    forum_context,
    forum_post_view,
    forum_sanction_view,
    forum_view,
    post_url,
    refused_in_forum,
    requires,
    topic_post_view,
    topic_view,
)

LOG_PER_PAGE = 50


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

    def acting(data):
        try:
            return act(data)
        except ForumError as error:
            if error.code not in settled:
                raise
            messages.info(request, error.message)  # done before: nothing to add, and no success message
            return None

    answer = submit_form(
        request, form, acting, success_message=lambda message: message, redirect_to=lambda _message: then()
    )
    return answer or render(request, f"forums/moderation/{template}", forum_context(forum, form=form, **extra))


def _topic_form(request, topic, template, form_class, act, then, **options):
    """`_form_view` for a page about a topic (or one of its posts): the forum, category and topic for its frame."""
    forum = topic.category.forum
    return _form_view(request, forum, template, form_class, act, then, category=topic.category, topic=topic, **options)


# --- topics ------------------------------------------------------------------------------------------


@topic_view
@post_only
@requires(check_can_moderate)
def topic_pin(request, topic):
    pinned = request.POST.get("action") != "unpin"
    moderation.pin_topic(request.user, topic, pinned)
    messages.success(request, _("The topic has been pinned.") if pinned else _("The topic has been unpinned."))
    return redirect(topic.get_absolute_url())


@topic_view
@form_page
@requires(check_can_moderate)
def topic_lock(request, topic):
    """GET: the form with an optional reason; POST action=lock|unlock."""

    def lock(data):
        locked = request.POST.get("action") != "unlock"
        moderation.lock_topic(request.user, topic, locked, data["reason"])
        return _("The topic has been closed.") if locked else _("The topic has been reopened.")

    return _topic_form(request, topic, "topic_lock.html", LockForm, lock, topic.get_absolute_url)


@topic_view
@form_page
@requires(check_can_moderate)
def topic_move(request, topic):
    forum = topic.category.forum

    def move(data):
        moderation.move_topic(request.user, topic, data["category"], data["reason"])
        return _("The topic has been moved.")

    return _topic_form(
        request,
        topic,
        "topic_move.html",
        MoveTopicForm,
        move,
        topic.get_absolute_url,
        initial={"category": topic.category_id},
        form_kwargs={"forum": forum},
    )


@topic_view
@form_page
@requires(check_can_moderate)
def topic_delete(request, topic):
    def delete(data):
        moderation.delete_topic(request.user, topic, data["reason"])
        return _("The topic has been deleted. Administrators can restore it.")

    return _topic_form(request, topic, "topic_delete.html", DeleteTopicForm, delete, topic.category.get_absolute_url)


@topic_view
@post_only
def topic_restore(request, topic):
    with refused_in_forum(topic.category.forum):
        check_can_restore_topic(request.user, topic)
    moderation.restore_topic(request.user, topic)
    messages.success(request, _("The topic has been restored."))
    return redirect(topic.get_absolute_url())


@topic_view
@form_page
@requires(check_can_moderate)
def topic_slow_mode(request, topic):
    def save(data):
        moderation.set_topic_slow_mode(request.user, topic, data["slow_mode_seconds"])
        return _("The slow mode of the topic has been saved.")

    return _topic_form(
        request,
        topic,
        "topic_slow_mode.html",
        TopicSlowModeForm,
        save,
        topic.get_absolute_url,
        initial={"slow_mode_seconds": topic.slow_mode_seconds},
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


@topic_post_view
@form_page
@requires(check_can_moderate)
def post_hide(request, topic, post):
    def hide(data):
        moderation.hide_post(request.user, post, data["reason"])
        return _("The post has been hidden.")

    return _topic_form(request, topic, "post_hide.html", HideForm, hide, lambda: post_url(topic, post), post=post)


@topic_post_view
@post_only
@requires(check_can_moderate)
def post_restore(request, topic, post):
    form = RestoreForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    moderation.restore_post(request.user, post, reason)
    messages.success(request, _("The post has been restored."))
    return redirect(post_url(topic, post))


@topic_post_view
@form_page
@requires(check_can_moderate)
def post_moderate(request, topic, post):
    """A moderator's edit of any post."""

    def edit(data):
        moderation.moderator_edit_post(request.user, post, data["body"], data["reason"])
        return _("The post has been changed.")

    return _topic_form(
        request,
        topic,
        "post_moderate.html",
        ModeratorEditForm,
        edit,
        lambda: post_url(topic, post),
        initial={"body": post.body_source},
        post=post,
        quoting=moderation.posts_quoting(post),
    )


@topic_post_view
@form_page
def post_report(request, topic, post):
    with refused_in_forum(topic.category.forum):
        check_can_report_post(request.user, post)

    def report(data):
        moderation.report_post(request.user, post, data["reason"])
        return _("Thank you. The moderators will look at your report.")

    return _topic_form(
        request,
        topic,
        "post_report.html",
        ReportForm,
        report,
        lambda: post_url(topic, post),
        settled=("already_reported",),
        post=post,
    )


@login_required
def my_reports(request):
    page = Paginator(moderation.reports_of(request.user), LOG_PER_PAGE).get_page(request.GET.get("strona"))
    reports = moderation.with_availability(request.user, page.object_list)
    return render(request, "forums/moderation/my_reports.html", {"page": page, "reports": reports})


# --- the forum's moderation pages ----------------------------------------------------------------------


@forum_view
@requires(check_can_moderate)
def report_queue(request, forum):
    posts = list(moderation.report_queue(forum)[:200])
    return render(
        request,
        "forums/moderation/report_queue.html",
        forum_context(forum, posts=posts, decision_form=DecisionForm()),
    )


@forum_post_view
@post_only
@requires(check_can_moderate)
def report_decide(request, forum, post):
    form = DecisionForm(request.POST)
    answer = submit_form(
        request,
        form,
        lambda data: moderation.decide_reports(request.user, post, data["decision"], data["reason"]),
        success_message=_("The decision has been saved and the reporters have been told."),
        redirect_to=reverse("forums:report_queue", kwargs={"forum_id": forum.pk}),
    )
    if answer:
        return answer
    posts = list(moderation.report_queue(forum)[:200])
    return render(
        request,
        "forums/moderation/report_queue.html",
        forum_context(forum, posts=posts, decision_form=DecisionForm(), failed_form=form, failed_post_id=post.pk),
        status=400,
    )


@forum_view
@requires(check_can_moderate)
def moderation_log(request, forum):
    page = Paginator(moderation.moderation_log(forum), LOG_PER_PAGE).get_page(request.GET.get("strona"))
    return render(request, "forums/moderation/log.html", forum_context(forum, page=page, public=False))


@forum_view
def public_log(request, forum):
    if not forum.public_moderation_log:
        raise Http404(_("No such forum page."))
    page = Paginator(moderation.public_log(forum), LOG_PER_PAGE).get_page(request.GET.get("strona"))
    return render(request, "forums/moderation/log.html", forum_context(forum, page=page, public=True))


@forum_view
@requires(check_can_configure_forum)
def forum_settings(request, forum):
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


@forum_view
@requires(check_can_moderate)
def sanctions(request, forum):
    """GET: the sanctions of the forum's space and the form; POST: impose a sanction."""
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


@forum_sanction_view
@post_only
@requires(check_can_moderate)
def sanction_lift(request, forum, sanction):
    moderation.lift_sanction(request.user, sanction, forum)
    messages.success(request, _("The sanction has been lifted."))
    return redirect("forums:sanctions", forum_id=forum.pk)
