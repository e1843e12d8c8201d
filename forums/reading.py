"""What a topic page shows, built with a fixed number of queries however many posts it shows.

- The reader's facts (administrator, role or consents, sanction, likes) are looked up once per request
  (`permissions.ForumViewer`), and every post's actions are answered from them.
- The part of a visible post that is the same for every reader — its header, the post it quotes, its body
  (sanitized HTML, stored rendered) and its attachments — is rendered once and kept in the cache
  (`post_fragments`). The key holds everything that part shows: the post's `changed_seq` (a new number on every
  edit, hide and restore), the names it shows, its attachments, the language, the time zone and the
  template's own text. A hidden post is never taken from the cache, and what depends on the reader (the
  like, edit, report and moderation actions, the "hidden" notices) is rendered for each request.
"""

import hashlib
from functools import cache

from django.core.cache import cache as django_cache
from django.core.paginator import Paginator
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from . import services
from .forms import ReplyForm
from .models import Post, Topic
from .permissions import ForumViewer, can_restore_topic
from .sanitize import quote_markdown
from .shortcuts import POSTS_PER_PAGE

FRAGMENT_TEMPLATE = "forums/_post_public.html"
FRAGMENT_TIMEOUT = 7 * 24 * 3600


class _PostCountPaginator(Paginator):
    """Counts the topic's posts without the like-count join of the page's own query."""

    def __init__(self, posts, per_page, count_query):
        super().__init__(posts, per_page)
        self._count_query = count_query

    @cached_property
    def count(self):
        return self._count_query.count()


# The fragment's template and the templates it includes: their text is part of the key.
FRAGMENT_SOURCES = (FRAGMENT_TEMPLATE, "forums/_post_header.html", "forums/_post_content.html")


@cache
def _template_digest() -> str:
    """The templates' own text: a changed template (a new release) never shows fragments of the old one."""
    sources = "\0".join(get_template(name).template.source for name in FRAGMENT_SOURCES)
    return hashlib.sha256(sources.encode()).hexdigest()[:12]


def _fragment_key(post: Post) -> str:
    quoted = post.quoted_post
    shown = [
        post.author.get_full_name() if post.author else None,
        post.edited_at.isoformat() if post.edited_at else None,
        post.edited_by_moderator,
        quoted.pk if quoted else None,
        quoted.hidden if quoted else None,
        (quoted.author.get_full_name() if quoted.author else None) if quoted else None,
        [(a.pk, a.original_filename, a.extension, a.size) for a in post.attachments.all()],
    ]
    digest = hashlib.sha256(repr(shown).encode()).hexdigest()[:16]
    language = translation.get_language()
    zone = timezone.get_current_timezone_name()
    return f"forums:post:{post.pk}:{post.changed_seq}:{language}:{zone}:{_template_digest()}:{digest}"


def post_fragments(topic: Topic, posts) -> dict[int, str]:
    """The reader-independent HTML of each visible post (post id → HTML): one cache read for the page, and the
    posts not there yet are rendered and stored. Hidden posts are left out (their page renders them itself)."""
    keys = {post.pk: _fragment_key(post) for post in posts if not post.hidden}
    found = django_cache.get_many(list(keys.values())) if keys else {}
    fragments, missing = {}, {}
    for post in posts:
        if post.pk not in keys:
            continue
        html = found.get(keys[post.pk])
        if html is None:
            html = render_to_string(FRAGMENT_TEMPLATE, {"post": post, "topic": topic})
            missing[keys[post.pk]] = html
        fragments[post.pk] = mark_safe(html)  # noqa: S308 - our template's output: escaped names, sanitized body
    if missing:
        django_cache.set_many(missing, FRAGMENT_TIMEOUT)
    return fragments


def _reply_form(request, topic: Topic):
    initial = {}
    quoted_id = request.GET.get("cytuj", "")
    if quoted_id.isdigit():
        quoted = topic.posts.select_related("author").filter(pk=int(quoted_id), hidden=False).first()
        if quoted is not None:
            name = quoted.author.get_full_name() if quoted.author else _("a former participant")
            initial = {"body": quote_markdown(name, quoted.body_source), "quoted_post": quoted.pk}
    return ReplyForm(initial=initial)


def _first_unread(topic: Topic, posts: list[Post], page_number: int, read_to: int | None) -> Post | None:
    """The first post after the person's read mark (None: never opened, or nothing new), from the page's own
    posts when it is among them."""
    if read_to is None or read_to >= topic.last_seq:
        return None
    later = [post for post in posts if post.seq > read_to]
    if later and (page_number == 1 or posts[0].seq <= read_to):
        return later[0]
    return topic.posts.filter(seq__gt=read_to).order_by("seq").first()


def topic_page_context(request, topic: Topic, reply_form=None) -> dict:
    """The context of forums/topic.html; `reply_form`: a reply that did not validate (the page then shows the
    last page of posts with the form's errors). The caller adds `first_unread_url`."""
    forum = topic.category.forum
    user = request.user
    viewer = ForumViewer(user, forum)
    paginator = _PostCountPaginator(services.visible_posts(topic), POSTS_PER_PAGE, topic.posts.all())
    page = paginator.get_page(paginator.num_pages if reply_form is not None else request.GET.get("strona"))
    posts = list(page.object_list)
    read_to = services.last_read_seq(user, topic)
    first_unread = _first_unread(topic, posts, page.number, read_to)
    moderator = viewer.moderates
    liked = set()
    if user.is_authenticated and (with_likes := [post.pk for post in posts if post.like_count]):
        liked = set(user.forum_likes.filter(post__in=with_likes).values_list("post_id", flat=True))
    fragments = post_fragments(topic, posts)
    now = timezone.now()
    entries = []
    for post in posts:
        own = user.is_authenticated and post.author_id == user.pk
        entries.append(
            {
                "post": post,
                "public_html": fragments.get(post.pk),
                "first_unread": first_unread is not None and post.pk == first_unread.pk,
                "liked": post.pk in liked,
                "can_like": user.is_authenticated and post.author_id != user.pk and not post.hidden,
                "can_edit": viewer.can_edit(post, now=now),
                "can_report": not moderator and viewer.can_report(post),
                "moderator": moderator,
                "own": own,
                "show_edited": bool(post.edited_at) and (not post.hidden or moderator or own),
            }
        )
    may_reply = not topic.locked and topic.deleted_at is None and viewer.posts  # permissions.can_reply
    if reply_form is None and may_reply:
        reply_form = _reply_form(request, topic)
    # Reading moves the read mark through a POST (the live page sends it over its socket; without JavaScript
    # the "mark as read" button): a GET changes nothing.
    page_read_to = max((post.seq for post in posts), default=0)
    return {
        "forum": forum,
        "space": forum.space,
        "forum_viewer": viewer,
        "category": topic.category,
        "topic": topic,
        "page": page,
        "entries": entries,
        "first_unread": first_unread,
        "first_unread_url": "",
        "unread_on_this_page": any(entry["first_unread"] for entry in entries),
        "reply_form": reply_form if may_reply else None,
        "watching": services.is_watching(user, topic=topic),
        "moderator": moderator,
        "can_restore_topic": can_restore_topic(user, topic),
        "mentions_url": reverse("forums:mentions", kwargs={"forum_id": forum.pk}),
        "page_read_to": page_read_to,
        "page_has_unread": user.is_authenticated and page_read_to > (read_to or 0),
    }
