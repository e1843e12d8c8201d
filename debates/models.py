"""Debates (tematy debat): the public listing, the debate pages, their forum topics and their summaries.

A Redaktor ZMP creates a `DebatePage` under the `DebateIndexPage` in the Wagtail admin. At `opens_at` the
system opens it (`debates.services.open_debate`): a topic in each target forum, recorded as a `DebateTopic`;
at `closes_at` it locks those topics. `opened_at` and `closed_at` are set only by the system: they are kept out
of page revisions (`with_content_json`), so publishing an older draft never undoes an opening.

What the listing and the debate pages show is built in `debates.pages` (their `get_context` imports it inside
the method).

Phases: announced (zapowiedź) → discussion (dyskusja) → summary (podsumowanie: closed, no summary published
yet) → closed (zamknięta: the summary or position paper is published as a `DebateSummaryPage`).
"""

from django import forms
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, MultipleChooserPanel, ObjectList, TabbedInterface
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page

from exchange_groups.models import Space
from exchange_groups.spaces.permissions import spaces_visible_to
from forums.models import Forum, Post, Topic
from learning.blocks import SIMPLE_TEXT_FEATURES

from .admin_choosers import person_chooser_viewset
from .admin_panels import TargetSpacesPanel
from .blocks import BackgroundBlock, QuestionsBlock, SummaryBlock


class Phase(models.TextChoices):
    ANNOUNCED = "announced", pgettext_lazy("debate phase", "announced")
    DISCUSSION = "discussion", pgettext_lazy("debate phase", "discussion")
    SUMMARY = "summary", pgettext_lazy("debate phase", "summary")
    CLOSED = "closed", pgettext_lazy("debate phase", "closed")


class DebateIndexPage(Page):
    """The public listing of debates: upcoming, open, in summary and closed ones with their summaries."""

    intro = RichTextField(_("introduction"), features=SIMPLE_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["debates.DebatePage"]
    max_count = 1
    template = "debates/debate_index_page.html"

    class Meta:
        verbose_name = _("debate listing")
        verbose_name_plural = _("debate listings")

    def get_context(self, request, *args, **kwargs):
        from .pages import debate_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(debate_index_context(self, request))
        return context


class DebatePageForm(WagtailAdminPageForm):
    """The admin form: the debate closes after it opens, and it has at least one target forum.

    The target spaces offered (and accepted) are those the editor may see (`spaces_visible_to`: public spaces,
    the private ones they belong to; all for site administrators): a private space does not exist for anybody
    else, in the admin too. A private target chosen earlier by someone who may see it stays when this editor
    saves, unseen.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unseen_spaces = []
        field = self.fields.get("target_spaces")
        if field is None:
            return
        visible = spaces_visible_to(self.for_user).order_by("name")
        field.queryset = visible
        field.error_messages["invalid_choice"] = _("Choose only the spaces listed here.")
        field.error_messages["invalid_pk_value"] = _("Choose only the spaces listed here.")
        if self.instance.pk:
            self.unseen_spaces = list(self.instance.target_spaces.exclude(pk__in=visible.values("pk")))

    def clean(self):
        cleaned = super().clean()
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("The debate must close after it opens."))
        if self.has_error("target_spaces"):
            return cleaned
        if "target_spaces" in cleaned:
            cleaned["target_spaces"] = [*cleaned["target_spaces"], *self.unseen_spaces]
        if not cleaned.get("site_wide") and not cleaned.get("target_spaces"):
            self.add_error("target_spaces", _("Choose at least one space or the nationwide forum."))
        return cleaned


class DebatePage(Page):
    lead = models.TextField(
        _("lead"), help_text=_("Two or three sentences: what the debate is about. Shown in the listing and the topics.")
    )
    background = StreamField(
        BackgroundBlock(), verbose_name=_("background"), blank=True, help_text=_("Texts, documents and videos.")
    )
    questions = StreamField(QuestionsBlock(min_num=1), verbose_name=_("questions for discussion"))
    target_spaces = ParentalManyToManyField(
        Space,
        blank=True,
        related_name="debates",
        verbose_name=_("target spaces"),
        help_text=_("The debate becomes a topic in the forum of each space chosen here."),
    )
    site_wide = models.BooleanField(
        _("nationwide forum"), default=False, help_text=_("Also open the debate as a topic in the nationwide forum.")
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    opened_at = models.DateTimeField(pgettext_lazy("debate", "opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(pgettext_lazy("debate", "closed at"), null=True, blank=True)

    base_form_class = DebatePageForm
    parent_page_types = ["debates.DebateIndexPage"]
    subpage_types = ["debates.DebateSummaryPage"]
    template = "debates/debate_page.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead"),
        FieldPanel("background"),
        FieldPanel("questions"),
    ]
    schedule_panels = [
        MultiFieldPanel(
            [
                FieldPanel("opens_at"),
                FieldPanel("closes_at"),
                TargetSpacesPanel("target_spaces", widget=forms.CheckboxSelectMultiple),
                FieldPanel("site_wide"),
            ],
            heading=_("Schedule and forums"),
        ),
        MultipleChooserPanel(
            "moderator_links",
            chooser_field_name="user",
            heading=_("Moderators"),
            label=_("moderator"),
            help_text=_(
                "They write the summary. The first moderator who can write in a target forum opens the topic there."
            ),
        ),
        MultiFieldPanel(
            [FieldPanel("opened_at", read_only=True), FieldPanel("closed_at", read_only=True)],
            heading=_("Set by the system"),
        ),
    ]

    class Meta:
        verbose_name = _("debate")
        verbose_name_plural = _("debates")

    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(schedule_panels, heading=_("Schedule")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    def with_content_json(self, content):
        """A revision never carries the system's state: keep what the database says."""
        obj = super().with_content_json(content)
        obj.opened_at = self.opened_at
        obj.closed_at = self.closed_at
        return obj

    # --- state ---------------------------------------------------------------------------------------

    @cached_property
    def summary(self):
        """The published summary page, or None."""
        return DebateSummaryPage.objects.child_of(self).live().first()

    @property
    def phase(self) -> str:
        if self.closed_at is not None:
            return Phase.CLOSED if self.summary is not None else Phase.SUMMARY
        if self.opened_at is not None:
            return Phase.DISCUSSION
        return Phase.ANNOUNCED

    @property
    def phase_label(self) -> str:
        return Phase(self.phase).label

    def is_due_to_open(self, now=None) -> bool:
        return self.opened_at is None and self.opens_at <= (now or timezone.now())

    def is_due_to_close(self, now=None) -> bool:
        return self.closed_at is None and self.closes_at <= (now or timezone.now())

    def moderator_users(self) -> list:
        return [link.user for link in self.moderator_links.select_related("user").order_by("sort_order", "pk")]

    def question_texts(self) -> list[str]:
        return [child.value for child in self.questions if child.block_type == "question"]

    def get_context(self, request, *args, **kwargs):
        from .pages import debate_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(debate_page_context(request, self))
        return context


class DebateModerator(Orderable):
    """A moderator of one debate (chosen in the admin); the order says who opens the topics."""

    page = ParentalKey(DebatePage, on_delete=models.CASCADE, related_name="moderator_links")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("moderator")
    )

    panels = [FieldPanel("user", widget=person_chooser_viewset.widget_class)]

    class Meta(Orderable.Meta):
        verbose_name = _("debate moderator")
        verbose_name_plural = _("debate moderators")
        constraints = [models.UniqueConstraint(fields=["page", "user"], name="debates_moderator_unique")]

    def __str__(self):
        return str(self.user)


