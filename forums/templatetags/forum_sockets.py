"""`{% forum_socket "topic" topic.pk %}` and `{% forum_socket "forum" forum.pk %}`: the live sockets' addresses.

They follow FORUMS_SOCKET_PATH, as forums.routing does, so a host site that serves the routes elsewhere needs no
template of its own.
"""

from django import template

from ..conf import forums_settings

register = template.Library()

_ROUTES = {"topic": "watki/{pk}/", "forum": "{pk}/"}


@register.simple_tag
def forum_socket(kind: str, pk: int) -> str:
    return "/" + forums_settings.SOCKET_PATH + _ROUTES[kind].format(pk=int(pk))
