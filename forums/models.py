"""Forums: one per space plus one site-wide forum → categories → topics → posts.

Sequence contract (DESIGN.md, "Real-time forums: the contract"): every Topic has a monotonic `last_seq`;
every change of a post in it (created, edited, hidden, restored) takes the next number under a row lock on
the topic, is written to `PostEvent`, and is recorded on the post as `changed_seq`. `Post.seq` is the
number the post got when it was created (its place in the topic). "Everything after seq N" is then
`topic.posts.filter(changed_seq__gt=N)`.
"""

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify as django_slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from exchange_groups.models import Space, fold
from oswiata_kit.storage import private_storage

from .conf import forums_settings


class Forum(models.Model):
    """A space's forum (`space` set) or the one site-wide forum (`is_site_wide`)."""

    space = models.OneToOneField(
        Space, on_delete=models.CASCADE, null=True, blank=True, related_name="forum", verbose_name=_("space")
    )
    is_site_wide = models.BooleanField(_("site-wide forum"), default=False)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    slow_mode_seconds = models.PositiveIntegerField(
        _("slow mode (seconds)"),
        default=0,
        help_text=_("The shortest time between two posts of one member in this forum; 0 turns slow mode off."),
    )
    report_threshold = models.PositiveSmallIntegerField(
        _("report threshold"),
        null=True,
        blank=True,
        help_text=_(
            "How many different members have to report a post before it is hidden pending review; "
            "empty means the site default."
        ),
    )
    public_moderation_log = models.BooleanField(
        _("public moderation log"),
        default=False,
        help_text=_("Members see the moderators' actions with their reasons (without the names of reporters)."),
    )

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["-is_site_wide", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_site_wide"], condition=Q(is_site_wide=True), name="forums_one_site_wide_forum"
            ),
            models.CheckConstraint(
                condition=Q(is_site_wide=True, space__isnull=True) | Q(is_site_wide=False, space__isnull=False),
                name="forums_forum_space_or_site_wide",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forums:forum", kwargs={"forum_id": self.pk})

    def effective_report_threshold(self) -> int:
        return int(self.report_threshold) if self.report_threshold else default_report_threshold()


def default_report_threshold() -> int:
    """The site's default report threshold (setting FORUMS_REPORT_HIDE_THRESHOLD, default 3)."""
    return forums_settings.REPORT_HIDE_THRESHOLD


# Addresses next to the categories in a forum's URL space ("fora/<id>/wzmianki/"): no category may take them.
RESERVED_CATEGORY_SLUGS = frozenset({"wzmianki", "moderacja"})


class Category(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="categories", verbose_name=_("forum"))
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("address"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["forum", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["forum", "slug"], name="forums_category_slug_unique")]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forums:category", kwargs={"forum_id": self.forum_id, "category_slug": self.slug})

    def clean(self):
        super().clean()
        if self.slug in RESERVED_CATEGORY_SLUGS:
            raise ValidationError({"slug": _("This address is used by the forum itself; choose another one.")})


class TopicTag(TagBase):
    """A tag of forum topics (separate from other tag sets)."""

    def slugify(self, tag, i=None):
        slug = django_slugify(fold(tag))[:90] or "tag"
        return f"{slug}_{i}" if i is not None else slug

    class Meta:
        verbose_name = _("topic tag")
        verbose_name_plural = _("topic tags")
        ordering = ["name"]


class TaggedTopic(TaggedItemBase):
    content_object = models.ForeignKey("Topic", on_delete=models.CASCADE, related_name="tagged_items")
    tag = models.ForeignKey(TopicTag, on_delete=models.CASCADE, related_name="tagged_topics")


class Topic(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="topics", verbose_name=_("category"))
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="forum_topics",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_post_at = models.DateTimeField(_("last post at"), default=timezone.now, db_index=True)
    post_count = models.PositiveIntegerField(_("number of posts"), default=0)
    last_seq = models.PositiveBigIntegerField(_("last sequence number"), default=0)
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)
    slow_mode_seconds = models.PositiveIntegerField(
        _("slow mode (seconds)"),
        default=0,
        help_text=_("The shortest time between two posts of one member in this topic; 0 turns slow mode off."),
    )
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deleted by"),
    )
    deleted_reason = models.TextField(_("reason for deletion"), blank=True)
    tags = TaggableManager(through=TaggedTopic, blank=True, verbose_name=_("tags"))

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["-pinned", "-last_post_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forums:topic", kwargs={"topic_id": self.pk})


