"""The site's own pages: home, standard content pages, the accessibility statement.

What a page shows is built in `<app>/pages.py`: the home page's spaces (a few cards and the count) in
`oswiata_site.pages`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from oswiata_kit.routing import OneQueryRouteMixin

from .blocks import RICH_TEXT_FEATURES, BodyBlock


class HomePage(OneQueryRouteMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("content"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    template = "oswiata_site/home_page.html"

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        from .pages import home_context

        return super().get_context(request, *args, **kwargs) | home_context(request)


class StandardPage(Page):
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("content"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    template = "oswiata_site/standard_page.html"

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


class ComplianceStatus(models.TextChoices):
    FULL = "full", _("fully compliant")
    PARTIAL = "partial", _("partially compliant")
    NONE = "none", _("not compliant")


class AccessibilityStatementPage(Page):
    """Deklaracja dostępności with the element ids the Polish rules (ustawa z 4 kwietnia 2019 r.) require."""

    entity_name = models.CharField(_("entity (podmiot publiczny)"), max_length=250)
    site_url = models.URLField(_("address of the website"))
    published_on = models.DateField(_("date the website was published"))
    updated_on = models.DateField(_("date of the last major update"))
    compliance_status = models.CharField(
        _("compliance status"), max_length=16, choices=ComplianceStatus.choices, default=ComplianceStatus.PARTIAL
    )
    non_accessible_content = RichTextField(
        _("content that is not accessible, and why"), features=RICH_TEXT_FEATURES, blank=True
    )
    prepared_on = models.DateField(_("date the statement was prepared"))
    preparation_method = models.CharField(
        _("how the statement was prepared"),
        max_length=250,
        default=_("self-assessment carried out by the entity"),
    )
    shortcuts = RichTextField(_("keyboard shortcuts and facilities"), features=RICH_TEXT_FEATURES, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact telephone"), max_length=40)
    procedure = RichTextField(_("request and complaint procedure"), features=RICH_TEXT_FEATURES)
    architecture = RichTextField(_("architectural accessibility"), features=RICH_TEXT_FEATURES)
    mobile_apps = RichTextField(_("mobile applications"), features=RICH_TEXT_FEATURES)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("entity_name"), FieldPanel("site_url"), FieldPanel("published_on"), FieldPanel("updated_on")],
            heading=_("Introduction"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("compliance_status"),
                FieldPanel("non_accessible_content"),
                FieldPanel("prepared_on"),
                FieldPanel("preparation_method"),
                FieldPanel("shortcuts"),
            ],
            heading=_("Compliance"),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_person"), FieldPanel("contact_email"), FieldPanel("contact_phone")],
            heading=_("Feedback and contact"),
        ),
        FieldPanel("procedure"),
        FieldPanel("architecture"),
        FieldPanel("mobile_apps"),
    ]
    max_count = 1
    subpage_types: list[str] = []
    template = "oswiata_site/accessibility_statement_page.html"

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")
