"""The e-mails of the notifications in the Wagtail admin: a read-only list for site administrators.

Nobody adds, edits or deletes an e-mail here: the tasks send them and record every attempt; a failed e-mail
stays listed with its last error (`manage.py send_pending_email` retries the pending ones).
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from oswiata_kit.admin import SiteAdminsViewOnlyPolicy

from .models import DeliveryStatus, EmailDelivery, EmailKind

register_permission_policy(EmailDelivery, SiteAdminsViewOnlyPolicy(EmailDelivery))


class EmailDeliveryFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("status"), choices=DeliveryStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=EmailKind.choices)

    class Meta:
        model = EmailDelivery
        fields = ["status", "kind"]


class EmailDeliveryViewSet(SnippetViewSet):
    model = EmailDelivery
    icon = "mail"
    menu_label = _("Notification e-mails")
    menu_order = 900
    add_to_admin_menu = True
    list_display = ["subject", "recipient", "kind", "status", "attempts", "created_at", "sent_at"]
    filterset_class = EmailDeliveryFilterSet
    search_fields = ["subject", "recipient__email"]
    search_backend_name = None
    ordering = ["-created_at"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "recipient",
        "kind",
        "subject",
        "body",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "created_at",
        "sent_at",
    ]
    copy_view_enabled = False

    def get_queryset(self, request):
        return EmailDelivery.objects.select_related("recipient").order_by("-created_at")


register_snippet(EmailDeliveryViewSet)
