from urllib.parse import urlsplit

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from oswiata_kit.views import refusal_response


@require_GET
@never_cache
def health(request):
    """Liveness for the proxy and process supervisor: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# Fields never shown back: secrets and the form's own bookkeeping.
_NOT_SHOWN_BACK = ("password", "csrfmiddlewaretoken", "token", "next")
# The names of the usual text fields, in words; any other field is shown by its name.
_FIELD_NAMES = {
    "body": _("Text"),
    "title": _("Title"),
    "message": _("Message"),
    "reason": _("Reason"),
    "username": _("E-mail address"),
    "email": _("E-mail address"),
}


def _same_origin(request) -> bool:
    """The refused form was sent from one of our own pages (the token expired), not forged by another site."""
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    return bool(source) and urlsplit(source).netloc == request.get_host()


def csrf_failure(request, reason=""):
    """A state change refused for a missing or expired CSRF token (CSRF_FAILURE_VIEW).

    Nothing was changed. When the form came from our own page (a session or token that expired while the
    person was writing), the text they typed is shown back so that it is not lost; a forged request from
    another site gets no echo of what it sent.
    """
    typed = []
    if request.method == "POST" and _same_origin(request):
        for name, values in request.POST.lists():
            if any(word in name.lower() for word in _NOT_SHOWN_BACK):
                continue
            text = "\n".join(value for value in values if value.strip())
            if len(text.strip()) >= 2:
                typed.append((_FIELD_NAMES.get(name.rsplit("-", 1)[-1], name), text))
    return render(request, "oswiata_site/csrf_failure.html", {"typed": typed[:20]}, status=403)


def permission_denied(request, exception=None):
    """handler403: the one answer to a PermissionDenied raised by a `check_*` anywhere (see oswiata_kit.views).

    An anonymous visitor is sent to the login page (with `next`); anybody else gets a 403 page with the reason:
    the page the refusal names (a space's or a debate's own page, in their frame), else this site's generic one.
    """
    return refusal_response(request, exception, template="oswiata_site/403.html")
