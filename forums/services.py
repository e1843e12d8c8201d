"""Services of the forums: every change of forum data goes through these verb-named functions.

Every write runs in a transaction. A change of a post takes the topic's next sequence number under a row
lock (`select_for_update` on the topic; for a new post one `UPDATE ... RETURNING` of the topic), is logged as a
PostEvent and announced to live clients only after the commit (`publisher.publish_after_commit`).
Posting is idempotent: `(author, client_msg_id)` is unique and a retry with the same id returns the post
made the first time (`create_post` answers `(post, False)`).

The post-writing core other modules build on (moderation, the debates' schedule): `take_seq` (the topic's next
sequence number under its row lock), `set_hidden` (hide or restore a post: a new seq, a PostEvent, the live
event) and `lock_topic_for_schedule` (a topic closed by a schedule, with no person acting).
"""

import copy
import re
import unicodedata
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from taggit.utils import parse_tags

from exchange_groups.models import Space, fold
from oswiata_kit.errors import RuleError

from . import publisher
from .attachments import AttachmentError, check_attachments
from .mentions import resolver_for
from .models import (
    RESERVED_CATEGORY_SLUGS,
    Attachment,
    Category,
    Forum,
    Mention,
    Post,
    PostEvent,
    PostEventKind,
    PostLike,
    PostRevision,
    Topic,
    TopicReadMark,
    TopicTag,
    Watch,
)
from .payloads import with_like_count
from .permissions import (
    check_can_edit_post,
    check_can_moderate,
    check_can_post,
    check_can_read_forum,
    check_can_reply,
    check_not_sanctioned,
    readable_forums,
    slow_mode_wait,
)
from .sanitize import SANITIZER_VERSION, PostBodyError, normalize_source, render
from .signals import post_published, send_after_commit

MAX_TITLE_LENGTH = 200
MAX_TAGS = 5
MAX_TAG_LENGTH = 50
SEARCH_LIMIT = 100


class ForumError(RuleError):
    """A forum rule was broken (see `oswiata_kit.errors.RuleError`)."""


# --- forums and categories ---------------------------------------------------------------------------


def _default_language():
    return translation.override(settings.LANGUAGE_CODE)


def ensure_site_forum() -> Forum:
    """The one site-wide forum, made with a first category when it does not exist yet."""
    forum = Forum.objects.filter(is_site_wide=True).first()
    if forum is not None:
        return forum
    with _default_language():
        name = _("Nationwide forum")
        description = _("A forum for everybody taking part in the project, from every JST.")
    try:
        with transaction.atomic():
            forum = Forum.objects.create(is_site_wide=True, name=name, description=description)
            _create_default_category(forum)
    except IntegrityError:
        forum = Forum.objects.get(is_site_wide=True)
    return forum


def ensure_forum(space: Space) -> Forum:
    """The space's forum, made with a first category when it does not exist yet (idempotent)."""
    forum = Forum.objects.filter(space=space).first()
    if forum is not None:
        return forum
    with _default_language():
        name = _("Forum: %(space)s") % {"space": space.name}
    try:
        with transaction.atomic():
            forum = Forum.objects.create(space=space, name=name[:200])
            _create_default_category(forum)
    except IntegrityError:
        forum = Forum.objects.get(space=space)
    return forum


def _create_default_category(forum: Forum) -> Category:
    with _default_language():
        return create_category(forum, _("General discussion"), description=_("Everything that has no other place."))


