"""Pages of the forums. Everything works without JavaScript: plain links and POST forms.

State changed by a GET (both idempotent bookkeeping, nothing another person sees): opening a topic page moves
the person's own read mark forward to the posts shown; `fora/` and `fora/przestrzen/<slug>/` make the site-wide
forum or the space's forum if it is missing (normally made by the data migration and the Space signal).

Privacy and refusals (`forums.shortcuts`): the object lookups (`get_*_or_404`) come first on every URL, so a
private space's forum answers 404 to anybody who is not a member (also to anonymous visitors, and before the
method is checked). Then a visitor who is not logged in is sent to the login page, and a logged-in non-member
of a public space gets a friendly 403 page; both through the site's handler403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from exchange_groups.spaces.permissions import get_space_or_404
from oswiata_kit.uploads import safe_download_response
from oswiata_kit.views import call_service, post_only, submit_form

from . import reading, services
from .attachments import attachment_content_type
from .forms import EditForm, ReplyForm, SearchForm, TopicForm
from .mentions import autocomplete
from .models import Forum, Topic
from .payloads import resync_payload
from .permissions import (
    can_post,
    can_read_forum,
    can_see_restricted_revisions,
    check_can_edit_post,
    check_can_post,
    get_forum_or_404,
    get_topic_or_404,
    readable_forums,
)
from .shortcuts import (
    attachment_view,
    category_view,
    check_forum,
    form_page,
    forum_context,
    forum_view,
    post_url,
    post_view,
    refused_in_forum,
    requires,
    topic_post_view,
    topic_view,
)

TOPICS_PER_PAGE = 25


# --- lists -------------------------------------------------------------------------------------------


@login_required
def index(request):
    services.ensure_site_forum()
    forums = readable_forums(request.user).select_related("space").order_by("-is_site_wide", "name")
    return render(request, "forums/index.html", {"forums": forums, "search_form": SearchForm()})


def space_forum(request, slug):
    space = get_space_or_404(request.user, slug)
    forum = services.ensure_forum(space)
    check_forum(request, forum)
    return redirect(forum.get_absolute_url())


@forum_view
def forum_detail(request, forum):
    categories = []
    for category in forum.categories.all():
        topics = category.topics.filter(deleted_at__isnull=True)
        categories.append(
            {
                "category": category,
                "topic_count": topics.count(),
                "latest": topics.order_by("-last_post_at").first(),
            }
        )
    return render(
        request,
        "forums/forum.html",
        forum_context(forum, categories=categories, can_post=can_post(request.user, forum)),
    )


@category_view
def category_detail(request, category):
    forum = category.forum
    topics = services.topics_with_unread(
        request.user, category.topics.filter(deleted_at__isnull=True).select_related("author").prefetch_related("tags")
    ).order_by("-pinned", "-last_post_at", "-pk")
    page = Paginator(topics, TOPICS_PER_PAGE).get_page(request.GET.get("strona"))
    return render(
        request,
        "forums/category.html",
        forum_context(
            forum,
            category=category,
            page=page,
            can_post=can_post(request.user, forum),
            watching=services.is_watching(request.user, category=category),
        ),
    )


@login_required
def search(request):
    form = SearchForm(request.GET or None)
    results = []
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            results = list(services.search_posts(request.user, query))
    return render(request, "forums/search.html", {"form": form, "query": query, "results": results})


# --- topics ------------------------------------------------------------------------------------------


@category_view
@form_page
@requires(check_can_post)
def topic_new(request, category):
    forum = category.forum
    form = TopicForm(request.POST, request.FILES) if request.method == "POST" else TopicForm()

    def start(data):
        return services.create_topic(
            request.user,
            category,
            data["title"],
            data["body"],
            tags=data["tags"],
            client_msg_id=data.get("client_msg_id"),
            attachments=data["attachments"],
        )

    answer = submit_form(
        request,
        form,
        start,
        success_message=_("The topic has been started."),
        redirect_to=Topic.get_absolute_url,
    )
    return answer or render(request, "forums/topic_new.html", forum_context(forum, category=category, form=form))


def _topic_page(request, topic: Topic, reply_form=None, status=200):
    context = reading.topic_page_context(request, topic, reply_form)
    if context["first_unread"] is not None and not context["unread_on_this_page"]:
        context["first_unread_url"] = post_url(topic, context["first_unread"])
    return render(request, "forums/topic.html", context, status=status)


@topic_view
@post_only
def topic_mark_read(request, topic):
    """Move the person's read mark to `seq` (the last post of the page they read); never backwards."""
    raw = request.POST.get("seq", "")
    if raw.isdigit() and len(raw) < 19:
        services.mark_topic_read(request.user, topic, int(raw))
        messages.success(request, _("The posts are marked as read."))
    else:
        messages.error(request, _("The posts could not be marked as read. Reload the page and try again."))
    page = request.POST.get("strona", "")
    url = topic.get_absolute_url() + (f"?strona={page}" if page.isdigit() else "")
    return redirect(url)


@topic_view
@require_safe
def topic_detail(request, topic):
    return _topic_page(request, topic)


