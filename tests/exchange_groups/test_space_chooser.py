"""Issue 12 (the pattern of finding 1): the Wagtail admin's space picker, used by other editors (a course's
"space whose meetings count"), names only spaces the editor may see; administrators see them all."""

import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from exchange_groups.models import SpaceVisibility
from tests.factories import SpaceFactory, UserFactory

pytestmark = pytest.mark.django_db

CHOOSE = "wagtailsnippetchoosers_exchange_groups_space:choose"
CHOOSE_RESULTS = "wagtailsnippetchoosers_exchange_groups_space:choose_results"
CHOSEN = "wagtailsnippetchoosers_exchange_groups_space:chosen"
CHOSEN_MULTIPLE = "wagtailsnippetchoosers_exchange_groups_space:chosen_multiple"


def _html(response) -> str:
    """The chooser answers JSON ({"html": ...}) to the modal, plain HTML to the results request."""
    text = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        return json.loads(text).get("html", "") + json.dumps(json.loads(text).get("result", ""), ensure_ascii=False)
    return text


@pytest.fixture
def spaces(db):
    return {
        "public": SpaceFactory(name="Sieć gmin wiejskich"),
        "private": SpaceFactory(name="Tajna grupa powiatowa", visibility=SpaceVisibility.PRIVATE),
    }


@pytest.fixture
def editor_client(client, db):
    from oswiata_site.roles import ensure_site_roles

    ensure_site_roles()
    editor = UserFactory(first_name="Piotr", last_name="Kamiński")
    editor.groups.add(Group.objects.get(name="Redaktor ZMP"))
    client.force_login(editor)
    return client


@pytest.mark.parametrize("route", [CHOOSE, CHOOSE_RESULTS])
def test_space_picker_does_not_name_a_private_space_to_an_editor_outside_it(editor_client, spaces, route):
    html = _html(editor_client.get(reverse(route)))
    assert "Sieć gmin wiejskich" in html
    assert "Tajna grupa powiatowa" not in html


def test_space_picker_refuses_to_describe_a_private_space_chosen_by_id(editor_client, spaces):
    assert editor_client.get(reverse(CHOSEN, args=[spaces["private"].pk])).status_code == 404
    assert editor_client.get(reverse(CHOSEN, args=[spaces["public"].pk])).status_code == 200
    html = _html(editor_client.get(reverse(CHOSEN_MULTIPLE) + f"?id={spaces['private'].pk}"))
    assert "Tajna grupa powiatowa" not in html


def test_space_picker_lists_every_space_to_an_administrator(admin_client, spaces):
    html = _html(admin_client.get(reverse(CHOOSE)))
    assert "Sieć gmin wiejskich" in html and "Tajna grupa powiatowa" in html
