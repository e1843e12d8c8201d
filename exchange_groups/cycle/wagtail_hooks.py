"""Questionnaires of the yearly cycle in the Wagtail admin: a read-only list with filters, for site administrators.

Questionnaires are written, published and closed on the space's pages (through `cycle.py`); results are read
there too ("Wyniki"), so the admin shows no answers and nobody (superusers included) edits, adds or deletes a
questionnaire here. Imported at the end of `wagtail_hooks.py` (Wagtail loads only that module).
"""

import django_filters
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from exchange_groups.models import Questionnaire, QuestionnaireKind, QuestionnaireStatus, Space
from oswiata_kit.admin import SiteAdminsViewOnlyPolicy

register_permission_policy(Questionnaire, SiteAdminsViewOnlyPolicy(Questionnaire))


class QuestionnaireFilterSet(WagtailFilterSet):
    space = django_filters.ModelChoiceFilter(label=_("space"), queryset=Space.objects.order_by("kind", "name"))
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=QuestionnaireKind.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=QuestionnaireStatus.choices)
    cycle = django_filters.CharFilter(label=_("cycle (school year)"), lookup_expr="exact")

    class Meta:
        model = Questionnaire
        fields = ["space", "kind", "status", "cycle"]


class QuestionnaireViewSet(SnippetViewSet):
    model = Questionnaire
    icon = "form"
    menu_label = _("Questionnaires")
    add_to_admin_menu = True
    menu_order = 310
    list_display = [
        "title",
        "space",
        "kind",
        "status",
        "cycle",
        Column("response_count", label=_("Responses")),
        "published_at",
    ]
    filterset_class = QuestionnaireFilterSet
    search_fields = ["title", "intro"]
    search_backend_name = None
    ordering = ["-created_at"]
    inspect_view_enabled = True
    inspect_view_fields = ["space", "kind", "title", "intro", "status", "cycle", "opens_at", "closes_at",
                           "published_at", "closed_at"]  # fmt: skip
    copy_view_enabled = False

    def get_queryset(self, request):
        return Questionnaire.objects.select_related("space").annotate(response_count=Count("responses"))


register_snippet(QuestionnaireViewSet)
