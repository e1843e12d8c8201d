"""The good-practice base: page tree rules, metadata that follows the JST, the public listing's filters, the
video's text alternative, members' submissions that wait for the editors, and the review workflow."""

import datetime
import sys

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page, Site, WorkflowState

from exchange_groups.models import (
    GoodPracticeIndexPage,
    GoodPracticePage,
    PositionCategory,
    PracticeSource,
    PracticeTheme,
    TerritorialUnit,
    UnitKind,
    embed_url_for,
)
from exchange_groups.practices import services
from tests.factories import UserFactory, profile_of

pytestmark = pytest.mark.django_db


def unit(code, kind, name, parent=None, voivodeship=None):
    return TerritorialUnit.objects.create(
        code=code,
        kind=kind,
        name=name,
        parent=parent,
        voivodeship=voivodeship,
        source_date=datetime.date(2020, 1, 1),
    )


@pytest.fixture
def units():
    lubelskie = unit("06", UnitKind.VOIVODESHIP, "lubelskie")
    pomorskie = unit("22", UnitKind.VOIVODESHIP, "pomorskie")
    powiat = unit("0619", UnitKind.POWIAT, "hrubieszowski", lubelskie, lubelskie)
    return {
        "lubelskie": lubelskie,
        "pomorskie": pomorskie,
        "powiat": powiat,
        "hansk": unit("0619032", UnitKind.RURAL_GMINA, "Hańsk", powiat, lubelskie),
        "gdynia": unit("2262", UnitKind.CITY_WITH_POWIAT_RIGHTS, "Gdynia", pomorskie, pomorskie),
    }


@pytest.fixture
def index():
    return services.ensure_good_practice_index(Site.objects.get(is_default_site=True).root_page)


def theme(name):
    return PracticeTheme.objects.get_or_create(name=name)[0]


def publish(index, title, unit, themes=(), **fields):
    page = GoodPracticePage(
        title=title,
        unit=unit,
        problem=fields.pop("problem", "<p>Za mało uczniów w oddziałach.</p>"),
        solution=fields.pop("solution", "<p>Zespół szkolno-przedszkolny.</p>"),
        **fields,
    )
    page.themes.set([theme(name) for name in themes])
    index.add_child(instance=page)
    page.save_revision().publish()
    return GoodPracticePage.objects.get(pk=page.pk)


def person_with_profile(unit):
    person = UserFactory(first_name="Anna", last_name="Nowak")
    profile = profile_of(person)
    profile.unit = unit
    profile.position_category = PositionCategory.EDUCATION_DEPARTMENT
    profile.job_title = "Inspektor ds. oświaty"
    profile.save()
    return person


def editor():
    person = UserFactory(first_name="Piotr", last_name="Kamiński")
    person.groups.add(Group.objects.get_or_create(name="Redaktor ZMP")[0])
    return person


SUBMISSION = {
    "title": "Centrum usług wspólnych dla szkół",
    "unit": "0619032",
    "period_start": "2018/2019",
    "period_end": "",
    "summary": "Księgowość i kadry szkół w jednym miejscu.",
    "local_context": "Siedem szkół podstawowych.",
    "problem": "Dyrektorzy zajmowali się administracją.",
    "solution": "Centrum usług wspólnych.\n\nWspólne procedury.",
    "contact_name": "Anna Nowak",
    "contact_email": "anna.nowak@gmina.example.pl",
    "publication_consent": "on",
    "submission_key": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
}


# --- page tree and metadata ------------------------------------------------------------------------


def test_practice_page_can_be_created_only_under_the_index(index):
    home = Site.objects.get(is_default_site=True).root_page.specific
    assert GoodPracticePage.can_create_at(index)
    assert not GoodPracticePage.can_create_at(home)
    assert not GoodPracticePage.can_create_at(Page.get_first_root_node())


def test_second_index_page_cannot_be_created(index):
    home = Site.objects.get(is_default_site=True).root_page.specific
    assert not GoodPracticeIndexPage.can_create_at(home)


