"""Pages of the forums. Everything works without JavaScript: plain links and POST forms.

State changed by a GET (both idempotent bookkeeping, nothing another person sees): opening a topic page moves
the person's own read mark forward to the posts shown; `fora/` and `fora/przestrzen/<slug>/` make the site-wide
forum or the space's forum if it is missing (normally made by the data migration and the Space signal).

Privacy: the object lookups (`get_*_or_404`) come first on every URL, so a private space's forum answers 404
to anybody who is not a member (also to anonymous visitors, and before the method is checked). Then a
visitor who is not logged in is sent to the login page, and a logged-in non-member of a public space gets a
friendly 403 page.
"""

import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from exchange_groups.spaces.permissions import get_space_or_404
from oswiata_kit.uploads import safe_download_response

from . import reading, services
from .attachments import attachment_content_type
from .forms import EditForm, ReplyForm, SearchForm, TopicForm
from .mentions import autocomplete
from .models import Forum, Topic
from .payloads import resync_payload
from .permissions import (
    can_edit_post,
    can_post,
    can_read_forum,
    can_see_restricted_revisions,
    check_can_edit_post,
    check_can_post,
    get_attachment_or_404,
    get_category_or_404,
    get_forum_or_404,
    get_post_or_404,
    get_topic_or_404,
    readable_forums,
)

TOPICS_PER_PAGE = 25
POSTS_PER_PAGE = reading.POSTS_PER_PAGE


# --- helpers -----------------------------------------------------------------------------------------


def _gate(request, forum: Forum):
    """None when the person reads the forum; else the login redirect or the members-only page."""
    if can_read_forum(request.user, forum):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "forums/members_only.html", {"forum": forum}, status=403)


def _methods(request, *allowed):
    if request.method not in allowed:
        return HttpResponseNotAllowed(sorted(allowed))
    return None


def _refused(request, forum: Forum, error: PermissionDenied):
    return render(request, "forums/not_allowed.html", {"forum": forum, "message": str(error)}, status=403)


def _page_of(topic: Topic, post) -> int:
    position = topic.posts.filter(seq__lte=post.seq).count()
    return max(1, math.ceil(position / POSTS_PER_PAGE))


def _post_url(topic: Topic, post) -> str:
    page = _page_of(topic, post)
    query = f"?strona={page}" if page > 1 else ""
    return f"{reverse('forums:topic', kwargs={'topic_id': topic.pk})}{query}#post-{post.pk}"


def _context(forum: Forum, **extra):
    context = {"forum": forum, "space": forum.space}
    context.update(extra)
    return context


def _apply_error(form, error: services.ForumError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


# --- lists -------------------------------------------------------------------------------------------


@login_required
def index(request):
    services.ensure_site_forum()
    forums = readable_forums(request.user).select_related("space").order_by("-is_site_wide", "name")
    return render(request, "forums/index.html", {"forums": forums, "search_form": SearchForm()})


def space_forum(request, slug):
    space = get_space_or_404(request.user, slug)
    forum = services.ensure_forum(space)
    if refused := _gate(request, forum):
        return refused
    return redirect(forum.get_absolute_url())


def forum_detail(request, forum_id):
    forum = get_forum_or_404(request.user, forum_id)
    if refused := _gate(request, forum):
        return refused
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
        _context(forum, categories=categories, can_post=can_post(request.user, forum)),
    )


def category_detail(request, forum_id, category_slug):
    category = get_category_or_404(request.user, forum_id, category_slug)
    forum = category.forum
    if refused := _gate(request, forum):
        return refused
    topics = services.topics_with_unread(
        request.user, category.topics.filter(deleted_at__isnull=True).select_related("author").prefetch_related("tags")
    ).order_by("-pinned", "-last_post_at", "-pk")
    page = Paginator(topics, TOPICS_PER_PAGE).get_page(request.GET.get("strona"))
    return render(
        request,
        "forums/category.html",
        _context(
            forum,
            category=category,
            page=page,
            can_post=can_post(request.user, forum),
            watching=services.is_watching(request.user, category=category),
        ),
    )


