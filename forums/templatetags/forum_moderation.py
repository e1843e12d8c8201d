"""Template tags of forum moderation: the banner telling a sanctioned member why and until when."""

from django import template

from exchange_groups.spaces.permissions import is_site_admin

from ..permissions import active_sanction, can_configure_forum, can_moderate, can_read_forum

register = template.Library()


@register.inclusion_tag("forums/moderation/_sanction_banner.html", takes_context=True)
def sanction_banner(context, forum=None):
    request = context.get("request")
    user = getattr(request, "user", None)
    viewer = context.get("forum_viewer")  # the page's own facts of this person (forums.reading), when it has them
    if forum is not None and viewer is not None and viewer.forum.pk == forum.pk and viewer.user is user:
        return {"sanction": viewer.sanction if viewer.reads else None, "forum": forum}
    # Only to a person who still reads the forum: after leaving the space the notice (and its reason) is gone.
    readable = forum is not None and user is not None and can_read_forum(user, forum)
    sanction = active_sanction(user, forum) if readable else None
    return {"sanction": sanction, "forum": forum}


@register.simple_tag(takes_context=True)
def moderates(context, forum) -> bool:
    request = context.get("request")
    return forum is not None and request is not None and can_moderate(request.user, forum)


@register.simple_tag(takes_context=True)
def configures(context, forum) -> bool:
    request = context.get("request")
    return forum is not None and request is not None and can_configure_forum(request.user, forum)


@register.simple_tag(takes_context=True)
def site_admin(context) -> bool:
    request = context.get("request")
    return request is not None and is_site_admin(request.user)