def create_category(
    forum: Forum, name: str, *, description: str = "", order: int | None = None, slug: str = ""
) -> Category:
    name = " ".join(str(name or "").split())[:120]
    if not name:
        raise ForumError(_("Give the category a name."), "category_name", "name")
    base = (slug or slugify(fold(name)))[:70] or "kategoria"
    candidate, n = base, 1
    while candidate in RESERVED_CATEGORY_SLUGS or Category.objects.filter(forum=forum, slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    if order is None:
        order = Category.objects.filter(forum=forum).count() * 10
    return Category.objects.create(forum=forum, name=name, slug=candidate, description=description, order=order)


# --- text --------------------------------------------------------------------------------------------


def _render(forum: Forum, body: str):
    try:
        return render(body, resolver_for(forum))
    except PostBodyError as error:
        raise ForumError(error.message, error.code, "body") from None


def _clean_title(title: str) -> str:
    title = unicodedata.normalize("NFC", " ".join(str(title or "").split()))
    title = "".join(ch for ch in title if unicodedata.category(ch) != "Cc")
    if not title:
        raise ForumError(_("Give the topic a title."), "title_empty", "title")
    if len(title) > MAX_TITLE_LENGTH:
        raise ForumError(
            _("The title can be at most %(limit)s characters long.") % {"limit": MAX_TITLE_LENGTH},
            "title_long",
            "title",
        )
    return title


def clean_tags(value) -> list[str]:
    names = parse_tags(value) if isinstance(value, str) else [str(v) for v in value or ()]
    result, seen = [], set()
    for name in names:
        name = " ".join(name.split())
        if not name:
            continue
        if len(name) > MAX_TAG_LENGTH:
            raise ForumError(
                _("A tag can be at most %(limit)s characters long.") % {"limit": MAX_TAG_LENGTH}, "tag_length", "tags"
            )
        if name.casefold() not in seen:
            seen.add(name.casefold())
            result.append(name)
    if len(result) > MAX_TAGS:
        raise ForumError(
            ngettext("Give at most %(limit)s tag.", "Give at most %(limit)s tags.", MAX_TAGS) % {"limit": MAX_TAGS},
            "tag_count",
            "tags",
        )
    return result


def _search_text(post_source: str, title: str = "") -> str:
    return fold(f"{title}\n{post_source}")


def _checked_attachments(uploads):
    try:
        return check_attachments(uploads)
    except AttachmentError as error:
        raise ForumError(error.message, error.code, "attachments") from None


# --- sequence ----------------------------------------------------------------------------------------


def take_seq(topic_id: int) -> Topic:
    """Lock the topic row and take its next sequence number (call inside a transaction).

    Every writer of a topic's posts takes it first, then the post's row: one lock order, so concurrent changes
    of one topic queue here and each gets its own seq. Returns the locked topic with `last_seq` the number taken.
    """
    topic = Topic.objects.select_for_update().get(pk=topic_id)
    topic.last_seq += 1
    Topic.objects.filter(pk=topic.pk).update(last_seq=topic.last_seq)
    return topic


def _take_post_seq(topic: Topic, now) -> Topic:
    """Lock the topic row for a new post and count the post in it, in one UPDATE ... RETURNING (call inside a
    transaction): the topic's seq, post count and last post time as the post makes them.

    A copy of `topic` with those values and the row's `locked`, `deleted_at` and `title` as they stand under the
    lock (the caller refuses a deleted or closed topic: raising rolls the update back). Writers of a topic's
    posts take its row first, then the post's: the order `take_seq` keeps."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE forums_topic SET last_seq = last_seq + 1, post_count = post_count + 1, last_post_at = %s "
            "WHERE id = %s RETURNING last_seq, post_count, locked, deleted_at, title, category_id",
            [now, topic.pk],
        )
        row = cursor.fetchone()
    if row is None:
        raise Topic.DoesNotExist
    locked = copy.copy(topic)
    locked.last_seq, locked.post_count, is_locked, deleted_at, locked.title, locked.category_id = row
    locked.locked = bool(is_locked)
    locked.deleted_at = Topic._meta.get_field("deleted_at").to_python(deleted_at)
    locked.last_post_at = now
    return locked


def _log(topic: Topic, post: Post, kind: str) -> None:
    PostEvent.objects.create(topic=topic, post=post, seq=topic.last_seq, kind=kind)
    event = publisher.build_event(kind, topic_id=topic.pk, seq=topic.last_seq, post_id=post.pk)
    # A new post is announced as written (no likes yet): no read-back before the broadcast.
    publisher.publish_after_commit(event, post=post if kind == PostEventKind.CREATED else None)


# --- topics and posts --------------------------------------------------------------------------------


def check_slow_mode(author, forum: Forum, topic: Topic | None = None) -> None:
    """Refuse a post written too soon after the person's previous one (slow mode; moderators are exempt)."""
    wait = slow_mode_wait(author, forum, topic)
    if wait:
        raise ForumError(
            ngettext(
                "Slow mode is on here: please wait %(seconds)s more second before posting again.",
                "Slow mode is on here: please wait %(seconds)s more seconds before posting again.",
                wait,
            )
            % {"seconds": wait},
            "slow_mode",
            "body",
        )


def _existing_post(author, client_msg_id, topic: Topic | None = None) -> Post | None:
    """The post the author already made with this id (a retry), or None. With `topic`: an id the author used
    in another topic is refused (a client that reuses ids across topics is broken: nothing is written)."""
    if client_msg_id is None:
        return None
    posts = Post.objects.filter(author=author, client_msg_id=client_msg_id)
    if topic is None:
        return posts.select_related("topic").first()
    post = posts.first()
    if post is not None and post.topic_id != topic.pk:
        raise ForumError(_("The message could not be understood. Reload the page and try again."), "bad_request")
    if post is not None:
        post.topic = topic  # the caller's topic: no join, no lazy load
    return post


def _as_uuid(value) -> uuid.UUID:
    if value in (None, ""):
        return uuid.uuid4()
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return uuid.uuid4()


def _write_post(author, topic: Topic, body_source: str, rendered, client_msg_id, quoted_post, files, now) -> Post:
    """Inside a transaction with the topic locked and the post counted (`_take_post_seq`)."""
    post = Post.objects.create(
        topic=topic,
        author=author,
        client_msg_id=client_msg_id,
        body_source=body_source,
        body_html=rendered.html,
        sanitizer_version=SANITIZER_VERSION,
        search_text=_search_text(body_source, topic.title if topic.post_count == 1 else ""),
        seq=topic.last_seq,
        changed_seq=topic.last_seq,
        created_at=now,
        quoted_post=quoted_post,
    )
    post.like_count = 0  # as the payloads count likes (payloads.with_like_count): a new post has none yet
    mentioned = []
    for person in rendered.mentioned:
        if person.pk != author.pk:
            Mention.objects.get_or_create(post=post, user=person)
            mentioned.append(person.pk)
    for upload, extension, content_type, is_image, name in files:
        upload.seek(0)
        attachment = Attachment(
            post=post,
            original_filename=name,
            extension=extension,
            content_type=content_type,
            size=upload.size,
            is_image=is_image,
        )
        attachment.file.save(f"plik.{extension}", upload, save=False)
        attachment.save()
    _log(topic, post, PostEventKind.CREATED)
    publisher.publish_topic_changed(topic, forum_only=True)
    send_after_commit(post_published, Post, post=post, created=True, mentioned_user_ids=mentioned)
    return post


def create_topic(
    author, category: Category, title: str, body: str, tags=(), client_msg_id=None, attachments=()
) -> Topic:
    """A new topic with its first post. A retry with the same client_msg_id returns the topic made first."""
    client_msg_id = _as_uuid(client_msg_id)
    if existing := _existing_post(author, client_msg_id):
        return existing.topic
    forum = category.forum
    check_can_post(author, forum)
    check_slow_mode(author, forum)
    title = _clean_title(title)
    tag_names = clean_tags(tags)
    rendered = _render(forum, body)
    files = _checked_attachments(attachments)
    try:
        with transaction.atomic():
            now = timezone.now()
            topic = Topic.objects.create(
                category=category, title=title, author=author, created_at=now, last_post_at=now
            )
            if tag_names:
                topic.tags.set([_tag(name) for name in tag_names])
            topic.category = category
            topic = _take_post_seq(topic, now)
            post = _write_post(author, topic, normalize_source(body), rendered, client_msg_id, None, files, now)
            Watch.objects.get_or_create(user=author, topic=topic)
            _mark_read_newest(author, topic, post.seq)
    except IntegrityError:
        if existing := _existing_post(author, client_msg_id):
            return existing.topic
        raise
    return topic


def _tag(name: str) -> TopicTag:
    tag = TopicTag.objects.filter(name__iexact=name).first()
    return tag or TopicTag.objects.create(name=name)


def create_post(
    author,
    topic: Topic,
    body: str,
    client_msg_id=None,
    quoted_post: Post | None = None,
    attachments=(),
    *,
    admit: Callable[[], bool] | None = None,
) -> tuple[Post, bool]:
    """A reply in the topic: `(post, is_new)`.

    Idempotent, checked here and only here: a retry with the author's `client_msg_id` returns the post made the
    first time and False, before any other check; an id the author already used in another topic is refused
    (`bad_request`). `admit` (the live socket's flood slots): asked once for a new post, never for a retry, and
    before the rules are checked; False refuses the post (`rate_limited`).
    """
    client_msg_id = _as_uuid(client_msg_id)
    if existing := _existing_post(author, client_msg_id, topic):
        return existing, False
    if not isinstance(body, str):
        raise ForumError(_("Write the content of the post."), "body", "body")
    if admit is not None and not admit():
        raise ForumError(_("Please wait a moment before posting again."), "rate_limited", "body")
    forum = topic.category.forum
    check_can_reply(author, topic)
    check_slow_mode(author, forum, topic)
    if quoted_post is not None and (quoted_post.topic_id != topic.pk or quoted_post.hidden):
        quoted_post = None
    rendered = _render(forum, body)
    files = _checked_attachments(attachments)
    try:
        with transaction.atomic():
            now = timezone.now()
            locked = _take_post_seq(topic, now)  # the caller's category comes along: no lazy load for the events
            if locked.deleted_at is not None:
                raise ForumError(_("This topic has been deleted."), "deleted", "body")
            if locked.locked:
                raise ForumError(_("This topic is closed: no new replies can be added."), "locked", "body")
            post = _write_post(author, locked, normalize_source(body), rendered, client_msg_id, quoted_post, files, now)
            _mark_read_newest(author, locked, post.seq)
    except IntegrityError:
        if existing := _existing_post(author, client_msg_id, topic):
            return existing, False
        raise
    topic.last_seq, topic.post_count, topic.last_post_at = locked.last_seq, locked.post_count, locked.last_post_at
    return post, True


def lock_topic_for_schedule(topic: Topic) -> bool:
    """Close a topic for replies on a schedule's behalf (a debate's closing time); True when it was open.

    No person acts: nothing is logged and nobody is told but the topic's live readers (after the commit; call
    inside the caller's transaction). A moderator's lock is `forums.moderation.lock_topic`: it needs moderation
    rights in the forum, logs a moderation action and tells the topic's author.
    """
    changed = Topic.objects.filter(pk=topic.pk, locked=False).update(locked=True)
    if changed:
        topic.locked = True
        publisher.publish_topic_changed(topic)
    return bool(changed)


def edit_post(editor, post: Post, body: str, *, as_moderator: bool = False, reason: str = "") -> Post:
    """Change a post's text; the previous text is kept as a revision and the post is marked as edited.

    `as_moderator`: a moderator's edit of any post (no time window; the post shows it was edited by a
    moderator). What it removes must be gone for the members: the revision it makes records the moderator and
    `reason`, and it and every older revision of the post become restricted (only the author, the moderators
    and administrators see them; see `permissions.can_see_restricted_revisions`). The search text, the live
    event and the resync payload carry only the new text. The moderation service
    `forums.moderation.moderator_edit_post` checks the reason, logs and signals it.
    """
    forum = post.topic.category.forum
    if as_moderator:
        check_can_moderate(editor, forum)
    else:
        check_can_edit_post(editor, post)
    rendered = _render(forum, body)
    source = normalize_source(body)
    if source == post.body_source:
        return post
    with transaction.atomic():
        topic = take_seq(post.topic_id)
        current = Post.objects.select_for_update().get(pk=post.pk)
        now = timezone.now()
        PostRevision.objects.create(
            post=current,
            body_source=current.body_source,
            body_html=current.body_html,
            sanitizer_version=current.sanitizer_version,
            written_at=current.edited_at or current.created_at,
            edited_by=editor,
            edited_at=now,
            by_moderator=as_moderator,
            moderator_reason=reason if as_moderator else "",
        )
        if as_moderator:
            PostRevision.objects.filter(post=current).update(restricted=True)
        is_first = not Post.objects.filter(topic_id=current.topic_id, seq__lt=current.seq).exists()
        Post.objects.filter(pk=current.pk).update(
            body_source=source,
            body_html=rendered.html,
            sanitizer_version=SANITIZER_VERSION,
            search_text=_search_text(source, topic.title if is_first else ""),
            edited_at=now,
            changed_seq=topic.last_seq,
            **({"edited_by_moderator": True} if as_moderator and editor.pk != current.author_id else {}),
        )
        known = set(Mention.objects.filter(post=current).values_list("user_id", flat=True))
        mentioned = []
        for person in rendered.mentioned:
            if person.pk not in known and person.pk != current.author_id:
                Mention.objects.create(post=current, user=person)
                mentioned.append(person.pk)
        _log(topic, current, PostEventKind.EDITED)
        send_after_commit(post_published, Post, post=current, created=False, mentioned_user_ids=mentioned)
    post.refresh_from_db()
    return post


def set_hidden(actor, post: Post, hidden: bool, *, reason: str = "", pending_review: bool = False) -> Post:
    """Hide (`hidden` True) or restore a post: its place and history stay; the change takes the topic's next
    seq, is logged as a PostEvent and announced to live readers after the commit.

    `actor` must moderate the forum; None is the system (the report threshold: `pending_review`). The post is
    returned fresh, with `post.changed` telling whether anything changed (the same state again gives the seq
    back). A hidden post's reason may be replaced (a moderator confirming a post hidden pending review): that
    is a change too, with a new seq. Only the state: the moderators' action, logged and told to the author with
    a reason, is `forums.moderation.hide_post` / `restore_post`, built on this.
    """
    if actor is not None:
        check_can_moderate(actor, post.topic.category.forum)
    changed = False
    with transaction.atomic():
        topic = take_seq(post.topic_id)  # the topic first, then the post: the order every writer keeps
        current = Post.objects.select_for_update().get(pk=post.pk)
        same_reason = current.hidden_reason == reason and current.hidden_pending_review == pending_review
        if current.hidden == hidden and (not hidden or same_reason):
            transaction.set_rollback(True)  # give the seq back: nothing changed
        else:
            changed = True
            _write_hidden(actor, topic, current, hidden, reason, pending_review)
    post.refresh_from_db()
    post.changed = changed
    return post


def _write_hidden(actor, topic: Topic, current: Post, hidden: bool, reason: str, pending_review: bool) -> None:
    values = {"hidden": hidden, "changed_seq": topic.last_seq}
    if hidden:
        values.update(
            hidden_reason=reason, hidden_at=timezone.now(), hidden_by=actor, hidden_pending_review=pending_review
        )
    else:
        values.update(hidden_reason="", hidden_at=None, hidden_by=None, hidden_pending_review=False)
    Post.objects.filter(pk=current.pk).update(**values)
    _log(topic, current, PostEventKind.HIDDEN if hidden else PostEventKind.RESTORED)


# --- likes, reading, watching ------------------------------------------------------------------------


def like_post(user, post: Post) -> bool:
    """Like a post (once); True when the like is new. Nobody likes their own post."""
    check_can_read_forum(user, post.topic.category.forum)
    check_not_sanctioned(user, post.topic.category.forum)
    if post.author_id == user.pk:
        raise ForumError(_("You cannot like your own post."), "own_post")
    if post.hidden:
        raise ForumError(_("This post is hidden."), "hidden")
    try:
        with transaction.atomic():
            _like, created = PostLike.objects.get_or_create(post=post, user=user)
    except IntegrityError:
        created = False
    return created


def unlike_post(user, post: Post) -> bool:
    deleted, _details = PostLike.objects.filter(post=post, user=user).delete()
    return bool(deleted)


def _mark_read(user, topic: Topic, seq: int) -> None:
    mark, created = TopicReadMark.objects.get_or_create(
        user=user, topic=topic, defaults={"last_read_seq": seq, "read_at": timezone.now()}
    )
    if not created and seq > mark.last_read_seq:
        TopicReadMark.objects.filter(pk=mark.pk, last_read_seq__lt=seq).update(
            last_read_seq=seq, read_at=timezone.now()
        )


def _mark_read_newest(user, topic: Topic, seq: int) -> None:
    """The author of a post has read the topic up to it: one INSERT ... ON CONFLICT DO UPDATE, no read first.

    Only under the topic's row lock with `seq` the seq just taken: no mark can be past it (marks never pass
    the topic's last seq), so overwriting never moves a mark back."""
    TopicReadMark.objects.bulk_create(
        [TopicReadMark(user=user, topic=topic, last_read_seq=seq, read_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "topic"],
        update_fields=["last_read_seq", "read_at"],
    )


def mark_topic_read(user, topic: Topic, seq: int | None = None) -> None:
    """Remember that the person has read the topic up to `seq` (default: everything); never moves back."""
    if not user.is_authenticated:
        return
    _mark_read(user, topic, topic.last_seq if seq is None else min(seq, topic.last_seq))


def last_read_seq(user, topic: Topic) -> int | None:
    """None when the person has never opened the topic."""
    if not user.is_authenticated:
        return None
    return TopicReadMark.objects.filter(user=user, topic=topic).values_list("last_read_seq", flat=True).first()


def watch(user, *, topic: Topic | None = None, category: Category | None = None) -> Watch:
    forum = topic.category.forum if topic is not None else category.forum
    check_can_read_forum(user, forum)
    if (topic is None) == (category is None):
        raise ValueError("watch exactly one topic or one category")
    try:
        with transaction.atomic():
            item, _created = Watch.objects.get_or_create(user=user, topic=topic, category=category)
    except IntegrityError:
        item = Watch.objects.get(user=user, topic=topic, category=category)
    return item


def unwatch(user, *, topic: Topic | None = None, category: Category | None = None) -> None:
    Watch.objects.filter(user=user, topic=topic, category=category).delete()


def is_watching(user, *, topic: Topic | None = None, category: Category | None = None) -> bool:
    if not user.is_authenticated:
        return False
    return Watch.objects.filter(user=user, topic=topic, category=category).exists()


# --- queries -----------------------------------------------------------------------------------------


def topics_with_unread(user, topics):
    """Annotate topics with `unread` (True when something came after the person's last visit, or never read)."""
    if not user.is_authenticated:
        return topics
    marks = TopicReadMark.objects.filter(user=user, topic=OuterRef("pk"))
    return topics.annotate(
        seen=Exists(marks),
        unread_after=Exists(marks.filter(last_read_seq__lt=OuterRef("last_seq"))),
    )


def visible_posts(topic: Topic):
    posts = topic.posts.select_related("author", "quoted_post__author").prefetch_related("attachments")
    return with_like_count(posts).order_by("seq")


_WORD = re.compile(r"\w+", re.UNICODE)


def search_posts(user, query: str):
    """Posts the person may read that match every word of the query (newest first, at most SEARCH_LIMIT).

    PostgreSQL: full-text search ('simple' configuration) over the folded text; elsewhere: every folded word
    must occur in the folded text. Either way diacritics do not matter ("lodz" finds "Łódź").
    """
    words = _WORD.findall(fold(query or ""))[:10]
    if not words:
        return Post.objects.none()
    posts = Post.objects.filter(
        topic__category__forum__in=readable_forums(user), hidden=False, topic__deleted_at__isnull=True
    )
    if connection.vendor == "postgresql":
        vector = SearchVector("search_text", config="simple")
        posts = posts.annotate(search=vector).filter(search=SearchQuery(" ".join(words), config="simple"))
    else:
        condition = Q()
        for word in words:
            condition &= Q(search_text__icontains=word)
        posts = posts.filter(condition)
    return posts.select_related("topic__category__forum__space", "author").order_by("-created_at", "-pk")[:SEARCH_LIMIT]