def search(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = SearchForm(request.GET or None)
    results = []
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            results = list(services.search_posts(request.user, query))
    return render(request, "forums/search.html", {"form": form, "query": query, "results": results})


# --- topics ------------------------------------------------------------------------------------------


def topic_new(request, forum_id, category_slug):
    category = get_category_or_404(request.user, forum_id, category_slug)
    forum = category.forum
    if refused := _gate(request, forum):
        return refused
    if wrong := _methods(request, "GET", "HEAD", "POST"):
        return wrong
    if not can_post(request.user, forum):
        try:
            check_can_post(request.user, forum)
        except PermissionDenied as error:
            return _refused(request, forum, error)
    if request.method == "POST":
        form = TopicForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                topic = services.create_topic(
                    request.user,
                    category,
                    data["title"],
                    data["body"],
                    tags=data["tags"],
                    client_msg_id=data.get("client_msg_id"),
                    attachments=data["attachments"],
                )
            except services.ForumError as error:
                _apply_error(form, error)
            else:
                messages.success(request, _("The topic has been started."))
                return redirect(topic.get_absolute_url())
    else:
        form = TopicForm()
    return render(request, "forums/topic_new.html", _context(forum, category=category, form=form))


def _topic_page(request, topic: Topic, reply_form=None, status=200):
    context = reading.topic_page_context(request, topic, reply_form)
    if context["first_unread"] is not None and not context["unread_on_this_page"]:
        context["first_unread_url"] = _post_url(topic, context["first_unread"])
    return render(request, "forums/topic.html", context, status=status)


def topic_mark_read(request, topic_id):
    """Move the person's read mark to `seq` (the last post of the page they read); never backwards."""
    topic = get_topic_or_404(request.user, topic_id)
    if refused := _gate(request, topic.category.forum):
        return refused
    if wrong := _methods(request, "POST"):
        return wrong
    raw = request.POST.get("seq", "")
    if raw.isdigit() and len(raw) < 19:
        services.mark_topic_read(request.user, topic, int(raw))
        messages.success(request, _("The posts are marked as read."))
    else:
        messages.error(request, _("The posts could not be marked as read. Reload the page and try again."))
    page = request.POST.get("strona", "")
    url = topic.get_absolute_url() + (f"?strona={page}" if page.isdigit() else "")
    return redirect(url)


def topic_detail(request, topic_id):
    topic = get_topic_or_404(request.user, topic_id)
    if refused := _gate(request, topic.category.forum):
        return refused
    if wrong := _methods(request, "GET", "HEAD"):
        return wrong
    return _topic_page(request, topic)


def topic_reply(request, topic_id):
    topic = get_topic_or_404(request.user, topic_id)
    forum = topic.category.forum
    if refused := _gate(request, forum):
        return refused
    if wrong := _methods(request, "POST"):
        return wrong
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        quoted = None
        if data.get("quoted_post"):
            quoted = topic.posts.filter(pk=data["quoted_post"]).first()
        try:
            post, is_new = services.create_post(
                request.user,
                topic,
                data["body"],
                client_msg_id=data.get("client_msg_id"),
                quoted_post=quoted,
                attachments=data["attachments"],
            )
        except PermissionDenied as error:
            return _refused(request, forum, error)
        except services.ForumError as error:
            _apply_error(form, error)
        else:
            if is_new:
                messages.success(request, _("Your reply has been added."))
            return redirect(_post_url(post.topic, post))
    return _topic_page(request, topic, reply_form=form)


def post_permalink(request, post_id):
    post = get_post_or_404(request.user, post_id)
    if refused := _gate(request, post.topic.category.forum):
        return refused
    return redirect(_post_url(post.topic, post))


def post_edit(request, topic_id, post_id):
    topic = get_topic_or_404(request.user, topic_id)
    forum = topic.category.forum
    if refused := _gate(request, forum):
        return refused
    post = get_post_or_404(request.user, post_id, topic=topic)
    if wrong := _methods(request, "GET", "HEAD", "POST"):
        return wrong
    if not can_edit_post(request.user, post):
        try:
            check_can_edit_post(request.user, post)
        except PermissionDenied as error:
            return _refused(request, forum, error)
    if request.method == "POST":
        form = EditForm(request.POST)
        if form.is_valid():
            try:
                services.edit_post(request.user, post, form.cleaned_data["body"])
            except PermissionDenied as error:
                return _refused(request, forum, error)
            except services.ForumError as error:
                _apply_error(form, error)
            else:
                messages.success(request, _("The post has been changed."))
                return redirect(_post_url(topic, post))
    else:
        form = EditForm(initial={"body": post.body_source})
    return render(
        request,
        "forums/post_edit.html",
        _context(
            forum,
            category=topic.category,
            topic=topic,
            post=post,
            form=form,
            mentions_url=reverse("forums:mentions", kwargs={"forum_id": forum.pk}),
        ),
    )


def post_history(request, topic_id, post_id):
    topic = get_topic_or_404(request.user, topic_id)
    forum = topic.category.forum
    if refused := _gate(request, forum):
        return refused
    post = get_post_or_404(request.user, post_id, topic=topic)
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
        _context(
            forum,
            category=topic.category,
            topic=topic,
            post=post,
            entries=entries,
            full_history=full,
            show_reason=full or forum.public_moderation_log,
        ),
    )