class DebateTopic(models.Model):
    """The forum topic a debate became in one of its target forums (one per debate and forum)."""

    debate = models.ForeignKey(
        DebatePage, on_delete=models.CASCADE, related_name="debate_topics", verbose_name=_("debate")
    )
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="+", verbose_name=_("forum"))
    topic = models.OneToOneField(Topic, on_delete=models.CASCADE, related_name="debate_link", verbose_name=_("topic"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("debate topic")
        verbose_name_plural = _("debate topics")
        ordering = ["debate", "pk"]
        constraints = [models.UniqueConstraint(fields=["debate", "forum"], name="debates_topic_debate_forum")]

    def __str__(self):
        return f"{self.debate} → {self.topic}"


class SummaryKind(models.TextChoices):
    SUMMARY = "summary", pgettext_lazy("debate text", "summary")
    POSITION = "position", pgettext_lazy("debate text", "position paper")


class DebateSummaryPage(Page):
    """The summary or position paper (stanowisko) of a closed debate, written by its moderators."""

    kind = models.CharField(_("kind"), max_length=16, choices=SummaryKind.choices, default=SummaryKind.SUMMARY)
    body = StreamField(SummaryBlock(), verbose_name=_("content"))

    parent_page_types = ["debates.DebatePage"]
    subpage_types: list = []
    max_count_per_parent = 1
    template = "debates/debate_summary_page.html"

    content_panels = [*Page.content_panels, FieldPanel("kind"), FieldPanel("body")]

    class Meta:
        verbose_name = _("debate summary")
        verbose_name_plural = _("debate summaries")

    @property
    def debate(self):
        return self.get_parent().specific

    def cited_post_ids(self) -> list[int]:
        return [child.value["post_id"] for child in self.body if child.block_type == "cited_post"]

    @cached_property
    def public_blocks(self) -> list:
        """The body as the public sees it (page, print view, PDF): a quoted post is left out unless it may be
        shown today (`services.publishable_post_ids`), whatever the stored page says."""
        from .services import publishable_post_ids

        shown = publishable_post_ids(self.get_parent().specific, self.cited_post_ids())
        return [child for child in self.body if child.block_type != "cited_post" or child.value["post_id"] in shown]

    def markdown_text(self) -> str:
        return "\n\n".join(child.value for child in self.body if child.block_type == "text")


class QuoteConsent(models.Model):
    """A moderator of a members-only forum agreed that one of its posts is quoted in the debate's public summary.

    Made by `services.save_summary` when a writer who moderates the post's forum cites it (citing is agreeing);
    removed when the summary stops citing the post. Not editable in the admin: a page edit cannot make one.
    """

    debate = models.ForeignKey(
        DebatePage, on_delete=models.CASCADE, related_name="quote_consents", verbose_name=_("debate")
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+", verbose_name=_("post"))
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("given by"),
    )
    given_at = models.DateTimeField(_("given at"), default=timezone.now)

    class Meta:
        verbose_name = _("consent to quote a post")
        verbose_name_plural = _("consents to quote posts")
        constraints = [models.UniqueConstraint(fields=["debate", "post"], name="debates_quote_consent_unique")]

    def __str__(self):
        return f"{self.debate_id}:{self.post_id}"
