"""The debate demo: the listing, an open debate with replies, a closed one with a position paper, an upcoming
one; loading twice adds nothing."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from debates import demo
from debates.models import DebatePage, DebateSummaryPage, DebateTopic, Phase
from exchange_groups import demo as people_demo
from forums import demo as forums_demo
from forums.models import Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings, terc_registry):
    """The demo data (its people need the TERC register, loaded once for every test that uses it)."""
    settings.DEBATES_TASK_BACKEND = "database"
    people_demo.load()
    forums_demo.load()
    demo.load()


def _counts():
    return (
        DebatePage.objects.count(),
        DebateTopic.objects.count(),
        DebateSummaryPage.objects.count(),
        Post.objects.count(),
        DBTaskResult.objects.count(),
    )


def test_demo_has_a_debate_in_each_phase_but_summary(loaded, client):
    debates = {debate.slug: debate for debate in DebatePage.objects.live()}
    assert debates["dowozenie-uczniow-a-siec-szkol"].phase == Phase.DISCUSSION
    assert debates["subwencja-oswiatowa-a-potrzeby-oswiatowe"].phase == Phase.CLOSED
    assert debates["strategia-oswiatowa-gminy"].phase == Phase.ANNOUNCED
    open_debate = debates["dowozenie-uczniow-a-siec-szkol"]
    assert DebateTopic.objects.filter(debate=open_debate).count() == 3
    assert Post.objects.filter(topic__debate_link__debate=open_debate).count() > 1
    summary = debates["subwencja-oswiatowa-a-potrzeby-oswiatowe"].summary
    assert len(summary.cited_post_ids()) == 2
    listing = client.get("/debaty/")
    assert listing.status_code == 200
    assert summary.url in listing.content.decode()
    closed = debates["subwencja-oswiatowa-a-potrzeby-oswiatowe"]
    for url in (
        open_debate.url,
        closed.url,
        summary.url,
        reverse("debates:summary_print", kwargs={"debate_id": closed.pk}),
        reverse("debates:summary_pdf", kwargs={"debate_id": closed.pk}),
    ):
        assert client.get(url).status_code == 200, url
    assert "Stanowisko" in client.get(summary.url).content.decode() or "Position" in summary.title


def test_demo_load_twice_adds_nothing(loaded):
    counts = _counts()
    demo.load()
    assert _counts() == counts
