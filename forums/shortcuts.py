"""What the forum pages share: finding the forum's object, the gate, the refusal pages and the page context.

Every forum page answers in this order (`views` and `moderation_views` declare it with the decorators below):

1. the object the URL names is a 404 to anyone who may not know it exists (`get_*_or_404`: a private space's
   forum to outsiders, a deleted topic to all but administrators), before any other answer;
2. a person who may not read the forum is refused (`check_forum`): the site's handler403 sends an anonymous
   visitor to log in, anybody else gets the forum's "members only" page (403);
3. a second object inside the forum (a post, a sanction) is a 404 when it is not there;
4. the method: put `oswiata_kit.views.post_only` (or Django's `require_safe` / `require_http_methods`) *under*
   the loading decorator, so a GET to a POST-only page of a private forum is still a 404 to outsiders;
5. the right to act: `requires(check)` under the method decorator, or `refused_in_forum(forum)` around a check
   or a service call made later; a refusal is the forum's "not allowed" page (403) with the reason.

A refusal is an `oswiata_kit.views.Refusal` naming its page: the site's handler403 renders it.
"""

import functools
import math

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oswiata_kit.views import refusal_page

from .models import Category, Forum, Sanction, Topic
from .permissions import (
    check_can_read_forum,
    get_attachment_or_404,
    get_category_or_404,
    get_forum_or_404,
    get_post_or_404,
    get_topic_or_404,
)

MEMBERS_ONLY = "forums/members_only.html"
NOT_ALLOWED = "forums/not_allowed.html"

POSTS_PER_PAGE = 30

#: Step 4 of a form page (GET, HEAD and POST; else 405). A POST-only page uses `oswiata_kit.views.post_only`.
form_page = require_http_methods(["GET", "HEAD", "POST"])


# --- the page context and addresses ----------------------------------------------------------------------


def forum_context(forum: Forum, **extra) -> dict:
    """The context every forum page needs (its breadcrumbs and the space's frame)."""
    context = {"forum": forum, "space": forum.space}
    context.update(extra)
    return context


def page_of(topic: Topic, post) -> int:
    """The page of the topic that shows `post`."""
    position = topic.posts.filter(seq__lte=post.seq).count()
    return max(1, math.ceil(position / POSTS_PER_PAGE))


def post_url(topic: Topic, post) -> str:
    """The address of `post` on its page of the topic."""
    page = page_of(topic, post)
    query = f"?strona={page}" if page > 1 else ""
    return f"{reverse('forums:topic', kwargs={'topic_id': topic.pk})}{query}#post-{post.pk}"


def forum_of(thing) -> Forum:
    """The forum of a forum, category, topic or post."""
    if isinstance(thing, Forum):
        return thing
    if isinstance(thing, Category):
        return thing.forum
    if isinstance(thing, Topic):
        return thing.category.forum
    return thing.topic.category.forum


# --- refusals ------------------------------------------------------------------------------------------------


def check_forum(request, forum: Forum) -> None:
    """Step 2: returns when the person reads the forum, else raises the members-only refusal."""
    with refusal_page(MEMBERS_ONLY, forum=forum):
        check_can_read_forum(request.user, forum)


def refused_in_forum(forum: Forum):
    """Show a PermissionDenied raised inside (a `check_*`, a service) as the forum's "not allowed" page.

    with refused_in_forum(forum):
        check_can_edit_post(request.user, post)
    """
    return refusal_page(NOT_ALLOWED, forum=forum)


def requires(check):
    """Step 5 for a rule about the forum: `check(user, forum)` (the forum of the view's first object) must pass."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, thing, *args, **kwargs):
            forum = forum_of(thing)
            with refused_in_forum(forum):
                check(request.user, forum)
            return view(request, thing, *args, **kwargs)

        return wrapper

    return decorator


# --- views of one object (steps 1 to 3) ------------------------------------------------------------------------


def _loading(find):
    """A view decorator: `find(request, **url_kwargs)` returns the view's objects, handed to it in that order."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, **kwargs):
            return view(request, *find(request, **kwargs))

        return wrapper

    return decorator


def _forum(request, forum_id):
    forum = get_forum_or_404(request.user, forum_id)
    check_forum(request, forum)
    return (forum,)


def _category(request, forum_id, category_slug):
    category = get_category_or_404(request.user, forum_id, category_slug)
    check_forum(request, category.forum)
    return (category,)


def _topic(request, topic_id):
    topic = get_topic_or_404(request.user, topic_id)
    check_forum(request, topic.category.forum)
    return (topic,)


def _topic_post(request, topic_id, post_id):
    (topic,) = _topic(request, topic_id)
    return topic, get_post_or_404(request.user, post_id, topic=topic)


def _post(request, post_id):
    post = get_post_or_404(request.user, post_id)
    check_forum(request, post.topic.category.forum)
    return (post,)


def _forum_post(request, forum_id, post_id):
    (forum,) = _forum(request, forum_id)
    post = get_post_or_404(request.user, post_id)
    if post.topic.category.forum_id != forum.pk:
        raise Http404(_("No such forum page."))
    return forum, post


def _forum_sanction(request, forum_id, sanction_id):
    (forum,) = _forum(request, forum_id)
    return forum, get_object_or_404(Sanction, pk=sanction_id, space_id=forum.space_id)


def _attachment(request, attachment_id):
    attachment = get_attachment_or_404(request.user, attachment_id)
    check_forum(request, attachment.post.topic.category.forum)
    return (attachment,)


#: `forum_id` → `view(request, forum)`.
forum_view = _loading(_forum)
#: `forum_id`, `category_slug` → `view(request, category)`.
category_view = _loading(_category)
#: `topic_id` → `view(request, topic)`.
topic_view = _loading(_topic)
#: `topic_id`, `post_id` → `view(request, topic, post)` (the post is looked up after the gate).
topic_post_view = _loading(_topic_post)
#: `post_id` → `view(request, post)`.
post_view = _loading(_post)
#: `forum_id`, `post_id` of a post in that forum → `view(request, forum, post)`.
forum_post_view = _loading(_forum_post)
#: `forum_id`, `sanction_id` of a sanction in the forum's space → `view(request, forum, sanction)`.
forum_sanction_view = _loading(_forum_sanction)
#: `attachment_id` → `view(request, attachment)`.
attachment_view = _loading(_attachment)