def test_practice_metadata_follows_the_unit(index, units):
    page = publish(index, "Reorganizacja sieci szkół", units["hansk"])
    assert page.voivodeship == units["lubelskie"]
    assert page.unit_kind == UnitKind.RURAL_GMINA
    page.unit = units["gdynia"]
    page.save_revision().publish()
    page = GoodPracticePage.objects.get(pk=page.pk)
    assert page.voivodeship == units["pomorskie"]
    assert page.unit_kind == UnitKind.CITY_WITH_POWIAT_RIGHTS


# --- validation ------------------------------------------------------------------------------------


def test_practice_with_video_but_no_text_alternative_is_refused(index, units):
    page = GoodPracticePage(
        title="Panel danych",
        slug="panel-danych",
        unit=units["gdynia"],
        problem="<p>p</p>",
        solution="<p>s</p>",
        video_url="https://vimeo.com/76979871",
    )
    with pytest.raises(ValidationError) as error:
        index.add_child(instance=page)
        page.save_revision()
    assert "video_transcript" in error.value.message_dict


def test_practice_video_from_another_host_is_refused(units):
    page = GoodPracticePage(
        title="Panel danych",
        slug="panel-danych",
        unit=units["gdynia"],
        problem="<p>p</p>",
        solution="<p>s</p>",
        video_url="https://evil.example.com/embed/abc",
        video_transcript="Opis nagrania.",
    )
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "video_url" in error.value.message_dict


