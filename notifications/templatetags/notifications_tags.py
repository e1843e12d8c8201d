"""`{% notification_bell %}`: the bell in the site header (a link with the unread count, updated live by bell.js)."""

from django import template
from django.urls import reverse

from exchange_groups.conf import exchange_groups_settings

from ..services import unread_count

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    path = getattr(request, "path", "")
    return {
        "show": True,
        "unread": unread_count(user),
        "active": path.startswith(reverse("notifications:list")),
        "socket": "/" + exchange_groups_settings.ACCOUNT_SOCKET_PATH,
    }
