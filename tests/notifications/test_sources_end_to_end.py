"""One end-to-end test per source: the real moderation and debate services send their signals, people are told."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Locale, Page

from forums import moderation
from forums import services as forum_services
from notifications.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db


def test_hiding_a_reported_post_tells_its_author_and_the_reporter(world, committed):
    with committed():
        post, _is_new = forum_services.create_post(
            world["other"], world["topic"], "Kup tanie podręczniki, link w profilu!"
        )
        moderation.report_post(world["watcher"], post, "To jest reklama.")
    Notification.objects.all().delete()
    with committed():
        moderation.hide_post(world["coordinator"], post, "Reklama niezgodna z regulaminem forum.")
    told = Notification.objects.get(recipient=world["other"])
    assert told.kind == NotificationKind.MODERATION
    assert told.params["action"] == "hide"
    assert told.params["reason"] == "Reklama niezgodna z regulaminem forum."
    reporter = Notification.objects.get(recipient=world["watcher"])
    assert reporter.params["role"] == "reporter"
    assert not Notification.objects.filter(recipient=world["coordinator"]).exists()


def test_two_warnings_about_one_post_are_two_notifications(world, committed):
    with committed():
        post, _is_new = forum_services.create_post(world["other"], world["topic"], "Ostry wpis.")
    with committed():
        moderation.warn_author(world["coordinator"], post, "Proszę zachować kulturę dyskusji.")
    with committed():
        moderation.warn_author(world["coordinator"], post, "Drugie upomnienie.")
    reasons = Notification.objects.filter(recipient=world["other"], kind=NotificationKind.MODERATION)
    assert sorted(n.params["reason"] for n in reasons) == ["Drugie upomnienie.", "Proszę zachować kulturę dyskusji."]


def test_opening_a_debate_tells_the_members_of_its_space(world, committed):
    from debates.models import DebateIndexPage, DebateModerator, DebatePage
    from debates.services import open_debate

    Locale.objects.get_or_create(language_code="pl")
    home = Page.objects.filter(depth=2).first() or Page.get_first_root_node()
    index = DebateIndexPage(title="Debaty", slug="debaty-powiadomienia")
    home.add_child(instance=index)
    now = timezone.now()
    debate = DebatePage(
        title="Debata: subwencja oświatowa a sieć szkół",
        slug="debata-subwencja",
        lead="Czy subwencja wystarcza na małe szkoły?",
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=7),
        owner=world["admin"],
        live=True,
    )
    index.add_child(instance=debate)
    debate.target_spaces.set([world["space"]])
    DebateModerator.objects.create(page=debate, user=world["coordinator"], sort_order=0)
    debate.save()
    with committed():
        (topic,) = open_debate(DebatePage.objects.get(pk=debate.pk))
    for key in ("author", "watcher", "other"):
        notification = Notification.objects.get(recipient=world[key], kind=NotificationKind.DEBATE)
        assert notification.url == topic.get_absolute_url()
        assert notification.title == "Debata: subwencja oświatowa a sieć szkół"
    assert not Notification.objects.filter(recipient=world["private_member"]).exists()
    assert not Notification.objects.filter(recipient=world["outsider"]).exists()