@topic_view
@post_only
def topic_reply(request, topic):
    form = ReplyForm(request.POST, request.FILES)

    def reply(data):
        quoted = topic.posts.filter(pk=data["quoted_post"]).first() if data.get("quoted_post") else None
        return services.create_post(
            request.user,
            topic,
            data["body"],
            client_msg_id=data.get("client_msg_id"),
            quoted_post=quoted,
            attachments=data["attachments"],
        )

    with refused_in_forum(topic.category.forum):
        answer = submit_form(
            request,
            form,
            reply,
            # A repeated submission (the same client_msg_id) adds nothing and says nothing.
            success_message=lambda result: _("Your reply has been added.") if result[1] else None,
            redirect_to=lambda result: post_url(result[0].topic, result[0]),
        )
    return answer or _topic_page(request, topic, reply_form=form)


@post_view
def post_permalink(request, post):
    return redirect(post_url(post.topic, post))


@topic_post_view
@form_page
def post_edit(request, topic, post):
    forum = topic.category.forum
    with refused_in_forum(forum):
        check_can_edit_post(request.user, post)
    form = EditForm(request.POST) if request.method == "POST" else EditForm(initial={"body": post.body_source})
    with refused_in_forum(forum):
        answer = submit_form(
            request,
            form,
            lambda data: services.edit_post(request.user, post, data["body"]),
            success_message=_("The post has been changed."),
            redirect_to=lambda _result: post_url(topic, post),
        )
    return answer or render(
        request,
        "forums/post_edit.html",
        forum_context(
            forum,
            category=topic.category,
            topic=topic,
            post=post,
            form=form,
            mentions_url=reverse("forums:mentions", kwargs={"forum_id": forum.pk}),
        ),
    )


@topic_post_view
def post_history(request, topic, post):
    forum = topic.category.forum
    full = can_see_restricted_revisions(request.user, post)
    if post.hidden and not full:
        raise Http404(_("No such forum page."))
    # Versions a moderator's edit withheld: members see only that a moderator changed the post (and when; the
    # reason where the forum's moderation log is public), never the text or the moderator's name.
    entries = [
        {"revision": revision, "withheld": revision.restricted and not full}
        for revision in post.revisions.select_related("edited_by").order_by("-edited_at", "-pk")
        if full or not revision.restricted or revision.by_moderator
    ]
    return render(
        request,
        "forums/post_history.html",
        forum_context(
            forum,
            category=topic.category,
            topic=topic,
            post=post,
            entries=entries,
            full_history=full,
            show_reason=full or forum.public_moderation_log,
        ),
    )


@topic_post_view
@post_only
def post_like(request, topic, post):
    like = services.unlike_post if request.POST.get("action") == "unlike" else services.like_post
    return call_service(request, like, request.user, post, redirect_to=post_url(topic, post))


@topic_view
@post_only
def topic_watch(request, topic):
    if request.POST.get("action") == "unwatch":
        services.unwatch(request.user, topic=topic)
        messages.success(request, _("You no longer watch this topic."))
    else:
        services.watch(request.user, topic=topic)
        messages.success(request, _("You are watching this topic."))
    return redirect(topic.get_absolute_url())


@category_view
@post_only
def category_watch(request, category):
    if request.POST.get("action") == "unwatch":
        services.unwatch(request.user, category=category)
        messages.success(request, _("You no longer watch this category."))
    else:
        services.watch(request.user, category=category)
        messages.success(request, _("You are watching this category."))
    return redirect(category.get_absolute_url())


# --- JSON for the scripts ----------------------------------------------------------------------------
# The scripts' addresses answer refusals in JSON (401 to log in, 403), not with a page: they keep their own gate.


def _json_refusal(request, forum: Forum):
    """None when the person reads the forum, else the JSON refusal."""
    if can_read_forum(request.user, forum):
        return None
    if not request.user.is_authenticated:
        return JsonResponse({"error": "login_required"}, status=401)
    return JsonResponse({"error": "forbidden"}, status=403)


def topic_since(request, topic_id, seq):
    """Posts changed after `seq`: the live socket's resync answer (`payloads.resync_payload`), over HTTP."""
    topic = get_topic_or_404(request.user, topic_id)
    return _json_refusal(request, topic.category.forum) or _topic_since(request, topic, seq)


@require_safe
def _topic_since(request, topic, seq):
    answer = resync_payload(topic, seq, request.user)
    if answer is None:  # the checks above already refuse whoever may not read the topic
        return JsonResponse({"error": "forbidden"}, status=403)
    return JsonResponse(answer)


def mentions(request, forum_id):
    forum = get_forum_or_404(request.user, forum_id)
    return _json_refusal(request, forum) or _mentions(request, forum)


@require_safe
def _mentions(request, forum):
    return JsonResponse({"results": autocomplete(forum, request.GET.get("q", "")[:60])})


# --- files -------------------------------------------------------------------------------------------


@attachment_view
@require_safe
def attachment_download(request, attachment):
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("No such forum page.")) from None
    name = attachment.original_filename or f"plik.{attachment.extension}"
    return safe_download_response(handle, name, attachment_content_type(attachment.extension))
