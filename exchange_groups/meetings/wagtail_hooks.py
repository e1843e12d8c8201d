"""Meetings in the Wagtail admin: a read-only list for site administrators (with filters and an inspect page).

Coordinators plan and change meetings, mark attendance and add minutes on the space's pages (through
`meetings.py`), so that places are counted under a lock and people are told by e-mail; nobody adds, edits or
deletes a meeting or a registration here. The online link is not shown in the admin either. Imported at the end
of `wagtail_hooks.py` (Wagtail loads only that module).
"""

import django_filters
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from exchange_groups.models import Meeting, MeetingMode, MeetingStatus, Registration, RegistrationStatus, Space
from oswiata_kit.admin import SiteAdminsViewOnlyPolicy

register_permission_policy(Meeting, SiteAdminsViewOnlyPolicy(Meeting))
register_permission_policy(Registration, SiteAdminsViewOnlyPolicy(Registration))


class MeetingFilterSet(WagtailFilterSet):
    space = django_filters.ModelChoiceFilter(label=_("space"), queryset=Space.objects.order_by("kind", "name"))
    mode = django_filters.ChoiceFilter(label=_("form of the meeting"), choices=MeetingMode.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=MeetingStatus.choices)

    class Meta:
        model = Meeting
        fields = ["space", "mode", "status"]


class RegistrationFilterSet(WagtailFilterSet):
    meeting = django_filters.ModelChoiceFilter(
        label=_("meeting"), queryset=Meeting.objects.select_related("space").order_by("-starts_at")
    )
    status = django_filters.ChoiceFilter(label=_("status"), choices=RegistrationStatus.choices)

    class Meta:
        model = Registration
        fields = ["meeting", "status", "attendance"]


class MeetingViewSet(SnippetViewSet):
    model = Meeting
    icon = "date"
    menu_label = _("Meetings")
    list_display = [
        "title",
        "space",
        "starts_at",
        "mode",
        "status",
        "capacity",
        Column("registered_count", label=_("people registered"), accessor="registered_count"),
    ]
    filterset_class = MeetingFilterSet
    search_fields = ["title", "venue", "address"]
    search_backend_name = None
    ordering = ["-starts_at"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "title",
        "space",
        "mode",
        "starts_at",
        "ends_at",
        "venue",
        "address",
        "agenda",
        "capacity",
        "registration_deadline",
        "status",
        "cancellation_reason",
        "minutes",
        "created_by",
        "created_at",
    ]
    copy_view_enabled = False

    def get_queryset(self, request):
        return (
            Meeting.objects.select_related("space")
            .annotate(
                registered_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED))
            )
            .order_by("-starts_at")
        )


class RegistrationViewSet(SnippetViewSet):
    model = Registration
    icon = "user"
    menu_label = _("Registrations for meetings")
    list_display = ["user", "meeting", "status", "created_at", "attendance"]
    filterset_class = RegistrationFilterSet
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    search_backend_name = None
    ordering = ["-created_at"]
    inspect_view_enabled = True
    copy_view_enabled = False

    def get_queryset(self, request):
        return Registration.objects.select_related("user", "meeting__space")


class MeetingsGroup(SnippetViewSetGroup):
    items = (MeetingViewSet, RegistrationViewSet)
    menu_icon = "date"
    menu_label = _("Meetings")
    menu_name = "meetings"


register_snippet(MeetingsGroup)
