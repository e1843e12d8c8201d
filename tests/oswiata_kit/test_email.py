"""One e-mail path: rendered once (subject and body templates, one language rule, one site-name default) and
sent through the background task only after the transaction commits."""

import datetime
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.template import engines
from django.utils import timezone, translation

from oswiata_kit import email

REMOVED = "exchange_groups/email/membership_removed"
SPACE = SimpleNamespace(name="Sieć gmin wiejskich")


def render(**options):
    return email.render_email(REMOVED, {"space": SPACE, "reason": "Koniec cyklu."}, **options)


def test_render_email_uses_the_language_the_app_names():
    subject, body = render(language="en")
    assert subject == "You are no longer a member of “Sieć gmin wiejskich”"
    assert "The coordinator gave this reason:\nKoniec cyklu." in body


def test_render_email_without_a_language_uses_the_sites_not_the_active_one(settings):
    settings.LANGUAGE_CODE = "pl"
    with translation.override("en"):
        subject, _body = render()
    assert subject == "Nie jest Pan/Pani już członkiem przestrzeni „Sieć gmin wiejskich”"


def test_render_email_signs_with_the_site_name(settings):
    settings.WAGTAIL_SITE_NAME = "Oświata w Gminie"
    assert render(language="en")[1].rstrip().endswith("--\nOświata w Gminie")
    del settings.WAGTAIL_SITE_NAME
    assert render(language="en")[1].rstrip().endswith("--\nOświata JST")


def test_render_email_subject_is_one_line():
    subject, _body = email.render_email(REMOVED, {"space": SimpleNamespace(name="Sieć\ngmin\n\nwiejskich")})
    assert "\n" not in subject and "Sieć gmin wiejskich" in subject


def test_render_email_shows_times_in_the_time_zone_given(monkeypatch):
    template = engines["django"].from_string("{{ when|time:'H:i' }}")
    monkeypatch.setattr(email, "render_to_string", lambda name, context: template.render(context))
    moment = datetime.datetime(2026, 1, 15, 9, 0, tzinfo=datetime.UTC)
    assert email.render_email("x", {"when": moment}, time_zone=timezone.get_fixed_timezone(60))[1] == "10:00"
    assert email.render_email("x", {"when": moment}, time_zone=datetime.UTC)[1] == "09:00"


@pytest.mark.django_db
def test_send_email_goes_out_only_after_the_commit(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email.send_email(["anna@example.pl", "", "jan@example.pl"], REMOVED, {"space": SPACE}, language="en")
    assert mailoutbox == []
    for callback in callbacks:
        callback()
    assert [message.to for message in mailoutbox] == [["anna@example.pl"], ["jan@example.pl"]]
    assert mailoutbox[0].subject == "You are no longer a member of “Sieć gmin wiejskich”"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_send_email_of_a_rolled_back_change_sends_nothing(mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        email.send_email(["anna@example.pl"], REMOVED, {"space": SPACE}, language="en")
        raise RuntimeError("the change fails")
    assert mailoutbox == []


@pytest.mark.django_db
def test_send_email_to_nobody_queues_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        email.send_email([], REMOVED, {"space": SPACE})
    assert callbacks == []
