"""Fixtures of the debate tests: spaces with members, moderators, an editor, the listing and debates.

The clock is controllable: `T0` is a fixed moment; debates open at T0 + 1 day and close at T0 + 8 days.
Services take `now=`; where a task or the worker runs, `django.utils.timezone.now` is patched (`clock`).
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Locale, Page

from debates.models import DebateIndexPage, DebateModerator, DebatePage
from exchange_groups.accounts.permissions import REQUIRED_CONSENTS
from exchange_groups.accounts.services import give_consent
from exchange_groups.models import SpaceRole, SpaceVisibility
from exchange_groups.spaces import services as membership
from forums import services as forum_services
from tests.factories import SpaceFactory, UserFactory

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
OPENS = T0 + datetime.timedelta(days=1)
CLOSES = T0 + datetime.timedelta(days=8)


def at(days=0, hours=0):
    return T0 + datetime.timedelta(days=days, hours=hours)


def consenting(user):
    for purpose in REQUIRED_CONSENTS:
        give_consent(user, purpose)
    return user


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.EXCHANGE_GROUPS_PRIVATE_MEDIA_ROOT = str(tmp_path / "private-media")


class Clock:
    """`django.utils.timezone.now` patched to a moment the test moves."""

    def __init__(self, monkeypatch, start):
        self.now = start
        monkeypatch.setattr("django.utils.timezone.now", lambda: self.now)

    def set(self, moment):
        self.now = moment


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, T0)


@pytest.fixture
def world(db):
    admin = UserFactory(is_superuser=True, first_name="Ewa", last_name="Administratorka")
    public = SpaceFactory(name="Sieć gmin wiejskich", slug="siec-gmin-wiejskich")
    private = SpaceFactory(name="GWD powiatowa", slug="gwd-powiatowa", visibility=SpaceVisibility.PRIVATE)
    moderator = consenting(UserFactory(first_name="Tomasz", last_name="Wiśniewski"))
    membership.add_member(admin, public, moderator, SpaceRole.MODERATOR, notify=False)
    membership.add_member(admin, private, moderator, SpaceRole.PARTICIPANT, notify=False)
    member = consenting(UserFactory(first_name="Anna", last_name="Nowak"))
    membership.add_member(admin, public, member, SpaceRole.PARTICIPANT, notify=False)
    private_member = consenting(UserFactory(first_name="Piotr", last_name="Powiatowy"))
    membership.add_member(admin, private, private_member, SpaceRole.PARTICIPANT, notify=False)
    other_moderator = consenting(UserFactory(first_name="Bogdan", last_name="Innydebaty"))
    membership.add_member(admin, public, other_moderator, SpaceRole.PARTICIPANT, notify=False)
    plain = consenting(UserFactory(first_name="Jan", last_name="Zwykły"))
    editor = consenting(UserFactory(first_name="Piotr", last_name="Kamiński"))
    editor.groups.add(Group.objects.get_or_create(name="Redaktor ZMP")[0])
    for space in (public, private):
        forum_services.ensure_forum(space)
    Locale.objects.get_or_create(language_code="pl")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = Page.objects.filter(depth=2).first() or root
    index = DebateIndexPage(title="Debaty", slug="debaty-test")
    home.add_child(instance=index)
    index.save_revision().publish()
    return {
        "admin": admin,
        "public": public,
        "private": private,
        "moderator": moderator,
        "member": member,
        "private_member": private_member,
        "other_moderator": other_moderator,
        "plain": plain,
        "editor": editor,
        "index": DebateIndexPage.objects.get(pk=index.pk),
    }


def make_debate(
    world,
    *,
    title="Subwencja oświatowa a sieć szkół",
    spaces=None,
    site_wide=False,
    moderators=None,
    opens_at=OPENS,
    closes_at=CLOSES,
    publish=True,
    owner=None,
):
    debate = DebatePage(
        title=title,
        slug=f"debata-{DebatePage.objects.count() + 1}",
        lead="Czy subwencja oświatowa wystarcza na utrzymanie małych szkół?",
        questions=[
            {"type": "question", "value": "Jak liczyć koszty dowożenia uczniów?"},
            {"type": "question", "value": "Kiedy łączyć szkoły w sieci?"},
        ],
        site_wide=site_wide,
        opens_at=opens_at,
        closes_at=closes_at,
        owner=owner or world["editor"],
        live=publish,
    )
    world["index"].add_child(instance=debate)
    debate.target_spaces.set(spaces if spaces is not None else [world["public"]])
    for order, person in enumerate(moderators if moderators is not None else [world["moderator"]]):
        DebateModerator.objects.create(page=debate, user=person, sort_order=order)
    debate.save()
    if publish:
        debate.save_revision(user=owner or world["editor"]).publish()
    return DebatePage.objects.get(pk=debate.pk)


@pytest.fixture
def debate(world):
    return make_debate(world)
