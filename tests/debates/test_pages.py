"""The public face of debates: the listing, the debate page, the topic banner, and the admin form."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from debates import services
from debates.models import DebatePage, DebateTopic, Phase

from .conftest import CLOSES, OPENS, make_debate

pytestmark = pytest.mark.django_db


def test_listing_shows_published_debates_by_phase_to_anonymous_visitors(client, world):
    upcoming = make_debate(world, title="Zapowiedziana debata o dowożeniu uczniów")
    running = make_debate(world, title="Otwarta debata o sieci szkół")
    services.open_debate(running, now=OPENS)
    make_debate(world, title="Szkic debaty", publish=False)
    response = client.get(world["index"].url)
    text = response.content.decode()
    assert response.status_code == 200
    assert upcoming.title in text and running.title in text
    assert "Szkic debaty" not in text
    sections = response.context["sections"]
    by_phase = {section["phase"]: [d.pk for d in section["debates"]] for section in sections}
    assert by_phase[Phase.ANNOUNCED] == [upcoming.pk]
    assert by_phase[Phase.DISCUSSION] == [running.pk]
    assert 'class="debate-phase debate-phase--announced"' in text


def _closed_with_summary(world, title, *, text="Wnioski."):
    debate = make_debate(world, title=title)
    services.open_debate(debate, now=OPENS)
    services.close_debate(DebatePage.objects.get(pk=debate.pk), now=CLOSES)
    summary, _changed = services.save_summary(world["moderator"], DebatePage.objects.get(pk=debate.pk), body=text)
    return debate, summary


def _listing_queries(client, url) -> int:
    """Queries of the listing in the steady state: the request before it fills the caches a change emptied."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_listing_queries_do_not_grow_with_debates(client, world):
    _closed_with_summary(world, "Pierwsza debata")
    make_debate(world, title="Zapowiedziana debata")
    url = world["index"].url
    client.get(url)  # warm the per-process caches (content types, site root paths)
    before = _listing_queries(client, url)
    _closed_with_summary(world, "Druga debata")
    _closed_with_summary(world, "Trzecia debata")
    make_debate(world, title="Kolejna zapowiedziana debata")
    assert _listing_queries(client, url) == before


def test_listing_shows_twelve_debates_a_page_in_phase_order_and_the_thirteenth_on_page_two(client, world):
    url = world["index"].url
    _closed, summary = _closed_with_summary(world, "Debata zamknięta")
    for number in range(1, 13):
        make_debate(world, title=f"Zapowiedziana numer {number:02}")
    client.get(url)  # warm the per-process caches
    first = client.get(url).content.decode()
    assert "Zapowiedziana numer 12" in first and "Debata zamknięta" not in first  # upcoming ones come first
    assert '<nav class="pagination" aria-label="Strony debat">' in first
    assert "Strona 1 z 2" in first
    second = client.get(url + "?strona=2").content.decode()
    assert "Debata zamknięta" in second and "Zapowiedziana numer" not in second
    assert summary.url in second  # its summary is still linked
    assert "Debata zamknięta" in client.get(url + "?strona=7").content.decode()  # out of range: the last page
    assert _listing_queries(client, url) == _listing_queries(client, url + "?strona=2")


def test_listing_links_each_closed_debate_to_its_own_summary(client, world):
    first, first_summary = _closed_with_summary(world, "Pierwsza debata")
    second, second_summary = _closed_with_summary(world, "Druga debata")
    being_summarised = make_debate(world, title="Debata bez podsumowania")
    services.open_debate(being_summarised, now=OPENS)
    services.close_debate(DebatePage.objects.get(pk=being_summarised.pk), now=CLOSES)
    response = client.get(world["index"].url)
    by_phase = {section["phase"]: section["debates"] for section in response.context["sections"]}
    assert {d.pk: d.summary.pk for d in by_phase[Phase.CLOSED]} == {
        first.pk: first_summary.pk,
        second.pk: second_summary.pk,
    }
    assert [d.pk for d in by_phase[Phase.SUMMARY]] == [being_summarised.pk]
    assert by_phase[Phase.SUMMARY][0].summary is None
    html = response.content.decode()
    assert first_summary.url in html and second_summary.url in html


def test_debate_page_offers_the_summary_form_only_to_its_moderator_after_closing(client, world, debate):
    services.open_debate(debate, now=OPENS)
    edit = reverse("debates:summary_edit", args=[debate.pk])
    client.force_login(world["moderator"])
    assert edit not in client.get(debate.url).content.decode()
    services.close_debate(DebatePage.objects.get(pk=debate.pk), now=CLOSES)
    assert edit in client.get(debate.url).content.decode()
    client.force_login(world["member"])
    assert edit not in client.get(debate.url).content.decode()