@pytest.mark.parametrize(
    "given, embed",
    [
        ("https://www.youtube.com/watch?v=abcdEFGH123", "https://www.youtube-nocookie.com/embed/abcdEFGH123"),
        ("https://youtu.be/abcdEFGH123", "https://www.youtube-nocookie.com/embed/abcdEFGH123"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        ("http://vimeo.com/76979871", None),
        ("https://www.youtube.com/watch?v=<script>", None),
        ("javascript:alert(1)", None),
    ],
)
def test_embed_url_for_allows_only_privacy_friendly_players(given, embed):
    assert embed_url_for(given) == embed


def test_practice_period_must_be_school_years(units):
    page = GoodPracticePage(
        title="X", slug="x", unit=units["hansk"], problem="<p>p</p>", solution="<p>s</p>", period_start="2019"
    )
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "period_start" in error.value.message_dict


# --- the public listing ----------------------------------------------------------------------------


@pytest.fixture
def listing(index, units):
    publish(index, "Reorganizacja sieci szkół", units["hansk"], themes=["sieć szkół"], summary="Łączenie szkół.")
    publish(index, "Panel danych o finansach oświaty", units["gdynia"], themes=["finansowanie oświaty"])
    publish(index, "Powiatowa rada kształcenia", units["powiat"], themes=["kształcenie zawodowe"])
    return index


def titles(client, index, **params):
    response = client.get(index.url, params)
    assert response.status_code == 200
    return sorted(p.title for p in response.context["practices"])


def test_listing_filters_by_voivodeship(client, listing):
    assert titles(client, listing, woj="06") == ["Powiatowa rada kształcenia", "Reorganizacja sieci szkół"]


def test_listing_filters_by_jst_kind(client, listing):
    assert titles(client, listing, rodzaj=UnitKind.CITY_WITH_POWIAT_RIGHTS) == ["Panel danych o finansach oświaty"]


def test_listing_keeps_filtering_by_a_former_polish_jst_kind_of_a_bookmarked_address(client, listing):
    assert titles(client, listing, rodzaj="miasto_npp") == ["Panel danych o finansach oświaty"]
    assert titles(client, listing, woj="06", rodzaj="gmina_wiejska") == ["Reorganizacja sieci szkół"]
    html = client.get(listing.url, {"rodzaj": "powiat"}).content.decode()
    assert f'<option value="{UnitKind.POWIAT}" selected>' in html
    html = client.get(listing.url, {"rodzaj": "miasto_npp"}).content.decode()
    assert f'<option value="{UnitKind.CITY_WITH_POWIAT_RIGHTS}" selected>' in html


def test_listing_filters_by_theme(client, listing):
    slug = PracticeTheme.objects.get(name="sieć szkół").slug
    assert titles(client, listing, temat=slug) == ["Reorganizacja sieci szkół"]


def test_listing_full_text_ignores_diacritics(client, listing):
    assert titles(client, listing, q="laczenie SZKOL") == ["Reorganizacja sieci szkół"]
    assert titles(client, listing, q="finansach") == ["Panel danych o finansach oświaty"]


def test_listing_combines_filters(client, listing):
    assert titles(client, listing, woj="06", rodzaj=UnitKind.POWIAT) == ["Powiatowa rada kształcenia"]
    assert titles(client, listing, woj="22", q="sieci") == []


def test_listing_announces_the_number_found(client, listing):
    html = client.get(listing.url, {"woj": "06"}).content.decode()
    assert 'role="status"' in html
    assert "2 practices found" in html or "2 praktyki" in html


def test_listing_labels_every_filter(client, listing):
    html = client.get(listing.url).content.decode()
    for name in ("q", "woj", "rodzaj", "temat"):
        assert f'<label for="id_{name}">' in html


def _listing_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


def test_listing_queries_do_not_grow_with_the_practices_shown(client, listing, units):
    client.get(listing.url)  # warm the per-process caches (content types, site root paths)
    before = _listing_queries(client, listing.url)
    for number in range(3):
        publish(listing, f"Praktyka {number}", units["gdynia"], themes=["sieć szkół", f"temat {number}"])
    html = client.get(listing.url).content.decode()
    assert "Praktyka 2" in html and "temat 2" in html
    assert _listing_queries(client, listing.url) == before


def test_listing_pages_through_the_practices_keeping_the_filters(client, listing, units):
    for number in range(10):
        publish(listing, f"Praktyka pomorska {number:02d}", units["gdynia"])
    first = client.get(listing.url, {"woj": "22"})
    assert len(first.context["practices"]) == 10
    assert "woj=22&amp;strona=2" in first.content.decode()
    second = client.get(listing.url, {"woj": "22", "strona": "2"})
    assert [p.title for p in second.context["practices"]] == ["Panel danych o finansach oświaty"]
    assert second.context["query_string"] == "woj=22" and second.context["filtered"] is True


def test_listing_renders_without_the_services_module(monkeypatch, client, listing):
    reverse("exchange_groups:practice_submit")  # the URLconf (which does import the services) is loaded first
    monkeypatch.setitem(sys.modules, "exchange_groups.practices.services", None)
    response = client.get(listing.url, {"woj": "06"})
    assert response.status_code == 200
    assert sorted(p.title for p in response.context["practices"]) == [
        "Powiatowa rada kształcenia",
        "Reorganizacja sieci szkół",
    ]


def test_practice_detail_shows_sections_and_contact(client, index, units):
    page = publish(
        index,
        "Reorganizacja sieci szkół",
        units["hansk"],
        effects="<p>Oddziały po 17 uczniów.</p>",
        contact_name="Joanna Pawlak",
        contact_email="oswiata@hansk.example.pl",
        video_url="https://vimeo.com/76979871",
        video_transcript="Wójt opowiada o konsultacjach z rodzicami.",
    )
    html = client.get(page.url).content.decode()
    assert "Oddziały po 17 uczniów." in html
    assert "mailto:oswiata@hansk.example.pl" in html
    assert 'src="https://player.vimeo.com/video/76979871"' in html
    assert "Wójt opowiada o konsultacjach z rodzicami." in html


# --- submissions and the workflow ------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_log_in_to_submit(client, index):
    response = client.get(reverse("exchange_groups:practice_submit"))
    assert response.status_code == 302
    assert reverse("exchange_groups:login") in response["Location"]
    response = client.post(reverse("exchange_groups:practice_submit"), SUBMISSION)
    assert response.status_code == 302
    assert not GoodPracticePage.objects.exists()


def test_person_without_a_complete_profile_is_asked_to_complete_it(client, index, units):
    client.force_login(UserFactory())
    response = client.post(reverse("exchange_groups:practice_submit"), SUBMISSION)
    assert response.status_code == 403
    assert reverse("exchange_groups:profile") in response.content.decode()
    assert not GoodPracticePage.objects.exists()


def test_member_submission_creates_a_draft_in_review_and_does_not_publish(client, index, units):
    person = person_with_profile(units["hansk"])
    client.force_login(person)
    response = client.post(reverse("exchange_groups:practice_submit"), SUBMISSION)
    assert response.status_code == 302
    page = GoodPracticePage.objects.get()
    assert not page.live
    assert page.owner == person
    assert page.source == PracticeSource.MEMBER
    assert page.get_parent().pk == index.pk
    assert page.solution == "<p>Centrum usług wspólnych.</p><p>Wspólne procedury.</p>"
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == services.WORKFLOW_NAME
    assert client.get(index.url).context["practices_page"].paginator.count == 0


def test_member_submission_escapes_markup(client, index, units):
    client.force_login(person_with_profile(units["hansk"]))
    client.post(reverse("exchange_groups:practice_submit"), {**SUBMISSION, "problem": "<script>alert(1)</script>"})
    assert GoodPracticePage.objects.get().problem == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_member_submission_sent_twice_makes_one_page(client, index, units):
    client.force_login(person_with_profile(units["hansk"]))
    client.post(reverse("exchange_groups:practice_submit"), SUBMISSION)
    client.post(reverse("exchange_groups:practice_submit"), SUBMISSION)
    assert GoodPracticePage.objects.count() == 1
    assert WorkflowState.objects.count() == 1


def test_member_submission_without_consent_is_refused(client, index, units):
    client.force_login(person_with_profile(units["hansk"]))
    data = {k: v for k, v in SUBMISSION.items() if k != "publication_consent"}
    response = client.post(reverse("exchange_groups:practice_submit"), data)
    assert response.status_code == 200
    assert 'href="#id_publication_consent"' in response.content.decode()
    assert not GoodPracticePage.objects.exists()


def test_draft_submission_is_not_visible_publicly(client, index, units):
    person = person_with_profile(units["hansk"])
    page = services.submit_practice(
        person, title="Szkic", unit=units["hansk"], problem="Problem.", solution="Rozwiązanie.", index=index
    )
    assert client.get(page.url or f"{index.url}{page.slug}/").status_code == 404


def test_editor_approves_the_submission_and_it_goes_live(client, index, units):
    person = person_with_profile(units["hansk"])
    page = services.submit_practice(
        person, title="Centrum usług wspólnych", unit=units["hansk"], problem="P.", solution="R.", index=index
    )
    reviewer = editor()
    task_state = WorkflowState.objects.get(object_id=str(page.pk)).current_task_state
    task = task_state.task.specific
    assert "approve" in [action[0] for action in task.get_actions(page, reviewer)]
    assert task.get_actions(page, person) == []
    task.on_action(task_state, reviewer, "approve")
    page.refresh_from_db()
    assert page.live
    assert client.get(page.url).status_code == 200


def test_my_submissions_shows_the_status(client, index, units):
    person = person_with_profile(units["hansk"])
    services.submit_practice(
        person, title="Centrum usług wspólnych", unit=units["hansk"], problem="P.", solution="R.", index=index
    )
    client.force_login(person)
    html = client.get(reverse("exchange_groups:my_practice_submissions")).content.decode()
    assert "Centrum usług wspólnych" in html
    assert "awaiting review by the editors" in html or "oczekuje" in html


def test_ensure_good_practice_workflow_is_idempotent(index):
    first = services.ensure_good_practice_workflow(index)
    second = services.ensure_good_practice_workflow(index)
    assert first.pk == second.pk
    assert first.workflow_tasks.count() == 1
    task = first.workflow_tasks.get().task.specific
    assert sorted(task.groups.values_list("name", flat=True)) == ["Administrator", "Redaktor ZMP"]
    assert index.get_workflow().pk == first.pk


# --- the admin ---------------------------------------------------------------------------------------


def test_editor_gets_the_practice_form_with_a_unit_chooser(client, index):
    client.force_login(editor())
    url = reverse("wagtailadmin_pages:add", args=["exchange_groups", "goodpracticepage", index.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "snippet-chooser" in html or "data-chooser-url" in html
    assert 'name="unit"' in html
    assert "<select" not in html.split('name="unit"')[0].rsplit("<", 1)[-1]


def test_editor_cannot_add_a_practice_outside_the_index(client, index):
    client.force_login(editor())
    home = Site.objects.get(is_default_site=True).root_page
    url = reverse("wagtailadmin_pages:add", args=["exchange_groups", "goodpracticepage", home.pk])
    # Wagtail answers a refused page type by sending the person back to the dashboard.
    response = client.get(url)
    assert (response.status_code, response.get("Location")) in ((403, None), (302, "/admin/"))
    client.post(url, {"title": "Poza bazą", "slug": "poza-baza", "problem": "p", "solution": "s"})
    assert not GoodPracticePage.objects.exists()


def test_unit_chooser_finds_a_unit_without_polish_letters(client, index, units):
    client.force_login(editor())
    response = client.get(
        reverse("wagtailsnippetchoosers_exchange_groups_territorialunit:choose_results"), {"q": "hansk"}
    )
    assert response.status_code == 200
    assert "Hańsk" in response.content.decode()


def test_practice_cannot_take_the_address_of_the_submission_form(units):
    page = GoodPracticePage(title="Zgłoś", slug="zglos", unit=units["hansk"], problem="<p>p</p>", solution="<p>s</p>")
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "slug" in error.value.message_dict


def test_editor_opens_a_practice_in_the_admin_with_its_tabs(client, index, units):
    page = publish(index, "Reorganizacja sieci szkół", units["hansk"], themes=["sieć szkół"])
    client.force_login(editor())
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="video_transcript"' in html
    assert 'id="documents"' in html
    assert "Hańsk" in html


def test_nobody_adds_territorial_units_in_the_admin(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("wagtailsnippets_exchange_groups_territorialunit:add"))
    assert response.status_code in (302, 403)
    assert not TerritorialUnit.objects.exists()


def test_submitting_a_practice_gives_no_admin_access(client, index, units):
    person = person_with_profile(units["hansk"])
    page = services.submit_practice(
        person, title="Szkic", unit=units["hansk"], problem="P.", solution="R.", index=index
    )
    client.force_login(person)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code in (302, 403)
    login = reverse("exchange_groups:login")  # the admin uses the site's one login (WAGTAILADMIN_LOGIN_URL)
    assert response.get("Location", login).startswith(login)


def test_plain_select_writes_what_djangos_select_writes():
    import re

    from django import forms

    from exchange_groups.practices.forms import PlainSelect

    choices = [("", "Wszystkie"), ("02", "dolnośląskie"), ("x&y", 'cudzysłów " i <znak>'), (3, "liczba")]
    grouped = [("", "Wszystkie"), ("Grupa <a>", [("g1", "jeden"), ("g2", "dwa")])]
    for options, value in ((choices, "x&y"), (choices, ""), (choices, 3), (grouped, "g2")):
        attrs = {"id": "id_woj", "required": True, "data-x": 'a"b'}
        django_html = forms.Select(choices=options).render("woj", value, attrs)
        plain_html = PlainSelect(choices=options).render("woj", value, attrs)
        assert re.sub(r">\s+<", "><", plain_html) == re.sub(r">\s+<", "><", django_html)


def test_listing_cards_show_an_edited_practice_a_renamed_theme_and_a_renamed_unit(client, listing, units):
    """The cards are cached (the same for every visitor); what a card shows changing is never served stale."""
    client.get(listing.url)  # the cards go into the cache
    practice = GoodPracticePage.objects.get(title="Reorganizacja sieci szkół")
    practice.title = "Nowa sieć szkół gminy"
    practice.save_revision().publish()
    renamed = PracticeTheme.objects.get(name="finansowanie oświaty")
    renamed.name = "pieniądze na oświatę"
    renamed.save()
    unit = units["powiat"]
    unit.name = "Powiat przemianowany"
    unit.save()
    html = client.get(listing.url).content.decode()
    assert "Nowa sieć szkół gminy" in html and "Reorganizacja sieci szkół" not in html
    assert "pieniądze na oświatę" in html and "finansowanie oświaty" not in html
    assert "Powiat przemianowany" in html
    assert f'href="{practice.url}"' in html  # the card's address is the page's own
