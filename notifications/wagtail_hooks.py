"""The e-mails of the notifications in the Wagtail admin: a read-only list for site administrators.

Nobody adds, edits or deletes an e-mail here: the tasks send them and record every attempt; a failed e-mail
stays listed with its last error (`manage.py send_pending_email` retries the pending ones).
"""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from exchange_groups.conf import exchange_groups_settings
from exchange_groups.spaces.permissions import is_site_admin

from .models import DeliveryStatus, EmailDelivery, EmailKind


class DeliveriesViewOnlyPolicy(ModelPermissionPolicy):
    """Site administrators may view (list, inspect); no other action is allowed to anybody."""

    def user_has_permission(self, user, action):
        return action == "view" and is_site_admin(user)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and is_site_admin(user)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if "view" not in actions:
            return users.none()
        return users.filter(Q(is_superuser=True) | Q(groups__name=exchange_groups_settings.ADMIN_GROUP)).distinct()


register_permission_policy(EmailDelivery, DeliveriesViewOnlyPolicy(EmailDelivery))


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
