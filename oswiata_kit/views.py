"""One refusal path for every app, and the small view helpers around it.

How a refusal travels:
- a `check_*` predicate (or a service) raises `PermissionDenied` with a translated message;
- nothing catches it in the view: the host's `handler403` answers, through `refusal_response`:
  an anonymous visitor is sent to the login page (with `next`), anybody else gets a 403 page;
- the 403 page is the host's generic one (the message in the site's frame), unless the refusal is a `Refusal`
  naming its own page: the apps use that to keep a friendly page inside their frame (a space's header and
  navigation, a debate's link back). `refusal_page(...)` turns any `PermissionDenied` raised inside it into such
  a `Refusal`.

A host site names a handler403 that calls `refusal_response`: Oświata JST has `oswiata_site.views.permission_denied`
(its own page in the site's frame); any other host may name `oswiata_kit.views.permission_denied` (the kit's page
inside the host's base template). Without one, Django's default 403 page is shown and anonymous visitors are not
sent to log in.

The rest: `post_only` (405 for anything but POST; put it *under* the decorator that checks privacy and rights, so
that a private object answers 404 first), `login_required` (Django's: a redirect to the login page), and
`call_service`, the "call a service, turn its rule error into a form error or a message, redirect" every form
view repeats, and `submit_form`, the same for a form page ("on a valid POST, call the service with the form's data").
"""

import contextlib
from collections.abc import Callable, Mapping

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from oswiata_kit.errors import RuleError

__all__ = [
    "Refusal",
    "call_service",
    "login_required",
    "permission_denied",
    "post_only",
    "refusal_page",
    "refusal_response",
    "submit_form",
]

#: 405 for every method but POST (`Allow: POST`). Place it under the privacy and permission decorators.
post_only = require_POST


class Refusal(PermissionDenied):
    """A PermissionDenied that names the page showing it: `template` rendered with `context` and `message`.

    The message is the translated reason (often the one a `check_*` raised); the page may show it or its own text.
    """

    def __init__(self, message="", *, template: str | None = None, context: Mapping | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.template = template
        self.context = dict(context or {})


@contextlib.contextmanager
def refusal_page(template: str, **context):
    """Show a PermissionDenied raised inside (by a `check_*` or a service) with `template` and `context`.

    with refusal_page("debates/not_allowed.html", debate=debate):
        check_can_write_summary(request.user, debate)
    """
    try:
        yield
    except Refusal:
        raise
    except PermissionDenied as error:
        raise Refusal(error, template=template, context=context) from error


def refusal_response(request, exception=None, *, template: str):
    """The one answer to a PermissionDenied: log in first (anonymous visitors), else a 403 page with the reason.

    `template` is the host's generic page (`message` in its context); a `Refusal` with a template of its own uses
    that one instead, with its context.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    message = str(exception) if exception is not None else ""
    context = {}
    if isinstance(exception, Refusal):
        context.update(exception.context)
        template = exception.template or template
    context["message"] = message
    return render(request, template, context, status=403)


def permission_denied(request, exception=None):
    """A ready handler403 for a host site (`handler403 = "oswiata_kit.views.permission_denied"` in its URLconf)."""
    return refusal_response(request, exception, template="oswiata_kit/403.html")


def _error_field(form, error, error_field) -> str | None:
    """Where a rule error goes on a form: the field named by `error_field` (a name, or a map code → name), else the
    error's own `field` when the form has it, else the whole form."""
    if isinstance(error_field, str):
        return error_field
    if isinstance(error_field, Mapping):
        return error_field.get(getattr(error, "code", None))
    field = getattr(error, "field", None)
    return field if field in form.fields else None


def call_service(
    request,
    service: Callable,
    *args,
    redirect_to,
    errors: type[Exception] | tuple[type[Exception], ...] = RuleError,
    success_message: str | Callable | None = None,
    on_error=None,
    error_field: str | Mapping | None = None,
    **kwargs,
):
    """Call `service(*args, **kwargs)` for a view and answer the way every form of ours does.

    - It succeeds: `success_message` (a text, or a function of the service's result; empty or None: no message)
      becomes a success message and the answer is a redirect to `redirect_to` (anything `redirect()` takes, or a
      function of the result).
    - It refuses by a rule (one of `errors`: by default any `RuleError`, the domain error with a translated
      `message` every area raises): with a form
      (`on_error=form`) the message goes onto the form (see `_error_field`) and None is returned, so the view shows
      the form again; without a form the message becomes an error message and the answer is the same redirect
      (`redirect_to` must then not depend on the result).
    """
    try:
        result = service(*args, **kwargs)
    except errors as error:
        if on_error is not None:
            on_error.add_error(_error_field(on_error, error, error_field), error.message)
            return None
        messages.error(request, error.message)
        return redirect(redirect_to)
    text = success_message(result) if callable(success_message) else success_message
    if text:
        messages.success(request, text)
    return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)


def submit_form(request, form, act: Callable, **answer):
    """The body of a form page: on a POST whose `form` is valid, `act(form.cleaned_data)` calls the service through
    `call_service` (`answer`: its `success_message`, `redirect_to`, `error_field`, `errors`).

    Returns the redirect after a success, or None when the view shows the form again: a GET, an invalid form, or a
    rule the service refused (its message is then on the form).
    """
    if request.method != "POST" or not form.is_valid():
        return None
    return call_service(request, act, form.cleaned_data, on_error=form, **answer)
