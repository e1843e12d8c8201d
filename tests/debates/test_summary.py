"""The summary (stanowisko/podsumowanie): who may write it, when, what it cites, and its print view and PDF."""

import pytest
from django.urls import reverse
from wagtail.models import Revision

from debates import services
from debates.models import DebatePage, DebateSummaryPage, DebateTopic, Phase
from forums import services as forum_services

from .conftest import CLOSES, OPENS, make_debate

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(world, debate):
    services.open_debate(debate, now=OPENS)
    topic = DebateTopic.objects.get(debate=debate).topic
    reply, _is_new = forum_services.create_post(
        world["member"], topic, "Dowożenie uczniów kosztuje nas więcej niż część oświatowa subwencji. " * 8
    )
    hidden, _is_new = forum_services.create_post(world["member"], topic, "Wpis ukryty przez moderatora.")
    forum_services.set_hidden(world["admin"], hidden, True)
    services.close_debate(DebatePage.objects.get(pk=debate.pk), now=CLOSES)
    debate = DebatePage.objects.get(pk=debate.pk)
    return {"debate": debate, "topic": topic, "reply": reply, "hidden": hidden}


def url(debate):
    return reverse("debates:summary_edit", kwargs={"debate_id": debate.pk})


def login(client, user):
    client.force_login(user)
    return client


def test_anonymous_visitor_is_sent_to_login(client, closed):
    response = client.get(url(closed["debate"]))
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logowanie/")


@pytest.mark.parametrize("persona", ["plain", "member", "other_moderator"])
def test_people_who_do_not_moderate_the_debate_are_refused_with_a_reason(client, world, closed, persona):
    response = login(client, world[persona]).post(url(closed["debate"]), {"body": "Stanowisko", "kind": "summary"})
    assert response.status_code == 403
    assert "moderators of this debate" in response.content.decode() or "moderatorzy" in response.content.decode()
    assert not DebateSummaryPage.objects.exists()


def test_moderator_of_another_debate_is_refused(client, world, closed):
    make_debate(world, title="Inna debata", moderators=[world["other_moderator"]])
    response = login(client, world["other_moderator"]).get(url(closed["debate"]))
    assert response.status_code == 403


def test_unpublished_debate_is_not_found(client, world):
    debate = make_debate(world, publish=False)
    assert login(client, world["moderator"]).get(url(debate)).status_code == 404


def test_summary_cannot_be_written_before_the_debate_closes(client, world, debate):
    services.open_debate(debate, now=OPENS)
    response = login(client, world["moderator"]).post(url(debate), {"body": "Za wcześnie", "kind": "summary"})
    assert response.status_code == 403
    assert not DebateSummaryPage.objects.exists()


def test_form_lists_the_visible_posts_of_the_debate_topics(client, world, closed):
    response = login(client, world["moderator"]).get(url(closed["debate"]))
    assert response.status_code == 200
    text = response.content.decode()
    assert f'value="{closed["reply"].pk}"' in text
    assert f'value="{closed["hidden"].pk}"' not in text


def test_empty_summary_is_refused_with_a_linked_error(client, world, closed):
    response = login(client, world["moderator"]).post(url(closed["debate"]), {"body": "  ", "kind": "summary"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not DebateSummaryPage.objects.exists()


def test_citing_a_hidden_or_foreign_post_is_refused(client, world, closed):
    response = login(client, world["moderator"]).post(
        url(closed["debate"]), {"body": "Tekst", "kind": "summary", "cited_posts": [closed["hidden"].pk]}
    )
    assert response.status_code == 200
    assert not DebateSummaryPage.objects.exists()


def test_moderator_publishes_a_summary_citing_posts(client, world, closed):
    reply = closed["reply"]
    response = login(client, world["moderator"]).post(
        url(closed["debate"]),
        {"body": "## Wnioski\n\nSubwencja nie pokrywa **dowożenia**.", "kind": "position", "cited_posts": [reply.pk]},
    )
    summary = DebateSummaryPage.objects.get()
    assert response.status_code == 302 and response["Location"] == summary.url
    assert summary.live and summary.get_parent().pk == closed["debate"].pk
    assert summary.title.startswith("Stanowisko") or summary.title.startswith("Position")
    cited = [child.value for child in summary.body if child.block_type == "cited_post"]
    assert cited[0]["post_id"] == reply.pk
    assert cited[0]["author_name"] == "Anna Nowak"
    assert len(cited[0]["excerpt"]) <= 300
    debate = DebatePage.objects.get(pk=closed["debate"].pk)
    assert debate.phase == Phase.CLOSED
    page = client.get(summary.url).content.decode()
    assert "<strong>dowożenia</strong>" in page
    assert reverse("forums:post", kwargs={"post_id": reply.pk}) in page


def test_double_submit_publishes_one_page_and_one_revision(client, world, closed):
    # The public space's moderator: an editor outside the space may not read (or quote) its forum (issue 12).
    login(client, world["moderator"])
    data = {"body": "Podsumowanie debaty.", "kind": "summary", "cited_posts": [closed["reply"].pk]}
    first = client.post(url(closed["debate"]), data)
    second = client.post(url(closed["debate"]), data)
    assert first.status_code == second.status_code == 302
    summary = DebateSummaryPage.objects.get()
    assert Revision.page_revisions.filter(object_id=str(summary.pk)).count() == 1


def test_correcting_the_summary_publishes_a_new_revision(client, world, closed):
    login(client, world["moderator"])
    client.post(url(closed["debate"]), {"body": "Pierwsza wersja.", "kind": "summary"})
    client.post(url(closed["debate"]), {"body": "Poprawiona wersja.", "kind": "summary"})
    summary = DebateSummaryPage.objects.get()
    assert "Poprawiona" in summary.markdown_text()
    assert Revision.page_revisions.filter(object_id=str(summary.pk)).count() == 2


def test_summary_links_from_the_debate_page_listing_and_topic_banner(client, world, closed):
    summary, _changed = services.save_summary(world["moderator"], closed["debate"], body="Wnioski.")
    debate_page = client.get(closed["debate"].url).content.decode()
    assert summary.url in debate_page
    listing = client.get(world["index"].url).content.decode()
    assert summary.url in listing and closed["debate"].title in listing
    login(client, world["member"])
    topic_page = client.get(closed["topic"].get_absolute_url())
    from django.template import Context, Template

    banner = Template("{% load debates_tags %}{% debate_banner topic %}").render(Context({"topic": closed["topic"]}))
    assert summary.url in banner and closed["debate"].url in banner
    assert topic_page.status_code == 200


def test_print_view_and_pdf_are_public_once_published(client, world, closed):
    debate = closed["debate"]
    print_url = reverse("debates:summary_print", kwargs={"debate_id": debate.pk})
    pdf_url = reverse("debates:summary_pdf", kwargs={"debate_id": debate.pk})
    assert client.get(print_url).status_code == 404
    assert client.get(pdf_url).status_code == 404
    services.save_summary(
        world["moderator"], debate, body="Zażółć gęślą jaźń: sieć szkół.", cited_post_ids=[closed["reply"].pk]
    )
    printed = client.get(print_url)
    assert printed.status_code == 200
    assert "site-nav" not in printed.content.decode()
    assert "Zażółć gęślą jaźń" in printed.content.decode()
    pdf = client.get(pdf_url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and b"DejaVuSans" in pdf.content
