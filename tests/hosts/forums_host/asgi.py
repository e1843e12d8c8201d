"""The forums host's own ASGI application: HTTP through Django, the apps' WebSocket routes behind the same guards
the site uses (origin check, session login)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.hosts.forums_host.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from exchange_groups.routing import websocket_urlpatterns as exchange_groups_routes  # noqa: E402
from forums.routing import websocket_urlpatterns as forums_routes  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter([*exchange_groups_routes, *forums_routes]))
        ),
    }
)