def test_debate_page_names_only_the_topics_the_visitor_may_read(client, world):
    debate = make_debate(world, spaces=[world["public"], world["private"]])
    services.open_debate(debate, now=OPENS)
    private_topic = DebateTopic.objects.get(debate=debate, forum=world["private"].forum).topic
    public_topic = DebateTopic.objects.get(debate=debate, forum=world["public"].forum).topic
    anonymous = client.get(debate.url).content.decode()
    assert private_topic.get_absolute_url() not in anonymous and world["private"].name not in anonymous
    client.force_login(world["member"])
    member = client.get(debate.url).content.decode()
    assert public_topic.get_absolute_url() in member
    assert private_topic.get_absolute_url() not in member
    client.force_login(world["private_member"])
    assert private_topic.get_absolute_url() in client.get(debate.url).content.decode()


def test_topic_banner_shows_the_phase_and_nothing_for_ordinary_topics(world, debate):
    from forums import services as forum_services

    services.open_debate(debate, now=OPENS)
    topic = DebateTopic.objects.get(debate=debate).topic
    template = Template("{% load debates_tags %}{% debate_banner topic %}")
    banner = template.render(Context({"topic": topic}))
    assert debate.url in banner and "debate-phase--discussion" in banner
    services.close_debate(DebatePage.objects.get(pk=debate.pk), now=CLOSES)
    assert "debate-phase--summary" in template.render(Context({"topic": topic}))
    ordinary = forum_services.create_topic(
        world["member"], world["public"].forum.categories.get(), "Zwykły wątek", "Treść"
    )
    assert template.render(Context({"topic": ordinary})).strip() == ""
    assert services.debate_for_topic(ordinary) is None


def _admin_form(world, **overrides):
    data = {
        "title": "Debata z panelu",
        "slug": "debata-z-panelu",
        "lead": "Wprowadzenie.",
        "background": streamfield([]),
        "questions": streamfield([("question", "Jak planować sieć szkół?")]),
        "opens_at": "2026-05-01 10:00",
        "closes_at": "2026-05-10 10:00",
        "moderator_links": inline_formset([{"user": world["moderator"].pk}]),
        "action-publish": "publish",
    }
    spaces = overrides.pop("target_spaces", [world["public"].pk])
    data.update(overrides)
    form = nested_form_data(data)
    form["target_spaces"] = [str(pk) for pk in spaces]
    return form


def _add_url(world):
    return reverse("wagtailadmin_pages:add", args=("debates", "debatepage", world["index"].pk))


def test_editor_creates_a_debate_in_the_admin(client, world):
    from django.contrib.auth.models import Group

    from oswiata_site.roles import ensure_site_roles

    ensure_site_roles()
    world["editor"].groups.add(Group.objects.get(name="Redaktor ZMP"))
    client.force_login(world["editor"])
    response = client.post(_add_url(world), _admin_form(world))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    debate = DebatePage.objects.get(slug="debata-z-panelu")
    assert debate.live and debate.phase == Phase.ANNOUNCED
    assert [m.pk for m in debate.moderator_users()] == [world["moderator"].pk]
    assert list(debate.target_spaces.all()) == [world["public"]]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"closes_at": "2026-04-30 10:00"}, "closes_at"),
        ({"target_spaces": []}, "target_spaces"),
    ],
)
def test_admin_refuses_a_debate_closing_before_it_opens_or_without_a_forum(client, world, overrides, field):
    client.force_login(world["admin"])
    response = client.post(_add_url(world), _admin_form(world, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not DebatePage.objects.filter(slug="debata-z-panelu").exists()


def test_people_chooser_is_for_debate_editors_only(client, world):
    from django.contrib.auth.models import Group, Permission

    url = reverse("debates_person_chooser:choose")
    coordinator = world["moderator"]
    group, _ = Group.objects.get_or_create(name="Koordynator")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    coordinator.groups.add(group)
    client.force_login(coordinator)
    assert client.get(url).status_code in (302, 403)
    client.force_login(world["admin"])
    response = client.get(url, {"q": "Wiśniewski"})
    assert response.status_code == 200
    assert "Wiśniewski" in response.json()["html"]


def test_admin_forms_render_with_the_people_chooser_and_read_only_state(client, world, debate):
    services.open_debate(debate, now=OPENS)
    client.force_login(world["admin"])
    add = client.get(_add_url(world))
    assert add.status_code == 200
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(debate.pk,)))
    assert edit.status_code == 200
    text = edit.content.decode()
    assert reverse("debates_person_chooser:choose") in text
    assert 'name="opened_at"' not in text  # shown, never editable
