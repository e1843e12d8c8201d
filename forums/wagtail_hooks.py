"""Forums in the Wagtail admin: administrators keep each forum's categories (names, addresses, order).

Topics and posts are not edited here: they change only through the forum pages and services (sequence
numbers, history, live updates). Moderation happens on the forum pages (forums.moderation_views); the
admin shows administrators read-only lists of reports, sanctions and the moderation log ("Moderacja forów").
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Category


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "folder-open-inverse"
    menu_label = _("Forum categories")
    add_to_admin_menu = False
    list_display = ["name", "forum", "slug", "order"]
    list_filter = ["forum"]
    search_fields = ["name"]
    search_backend_name = None
    ordering = ["forum", "order", "name"]
    copy_view_enabled = False
    form_fields = ["forum", "name", "slug", "description", "order"]


register_snippet(CategoryViewSet)


# --- moderation (issue 6): read-only views for administrators ---------------------------------------------------
# Reports, sanctions and the moderation log change only through the moderation services (they log, signal and
# update live readers); the admin shows them for review, to administrators only.

from wagtail import hooks  # noqa: E402
from wagtail.admin.viewsets.base import ViewSetGroup  # noqa: E402
from wagtail.admin.viewsets.model import ModelViewSet  # noqa: E402
from wagtail.permission_policies.base import ModelPermissionPolicy  # noqa: E402
from wagtail.permissions import register_permission_policy  # noqa: E402

from exchange_groups.spaces.permissions import is_site_admin  # noqa: E402

from .models import ModerationAction, Report, Sanction  # noqa: E402


class AdministratorsReadOnly(ModelPermissionPolicy):
    """Only administrators (superusers) see these, and nobody adds, changes or deletes them here."""

    def user_has_permission(self, user, action):
        return action == "view" and is_site_admin(user)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        if "view" not in actions:
            return get_user_model().objects.none()
        return get_user_model().objects.filter(is_active=True, is_superuser=True)


for _model in (Report, Sanction, ModerationAction):
    register_permission_policy(_model, AdministratorsReadOnly(_model))


class _ReadOnlyViewSet(ModelViewSet):
    add_to_admin_menu = False
    inspect_view_enabled = True
    copy_view_enabled = False
    search_backend_name = None


class ReportViewSet(_ReadOnlyViewSet):
    model = Report
    icon = "warning"
    menu_label = pgettext_lazy("forum moderation", "Reports")
    list_display = ["post", "reporter", "reason", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["reason"]
    ordering = ["-created_at"]
    form_fields = ["status"]


class SanctionViewSet(_ReadOnlyViewSet):
    model = Sanction
    icon = "lock"
    menu_label = pgettext_lazy("forum moderation", "Sanctions")
    list_display = ["user", "space", "kind", "reason", "starts_at", "ends_at", "lifted_at"]
    list_filter = ["kind", "space"]
    search_fields = ["reason"]
    ordering = ["-starts_at"]
    form_fields = ["reason"]


class ModerationLogViewSet(_ReadOnlyViewSet):
    model = ModerationAction
    icon = "list-ul"
    menu_label = pgettext_lazy("forum moderation", "Moderation log")
    list_display = ["created_at", "actor", "kind", "forum", "topic", "target_user", "reason"]
    list_filter = ["kind", "forum"]
    search_fields = ["reason"]
    ordering = ["-created_at"]
    form_fields = ["reason"]


class ModerationGroup(ViewSetGroup):
    menu_label = pgettext_lazy("forum moderation", "Forum moderation")
    menu_icon = "warning"
    menu_order = 260
    items = (ReportViewSet("forum_reports"), SanctionViewSet("forum_sanctions"), ModerationLogViewSet("forum_log"))


@hooks.register("register_admin_viewset")
def register_moderation_viewsets():
    return ModerationGroup()