def attachment_upload_to(instance, filename) -> str:
    """A generated storage name: nothing of the person's file name reaches the file system."""
    extension = "".join(ch for ch in os.path.splitext(filename)[1].lower() if ch.isalnum())[:8] or "bin"
    return f"forums/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class Post(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts", verbose_name=_("topic"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="forum_posts",
        verbose_name=_("author"),
    )
    client_msg_id = models.UUIDField(_("client message id"), default=uuid.uuid4)
    body_source = models.TextField(_("content (Markdown)"))
    body_html = models.TextField(_("content (cleaned HTML)"))
    sanitizer_version = models.PositiveSmallIntegerField(_("sanitizer version"))
    search_text = models.TextField(editable=False, default="")
    seq = models.PositiveBigIntegerField(_("sequence number"))
    changed_seq = models.PositiveBigIntegerField(_("sequence number of the latest change"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    hidden_pending_review = models.BooleanField(_("hidden pending review"), default=False)
    edited_by_moderator = models.BooleanField(_("edited by a moderator"), default=False)
    quoted_post = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="quoted_by", verbose_name=_("quotes")
    )

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["topic", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["author", "client_msg_id"], name="forums_post_author_client_msg_id"),
            models.UniqueConstraint(fields=["topic", "seq"], name="forums_post_topic_seq"),
        ]
        indexes = [models.Index(fields=["topic", "changed_seq"], name="forums_post_topic_changed")]

    def __str__(self):
        return f"{self.topic} #{self.seq}"

    def get_absolute_url(self) -> str:
        return reverse("forums:post", kwargs={"post_id": self.pk})


class PostEventKind(models.TextChoices):
    CREATED = "created", pgettext_lazy("post event", "created")
    EDITED = "edited", pgettext_lazy("post event", "edited")
    HIDDEN = "hidden", pgettext_lazy("post event", "hidden")
    RESTORED = "restored", pgettext_lazy("post event", "restored")


class PostEvent(models.Model):
    """One numbered change in a topic: the log a live client catches up from."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="events")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=16, choices=PostEventKind.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("post event")
        verbose_name_plural = _("post events")
        ordering = ["topic", "seq"]
        constraints = [models.UniqueConstraint(fields=["topic", "seq"], name="forums_event_topic_seq")]

    def __str__(self):
        return f"{self.topic_id}:{self.seq} {self.kind}"


class PostRevision(models.Model):
    """The text a post had before an edit.

    A moderator's edit removes text from what members can see (issue 12): the revision it makes is marked
    `by_moderator` with the moderator's reason, and it and every older revision of the post become `restricted`
    — only the post's author, the forum's moderators and administrators see their text
    (`permissions.can_see_restricted_revisions`); members see that a moderator changed the post, when, and the
    reason only where the forum's moderation log is public.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("post"))
    body_source = models.TextField(_("content (Markdown)"))
    body_html = models.TextField(_("content (cleaned HTML)"))
    sanitizer_version = models.PositiveSmallIntegerField(_("sanitizer version"))
    written_at = models.DateTimeField(_("written at"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("edited by")
    )
    edited_at = models.DateTimeField(_("edited at"), default=timezone.now)
    by_moderator = models.BooleanField(_("changed by a moderator"), default=False)
    moderator_reason = models.TextField(_("moderator's reason"), blank=True)
    restricted = models.BooleanField(
        _("visible only to the author and the moderators"),
        default=False,
        help_text=_("Set when a moderator's edit removed text: members no longer see this version."),
    )

    class Meta:
        verbose_name = _("post revision")
        verbose_name_plural = _("post revisions")
        ordering = ["post", "-edited_at", "-pk"]

    def __str__(self):
        return f"{self.post_id} @ {self.edited_at:%Y-%m-%d %H:%M}"


class PostLike(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_likes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("like")
        verbose_name_plural = _("likes")
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="forums_like_unique")]

    def __str__(self):
        return f"{self.user_id} ♥ {self.post_id}"


class Mention(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_mentions")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="forums_mention_unique")]

    def __str__(self):
        return f"@{self.user_id} in {self.post_id}"


class ForumProfile(models.Model):
    """A person's mention handle (`@Anna.Nowak`), made from the name on first use; unique, case-blind."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_profile")
    handle = models.CharField(_("mention handle"), max_length=80)
    handle_key = models.CharField(max_length=80, unique=True, editable=False)

    class Meta:
        verbose_name = _("forum profile")
        verbose_name_plural = _("forum profiles")

    def __str__(self):
        return f"@{self.handle}"

    def save(self, *args, **kwargs):
        self.handle_key = self.handle.casefold()
        super().save(*args, **kwargs)


class TopicReadMark(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_read_marks")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="read_marks")
    last_read_seq = models.PositiveBigIntegerField(default=0)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("read mark")
        verbose_name_plural = _("read marks")
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="forums_readmark_unique")]

    def __str__(self):
        return f"{self.user_id} read {self.topic_id} to {self.last_read_seq}"


class Watch(models.Model):
    """A person watches one topic or one whole category (exactly one of the two)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_watches")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="watches")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, blank=True, related_name="watches")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("watch")
        verbose_name_plural = _("watches")
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__isnull=False, category__isnull=True) | Q(topic__isnull=True, category__isnull=False),
                name="forums_watch_topic_xor_category",
            ),
            models.UniqueConstraint(
                fields=["user", "topic"], condition=Q(topic__isnull=False), name="forums_watch_topic_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "category"], condition=Q(category__isnull=False), name="forums_watch_category_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} watches {self.topic_id or self.category_id}"


