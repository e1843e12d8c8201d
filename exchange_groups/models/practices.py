"""The good-practice base (baza dobrych praktyk): an index page and one page per practice.

A practice follows the structure ORE used for its descriptions: the local context, the problem, the
solution, who did what and when, the effects, the cost, why it is worth promoting, advice for replication,
a contact person, model documents and an optional video with a text alternative. Its JST comes from the
registry; the voivodeship and the JST kind are copied from the unit on every save, so the public listing
filters on plain columns. `search_text` is a diacritic-free copy of the text for full-text search that
works the same on SQLite and PostgreSQL.
"""

import contextlib
import html
import re
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import strip_tags
from django.utils.text import slugify as django_slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import ItemBase, TagBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .people import TerritorialUnit, UnitKind, fold
from .spaces import Space

__all__ = [
    "GoodPracticeIndexPage",
    "GoodPracticePage",
    "GoodPracticeTag",
    "PracticeSource",
    "PracticeTheme",
    "embed_url_for",
    "is_school_year",
]

PRACTICE_RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "link", "document-link", "ol", "ul"]

# The description's sections in reading order: (field name, heading).
PRACTICE_SECTIONS = [
    ("local_context", _("Local context")),
    ("problem", _("The problem")),
    ("solution", _("The solution")),
    ("who_did_what", _("Who did what and when")),
    ("effects", _("Effects")),
    ("cost", _("Cost")),
    ("why_promote", _("Why it is worth promoting")),
    ("replication_advice", _("Advice for replication")),
]

# Addresses beside the index page that Django serves (exchange_groups.practices.urls).
RESERVED_SLUGS = ("zglos", "moje-zgloszenia")

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
_VIMEO_ID = re.compile(r"^\d{4,12}$")


def embed_url_for(url: str) -> str | None:
    """The privacy-friendly embed address of a YouTube or Vimeo video, or None for any other address.

    Accepts youtube-nocookie.com/embed/ID, youtube.com/watch?v=ID, youtu.be/ID, youtube.com/embed/ID,
    vimeo.com/ID and player.vimeo.com/video/ID (https only). YouTube is always embedded from
    www.youtube-nocookie.com, the only YouTube host the site's Content-Security-Policy allows in frames.
    """
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    if parts.scheme != "https" or parts.username or parts.password or parts.port:
        return None
    host = (parts.hostname or "").lower()
    path = parts.path.rstrip("/")
    video_id = None
    if host in ("www.youtube-nocookie.com", "youtube-nocookie.com", "www.youtube.com", "youtube.com"):
        if path.startswith("/embed/"):
            video_id = path.removeprefix("/embed/")
        elif path == "/watch":
            video_id = (parse_qs(parts.query).get("v") or [""])[0]
        if video_id and _YOUTUBE_ID.match(video_id):
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
        return None
    if host == "youtu.be":
        video_id = path.lstrip("/")
        return f"https://www.youtube-nocookie.com/embed/{video_id}" if _YOUTUBE_ID.match(video_id) else None
    if host in ("vimeo.com", "www.vimeo.com"):
        video_id = path.lstrip("/")
    elif host == "player.vimeo.com" and path.startswith("/video/"):
        video_id = path.removeprefix("/video/")
    if video_id and _VIMEO_ID.match(video_id):
        return f"https://player.vimeo.com/video/{video_id}"
    return None


def is_school_year(value: str) -> bool:
    """ "2019/2020": two consecutive four-digit years."""
    first, sep, second = (value or "").partition("/")
    return bool(sep) and len(first) == 4 and first.isdigit() and second.isdigit() and int(second) == int(first) + 1


def _plain(value: str) -> str:
    return html.unescape(strip_tags(value or ""))


class PracticeSource(models.TextChoices):
    ORE = "ore", _("Centre for Education Development (ORE)")
    ZMP = "zmp", _("Association of Polish Cities (ZMP)")
    NETWORK = "network", _("A cooperation network or an exchange group")
    MEMBER = "member", _("Submitted by a member of the platform")


class PracticeTheme(TagBase):
    """A theme of the good-practice base (its own vocabulary, separate from other tags)."""

    def slugify(self, tag, i=None):
        """An ASCII slug ("sieć szkół" -> "siec-szkol"), so addresses with a tag stay readable."""
        slug = django_slugify(fold(tag))[:90] or "tag"
        return f"{slug}_{i}" if i is not None else slug

    class Meta:
        verbose_name = _("practice theme")
        verbose_name_plural = _("practice themes")
        ordering = ["name"]


