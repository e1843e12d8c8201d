"""The JST registry as a read-only snippet (so a practice's "JST" field gets a searchable chooser instead of
a 2,873-row select), and the practice themes as a snippet the editors keep tidy.

Nobody adds, changes or deletes territorial units in the admin: the registry comes from the TERC file
(`manage.py load_teryt`).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from exchange_groups.models import PracticeTheme, TerritorialUnit
from oswiata_kit.admin import ReadOnlyPermissionPolicy

register_permission_policy(TerritorialUnit, ReadOnlyPermissionPolicy(TerritorialUnit))


class TerritorialUnitViewSet(SnippetViewSet):
    model = TerritorialUnit
    icon = "site"
    menu_label = _("JST register")
    list_display = ["name", "kind", "code", "voivodeship"]
    list_filter = ["kind"]
    search_fields = ["name", "name_folded", "code"]
    search_backend_name = None
    ordering = ["name", "code"]
    inspect_view_enabled = True
    copy_view_enabled = False

    def get_queryset(self, request):
        return TerritorialUnit.objects.active().select_related("voivodeship", "parent")


class PracticeThemeViewSet(SnippetViewSet):
    model = PracticeTheme
    icon = "tag"
    menu_label = _("Practice themes")
    list_display = ["name", "slug"]
    search_fields = ["name"]
    search_backend_name = None
    ordering = ["name"]
    copy_view_enabled = False


register_snippet(TerritorialUnitViewSet)
register_snippet(PracticeThemeViewSet)