class Attachment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("post"))
    # Private storage (outside MEDIA_ROOT, never served by the web server): only the download view serves it.
    file = models.FileField(_("file"), upload_to=attachment_upload_to, storage=private_storage, max_length=200)
    original_filename = models.CharField(_("original file name"), max_length=255)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    is_image = models.BooleanField(_("image"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["post", "pk"]

    def __str__(self):
        return self.original_filename

    def get_absolute_url(self) -> str:
        return reverse("forums:attachment", kwargs={"attachment_id": self.pk})


# --- moderation (issue 6) ----------------------------------------------------------------------------


class ReportStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("report status", "waiting for a moderator")
    HIDDEN = "hidden", pgettext_lazy("report status", "accepted: the post was hidden")
    WARNED = "warned", pgettext_lazy("report status", "accepted: the author was warned")
    DISMISSED = "dismissed", pgettext_lazy("report status", "dismissed")


class Report(models.Model):
    """A member's report of a post to the moderators (one per post and person)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports", verbose_name=_("post"))
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="forum_reports",
        verbose_name=pgettext_lazy("forum moderation", "reporter"),
    )
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        verbose_name = pgettext_lazy("forum moderation", "report")
        verbose_name_plural = pgettext_lazy("forum moderation", "reports")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["post", "reporter"], name="forums_report_post_reporter")]
        indexes = [models.Index(fields=["status", "post"], name="forums_report_status_post")]

    def __str__(self):
        return f"{self.reporter_id} → {self.post_id} ({self.status})"


class SanctionKind(models.TextChoices):
    SUSPENSION = "suspension", _("suspension (read-only, live connections closed)")
    SILENCE = "silence", _("silence (may read, may not write)")


class Sanction(models.Model):
    """A member's timed suspension or silence in one space's forum (space empty: the nationwide forum)."""

    space = models.ForeignKey(
        Space,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="forum_sanctions",
        verbose_name=_("space"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_sanctions", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=SanctionKind.choices)
    reason = models.TextField(_("reason"))
    starts_at = models.DateTimeField(_("starts at"), default=timezone.now)
    ends_at = models.DateTimeField(_("ends at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("imposed by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )

    class Meta:
        verbose_name = pgettext_lazy("forum moderation", "sanction")
        verbose_name_plural = pgettext_lazy("forum moderation", "sanctions")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["user", "space", "ends_at"], name="forums_sanction_user_space")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.user_id}"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.lifted_at is None and self.starts_at <= now < self.ends_at


class ModerationActionKind(models.TextChoices):
    PIN = "pin", pgettext_lazy("moderation action", "pinned the topic")
    UNPIN = "unpin", pgettext_lazy("moderation action", "unpinned the topic")
    LOCK = "lock", pgettext_lazy("moderation action", "closed the topic")
    UNLOCK = "unlock", pgettext_lazy("moderation action", "reopened the topic")
    MOVE = "move", pgettext_lazy("moderation action", "moved the topic")
    DELETE = "delete", pgettext_lazy("moderation action", "deleted the topic")
    UNDELETE = "undelete", pgettext_lazy("moderation action", "restored the deleted topic")
    HIDE = "hide", pgettext_lazy("moderation action", "hid a post")
    AUTO_HIDE = "auto_hide", pgettext_lazy("moderation action", "a post was hidden after reports")
    RESTORE = "restore", pgettext_lazy("moderation action", "restored a post")
    EDIT = "edit", pgettext_lazy("moderation action", "edited a post")
    WARN = "warn", pgettext_lazy("moderation action", "warned the author")
    DISMISS = "dismiss", pgettext_lazy("moderation action", "dismissed the reports")
    SUSPEND = "suspend", pgettext_lazy("moderation action", "suspended a member")
    SILENCE = "silence", pgettext_lazy("moderation action", "silenced a member")
    LIFT = "lift", pgettext_lazy("moderation action", "lifted a sanction")
    SLOW_MODE = "slow_mode", pgettext_lazy("moderation action", "changed the slow mode")
    SETTINGS = "settings", pgettext_lazy("moderation action", "changed the forum's moderation settings")


class ModerationAction(models.Model):
    """One entry of the moderation log: who did what, on what, why and when."""

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="moderation_actions", verbose_name=_("forum")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("forum moderation", "moderator"),
    )
    kind = models.CharField(
        pgettext_lazy("forum moderation", "action"), max_length=16, choices=ModerationActionKind.choices
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("topic")
    )
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("post")
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person concerned"),
    )
    reason = models.TextField(_("reason"), blank=True)
    details = models.CharField(pgettext_lazy("forum moderation", "details"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.kind}"
