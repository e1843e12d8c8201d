"""The learning app in the Wagtail admin: competence areas and meeting attendance as snippets, course reports
in the menu (for coordinators and course teams)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import AttendanceRecord, CompetenceArea
from .permissions import can_manage_any_course


class CompetenceAreaViewSet(SnippetViewSet):
    model = CompetenceArea
    icon = "tag"
    menu_label = _("Competence areas")
    add_to_admin_menu = True
    menu_order = 310
    list_display = ["name", "sort_order"]


class AttendanceRecordViewSet(SnippetViewSet):
    model = AttendanceRecord
    icon = "group"
    menu_label = _("Meeting attendance (courses)")
    list_display = ["user", "course", "meeting", "date"]
    list_filter = ["course"]


register_snippet(CompetenceAreaViewSet)
register_snippet(AttendanceRecordViewSet)


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_any_course(request.user)


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return ReportsMenuItem(_("Course reports"), reverse("learning:report_list"), icon_name="table", order=320)
