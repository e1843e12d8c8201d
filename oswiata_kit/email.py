"""One way to write and send an e-mail.

- Rendering: `<prefix>_subject.txt` and `<prefix>_body.txt`, with `site_name` in the context (the setting
  `WAGTAIL_SITE_NAME`, default "Oświata JST"); the subject is one line.
- Language, one rule: an e-mail is rendered in the language its caller names (an app's e-mail language setting,
  or the request's language for a message the person asked for on a page); without one, in the site's
  `LANGUAGE_CODE` — never in whatever language happens to be active in a worker or a signal receiver.
- Times: in the time zone the caller names (meetings: theirs), else the active one.
- Sending: rendered now (inside the change), handed to the background task `deliver_email` only once the
  transaction commits: a change that is rolled back sends nothing, and no request waits for the mail server.

The notifications keep their own outgoing queue (recorded deliveries with retries and unsubscribe headers); they
render with `render_email` too.
"""

import contextlib
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from oswiata_kit.conf import kit_settings

MAX_SUBJECT = 255


def render_email(template_prefix: str, context: dict, *, language: str | None = None, time_zone=None):
    """(subject, body) of `<prefix>_subject.txt` / `<prefix>_body.txt` in `language` (default: LANGUAGE_CODE)."""
    context = {"site_name": kit_settings.SITE_NAME, **context}
    zone = timezone.override(time_zone) if time_zone is not None else contextlib.nullcontext()
    with translation.override(language or settings.LANGUAGE_CODE), zone:
        subject = render_to_string(f"{template_prefix}_subject.txt", context)
        body = render_to_string(f"{template_prefix}_body.txt", context)
    return " ".join(subject.split())[:MAX_SUBJECT], body


@task()
def deliver_email(to: str, subject: str, body: str) -> None:
    """Send one plain-text e-mail (a background task; already rendered)."""
    send_mail(subject, body, None, [to])


def send_after_commit(recipients: Iterable[str], subject: str, body: str) -> None:
    """Queue one e-mail per recipient once the current transaction commits (nothing when it is rolled back)."""
    recipients = [address for address in recipients if address]
    if not recipients:
        return

    def send():
        for address in recipients:
            deliver_email.enqueue(address, subject, body)

    transaction.on_commit(send)


def send_email(
    recipients: Iterable[str], template_prefix: str, context: dict, *, language: str | None = None, time_zone=None
) -> None:
    """Render the e-mail now and send it to each recipient after the commit (see the module for the rules)."""
    recipients = [address for address in recipients if address]
    if recipients:
        subject, body = render_email(template_prefix, context, language=language, time_zone=time_zone)
        send_after_commit(recipients, subject, body)
