"""Forums in the Wagtail admin: administrators keep each forum's categories (names, addresses, order).

Topics and posts are not edited here: they change only through the forum pages and services (sequence
numbers, history, live updates). Moderation tools come with their own issue.
"""

from django.utils.translation import gettext_lazy as _
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
