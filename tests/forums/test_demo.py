"""The forum demo: lively discussions in several spaces and the nationwide forum, loaded idempotently."""

import pytest

from exchange_groups.models import SpaceRole
from exchange_groups.spaces import services as membership
from forums import demo
from forums.models import Mention, PostLike, PostRevision, Topic
from tests.factories import SpaceFactory, UserFactory

from .conftest import consenting

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world():
    admin = UserFactory(is_superuser=True)
    slugs = [
        "siec-gminy-wiejskie",
        "siec-gminy-miejsko-wiejskie",
        "siec-gminy-miejskie-i-powiaty",
        "gwd-wiejska",
        "gwd-miejska",
        "gwd-powiatowa",
        "siec-liderow",
    ]
    people = [
        consenting(UserFactory(email=f"osoba{n}@demo.oswiata-jst.pl", first_name=name, last_name=surname))
        for n, (name, surname) in enumerate(
            [
                ("Anna", "Nowak"),
                ("Tomasz", "Wiśniewski"),
                ("Małgorzata", "Zielińska"),
                ("Krzysztof", "Lewandowski"),
                ("Ewa", "Dąbrowska"),
            ]
        )
    ]
    for slug in slugs:
        space = SpaceFactory(slug=slug)
        for person in people:
            membership.add_member(admin, space, person, SpaceRole.PARTICIPANT, notify=False)


def test_demo_loads_discussions_in_spaces_and_the_site_forum(demo_world):
    demo.load()
    forums_with_topics = set(Topic.objects.values_list("category__forum", flat=True))
    assert len(forums_with_topics) >= 5
    assert Topic.objects.filter(category__forum__is_site_wide=True).exists()
    for topic in Topic.objects.all():
        assert 5 <= topic.post_count <= 20
        assert topic.posts.values("author").distinct().count() >= 3
    assert PostRevision.objects.count() == 1
    assert Mention.objects.exists() and PostLike.objects.exists()
    assert Topic.objects.filter(posts__quoted_post__isnull=False).exists()


def test_demo_second_load_changes_nothing(demo_world):
    demo.load()
    counts = (Topic.objects.count(), PostLike.objects.count(), PostRevision.objects.count())
    demo.load()
    assert (Topic.objects.count(), PostLike.objects.count(), PostRevision.objects.count()) == counts