def post_like(request, topic_id, post_id):
    topic = get_topic_or_404(request.user, topic_id)
    forum = topic.category.forum
    if refused := _gate(request, forum):
        return refused
    post = get_post_or_404(request.user, post_id, topic=topic)
    if wrong := _methods(request, "POST"):
        return wrong
    try:
        if request.POST.get("action") == "unlike":
            services.unlike_post(request.user, post)
        else:
            services.like_post(request.user, post)
    except services.ForumError as error:
        messages.error(request, error.message)
    return redirect(_post_url(topic, post))


def topic_watch(request, topic_id):
    topic = get_topic_or_404(request.user, topic_id)
    if refused := _gate(request, topic.category.forum):
        return refused
    if wrong := _methods(request, "POST"):
        return wrong
    if request.POST.get("action") == "unwatch":
        services.unwatch(request.user, topic=topic)
        messages.success(request, _("You no longer watch this topic."))
    else:
        services.watch(request.user, topic=topic)
        messages.success(request, _("You are watching this topic."))
    return redirect(topic.get_absolute_url())


def category_watch(request, forum_id, category_slug):
    category = get_category_or_404(request.user, forum_id, category_slug)
    if refused := _gate(request, category.forum):
        return refused
    if wrong := _methods(request, "POST"):
        return wrong
    if request.POST.get("action") == "unwatch":
        services.unwatch(request.user, category=category)
        messages.success(request, _("You no longer watch this category."))
    else:
        services.watch(request.user, category=category)
        messages.success(request, _("You are watching this category."))
    return redirect(category.get_absolute_url())


# --- JSON for the scripts ----------------------------------------------------------------------------


def topic_since(request, topic_id, seq):
    """Posts changed after `seq`: the live socket's resync answer (`payloads.resync_payload`), over HTTP."""
    topic = get_topic_or_404(request.user, topic_id)
    if not can_read_forum(request.user, topic.category.forum):
        if not request.user.is_authenticated:
            return JsonResponse({"error": "login_required"}, status=401)
        return JsonResponse({"error": "forbidden"}, status=403)
    if wrong := _methods(request, "GET", "HEAD"):
        return wrong
    answer = resync_payload(topic, seq, request.user)
    if answer is None:  # the checks above already refuse whoever may not read the topic
        return JsonResponse({"error": "forbidden"}, status=403)
    return JsonResponse(answer)


def mentions(request, forum_id):
    forum = get_forum_or_404(request.user, forum_id)
    if not can_read_forum(request.user, forum):
        if not request.user.is_authenticated:
            return JsonResponse({"error": "login_required"}, status=401)
        return JsonResponse({"error": "forbidden"}, status=403)
    if wrong := _methods(request, "GET", "HEAD"):
        return wrong
    return JsonResponse({"results": autocomplete(forum, request.GET.get("q", "")[:60])})


# --- files -------------------------------------------------------------------------------------------


def attachment_download(request, attachment_id):
    attachment = get_attachment_or_404(request.user, attachment_id)
    forum = attachment.post.topic.category.forum
    if refused := _gate(request, forum):
        return refused
    if wrong := _methods(request, "GET", "HEAD"):
        return wrong
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("No such forum page.")) from None
    name = attachment.original_filename or f"plik.{attachment.extension}"
    return safe_download_response(handle, name, attachment_content_type(attachment.extension))
