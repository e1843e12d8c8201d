"""WSGI entry point: production serves pages through gunicorn (DESIGN.md, "Serving pages and sockets")."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oswiata_site.settings.dev")

application = get_wsgi_application()