class GoodPracticeTag(ItemBase):
    tag = models.ForeignKey(PracticeTheme, on_delete=models.CASCADE, related_name="tagged_practices")
    content_object = ParentalKey("GoodPracticePage", on_delete=models.CASCADE, related_name="tagged_themes")

    class Meta:
        verbose_name = _("practice theme assignment")
        verbose_name_plural = _("practice theme assignments")


class PracticeDocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(
        label=_("title"), required=False, help_text=_("Shown instead of the document's own title when given.")
    )

    class Meta:
        icon = "doc-full"
        label = _("Model document")


class GoodPracticeIndexPage(Page):
    """The public listing of the good practices, with filters (voivodeship, JST kind, theme, full text)."""

    intro = RichTextField(_("introduction"), features=PRACTICE_RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["exchange_groups.GoodPracticePage"]
    max_count = 1
    template = "exchange_groups/practices/index_page.html"

    class Meta:
        verbose_name = _("good-practice base")
        verbose_name_plural = _("good-practice bases")

    def get_context(self, request, *args, **kwargs):
        from exchange_groups.practices.pages import practice_listing_context

        context = super().get_context(request, *args, **kwargs)
        context.update(practice_listing_context(self, request))
        return context


class GoodPracticePage(Page):
    """One local-government good practice."""

    summary = models.TextField(
        _("summary"),
        max_length=600,
        blank=True,
        help_text=_("Two or three sentences shown in the listing."),
    )
    unit = models.ForeignKey(
        TerritorialUnit,
        verbose_name=_("JST"),
        null=True,
        blank=False,
        on_delete=models.PROTECT,
        related_name="good_practices",
        help_text=_("The local government unit where the practice was carried out."),
    )
    voivodeship = models.ForeignKey(
        TerritorialUnit,
        verbose_name=_("voivodeship"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit_kind = models.CharField(_("JST kind"), max_length=32, choices=UnitKind.choices, blank=True, editable=False)
    themes = ClusterTaggableManager(through=GoodPracticeTag, blank=True, verbose_name=_("themes"))
    period_start = models.CharField(
        _("first school year"), max_length=9, blank=True, help_text=_("For example 2017/2018.")
    )
    period_end = models.CharField(
        _("last school year"),
        max_length=9,
        blank=True,
        help_text=_("Leave empty if the practice is still carried out."),
    )
    source = models.CharField(_("source"), max_length=16, choices=PracticeSource.choices, default=PracticeSource.ORE)
    source_space = models.ForeignKey(
        Space,
        verbose_name=_("network or group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="good_practices",
        help_text=_("The network or exchange group the practice comes from, if any."),
    )

    local_context = RichTextField(
        _("local context"),
        features=PRACTICE_RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("The local education system: schools, pupils, demography, finances."),
    )
    problem = RichTextField(_("the problem"), features=PRACTICE_RICH_TEXT_FEATURES)
    solution = RichTextField(_("the solution"), features=PRACTICE_RICH_TEXT_FEATURES)
    who_did_what = RichTextField(_("who did what and when"), features=PRACTICE_RICH_TEXT_FEATURES, blank=True)
    effects = RichTextField(_("effects"), features=PRACTICE_RICH_TEXT_FEATURES, blank=True)
    cost = RichTextField(_("cost"), features=PRACTICE_RICH_TEXT_FEATURES, blank=True)
    why_promote = RichTextField(_("why it is worth promoting"), features=PRACTICE_RICH_TEXT_FEATURES, blank=True)
    replication_advice = RichTextField(_("advice for replication"), features=PRACTICE_RICH_TEXT_FEATURES, blank=True)

    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_role = models.CharField(_("position of the contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)

    documents = StreamField(
        [("document", PracticeDocumentBlock())],
        verbose_name=_("model documents to download"),
        blank=True,
    )
    video_url = models.URLField(
        _("video address"),
        max_length=300,
        blank=True,
        help_text=_("A YouTube or Vimeo address, for example https://www.youtube-nocookie.com/embed/…"),
    )
    video_transcript = models.TextField(
        _("text alternative of the video"),
        blank=True,
        help_text=_("A transcript or a full description of the video. Required when a video is given."),
    )

    search_text = models.TextField(editable=False, blank=True, default="")
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False, default=None)

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("local_context"),
        index.SearchField("problem"),
        index.SearchField("solution"),
        index.SearchField("effects"),
        index.SearchField("replication_advice"),
        index.RelatedFields("unit", [index.SearchField("name")]),
        index.FilterField("unit_kind"),
        index.FilterField("source"),
        index.FilterField("voivodeship"),
    ]

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("local_context"), FieldPanel("problem"), FieldPanel("solution")],
            heading=_("Context, problem and solution"),
        ),
        MultiFieldPanel(
            [FieldPanel("who_did_what"), FieldPanel("effects"), FieldPanel("cost")],
            heading=_("Course, effects and cost"),
        ),
        MultiFieldPanel(
            [FieldPanel("why_promote"), FieldPanel("replication_advice")],
            heading=_("Promotion and replication"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_role")]),
                FieldRowPanel([FieldPanel("contact_email"), FieldPanel("contact_phone")]),
            ],
            heading=_("Contact person"),
        ),
        FieldPanel("documents"),
        MultiFieldPanel([FieldPanel("video_url"), FieldPanel("video_transcript")], heading=_("Video")),
    ]
    metadata_panels = [
        MultiFieldPanel([FieldPanel("unit"), FieldPanel("themes")], heading=_("JST and themes")),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")])],
            heading=_("Period"),
        ),
        MultiFieldPanel([FieldPanel("source"), FieldPanel("source_space")], heading=_("Source")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Description")),
            ObjectList(metadata_panels, heading=_("Metadata")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    parent_page_types = ["exchange_groups.GoodPracticeIndexPage"]
    subpage_types: list[str] = []
    exclude_fields_in_copy = ["submission_key"]
    template = "exchange_groups/practices/practice_page.html"

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")

    # --- invariants --------------------------------------------------------------------------------

    def clean(self):
        super().clean()
        errors = {}
        if self.video_url:
            if embed_url_for(self.video_url) is None:
                errors["video_url"] = _(
                    "Give the address of a YouTube or Vimeo video (https), for example "
                    "https://www.youtube-nocookie.com/embed/… or https://vimeo.com/…."
                )
            if not (self.video_transcript or "").strip():
                errors["video_transcript"] = _(
                    "A video needs a text alternative: write a transcript or a full description of it."
                )
        for name in ("period_start", "period_end"):
            value = (getattr(self, name) or "").strip()
            if value and not is_school_year(value):
                errors[name] = _("Write the school year as two consecutive years, for example 2019/2020.")
        if (
            "period_start" not in errors
            and "period_end" not in errors
            and self.period_start
            and self.period_end
            and self.period_end < self.period_start
        ):
            errors["period_end"] = _("The last school year cannot come before the first one.")
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = _("This address is used by the site; choose another one.")
        if errors:
            raise ValidationError(errors)

    def sync_metadata(self) -> None:
        """Copy the voivodeship and the JST kind from the unit; rebuild the folded search text."""
        unit = self.unit if self.unit_id else None
        if unit is None:
            self.voivodeship = None
            self.unit_kind = ""
        else:
            self.voivodeship = unit if unit.kind == UnitKind.VOIVODESHIP else unit.voivodeship
            self.unit_kind = unit.kind
        parts = [self.title, self.summary, unit.name if unit else ""]
        parts += [_plain(getattr(self, name)) for name, _heading in PRACTICE_SECTIONS]
        parts.append(self.contact_name)
        with contextlib.suppress(ValueError):  # an unsaved page without a cluster yet
            parts += [theme.name for theme in self.themes.all()]
        self.search_text = fold(" ".join(part for part in parts if part))

    def save(self, *args, **kwargs):
        self.sync_metadata()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "voivodeship", "unit_kind", "search_text"}
        return super().save(*args, **kwargs)

    # --- for templates -----------------------------------------------------------------------------

    @property
    def video_embed_url(self) -> str | None:
        return embed_url_for(self.video_url) if self.video_url else None

    @property
    def period_label(self) -> str:
        if self.period_start and self.period_end and self.period_start != self.period_end:
            return f"{self.period_start}–{self.period_end}"
        if self.period_start and not self.period_end:
            return _("since %(year)s") % {"year": self.period_start}
        return self.period_start or self.period_end

    @property
    def sections(self) -> list[tuple[str, str, str]]:
        """(field name, heading, HTML) of the sections that have content, in reading order."""
        result = []
        for name, heading in PRACTICE_SECTIONS:
            value = getattr(self, name)
            if _plain(value).strip():
                result.append((name, heading, value))
        return result

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_name or self.contact_email or self.contact_phone)
