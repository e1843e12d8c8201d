"""The space's view decorator and the one "coordinator of the space or site administrator" rule (issue 13).

`space_view` answers in a fixed order: a private space is 404 to anyone who may not see it (before any other
answer), then an anonymous visitor is refused (the site sends them to log in), then the member area and the
managing check refuse with the space's own page, in its frame.
"""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from exchange_groups.cycle.permissions import can_manage_cycle
from exchange_groups.meetings.permissions import can_manage_meetings
from exchange_groups.models import Space, SpaceRole, SpaceVisibility
from exchange_groups.spaces import services
from exchange_groups.spaces.permissions import can_manage_members, can_manage_space, check_can_manage_members
from exchange_groups.spaces.shortcuts import MEMBER, MEMBERS_ONLY, PERSON, space_context, space_view
from oswiata_kit.views import Refusal
from tests.factories import SpaceFactory, UserFactory

pytestmark = pytest.mark.django_db

COORDINATORS_PAGE = "exchange_groups/spaces/coordinators_only.html"


@pytest.fixture
def people():
    superuser = UserFactory(is_superuser=True, is_staff=True)
    site_admin = UserFactory()
    site_admin.groups.add(Group.objects.get_or_create(name="Administrator")[0])
    space = SpaceFactory(slug="siec-powiaty")
    coordinator, member, former, outsider = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    services.add_member(superuser, space, coordinator, SpaceRole.COORDINATOR, notify=False)
    services.add_member(superuser, space, member, SpaceRole.PARTICIPANT, notify=False)
    former_membership = services.add_member(superuser, space, former, SpaceRole.COORDINATOR, notify=False)
    services.remove_member(superuser, former_membership, "Koniec kadencji.")
    return {
        "space": space,
        "superuser": superuser,
        "site_admin": site_admin,
        "coordinator": coordinator,
        "member": member,
        "former_coordinator": former,
        "outsider": outsider,
        "anonymous": AnonymousUser(),
    }


def test_can_manage_space_is_true_for_coordinators_and_site_administrators_only(people):
    space = people["space"]
    allowed = {name for name, user in people.items() if name != "space" and can_manage_space(user, space)}
    assert allowed == {"superuser", "site_admin", "coordinator"}


def test_managing_rules_of_members_meetings_cycle_and_the_space_frame_are_can_manage_space(people, rf):
    space = people["space"]
    for name, user in people.items():
        if name == "space":
            continue
        request = rf.get("/")
        request.user = user
        expected = can_manage_space(user, space)
        answers = (
            can_manage_members(user, space),
            can_manage_meetings(user, space),
            can_manage_cycle(user, space),
            space_context(request, space)["can_manage"],
        )
        assert answers == (expected,) * 4, name


# --- space_view ------------------------------------------------------------------------------------------


def _call(decorated, user, slug, method="get"):
    request = getattr(RequestFactory(), method)("/")
    request.user = user
    return decorated(request, slug=slug)


def _view(request, space):
    return HttpResponse(space.slug)


def test_space_view_gives_the_view_the_space_of_the_address(people):
    response = _call(space_view()(_view), people["anonymous"], "siec-powiaty")
    assert response.content == b"siec-powiaty"


def test_space_view_of_a_private_space_is_404_to_an_outsider_before_any_other_answer(people):
    Space.objects.filter(pk=people["space"].pk).update(visibility=SpaceVisibility.PRIVATE)
    managing = space_view(check_can_manage_members, refusal=COORDINATORS_PAGE)(_view)
    for user in (people["anonymous"], people["outsider"], people["former_coordinator"]):
        with pytest.raises(Http404):
            _call(managing, user, "siec-powiaty", method="put")


def test_space_view_refuses_an_anonymous_visitor_of_a_member_page_so_that_the_site_asks_to_log_in(people):
    for requirement in (PERSON, MEMBER):
        with pytest.raises(PermissionDenied):
            _call(space_view(requirement)(_view), people["anonymous"], "siec-powiaty")


def test_space_view_person_requirement_lets_any_logged_in_person_through(people):
    assert _call(space_view(PERSON)(_view), people["outsider"], "siec-powiaty").status_code == 200


def test_space_view_refuses_a_non_member_with_the_members_only_page_in_the_spaces_frame(people):
    with pytest.raises(Refusal) as refused:
        _call(space_view(MEMBER, section="meetings")(_view), people["outsider"], "siec-powiaty")
    assert refused.value.template == MEMBERS_ONLY
    context = refused.value.context
    assert (context["space"], context["section"], context["is_member"]) == (people["space"], "meetings", False)
    assert refused.value.message == "Ta część przestrzeni jest widoczna tylko dla jej członków."


def test_space_view_refuses_a_member_the_managing_page_with_the_areas_page_and_the_checks_reason(people):
    managing = space_view(check_can_manage_members, refusal=COORDINATORS_PAGE)(_view)
    with pytest.raises(Refusal) as refused:
        _call(managing, people["member"], "siec-powiaty")
    assert refused.value.template == COORDINATORS_PAGE
    assert refused.value.context["my_role"] == SpaceRole.PARTICIPANT
    assert refused.value.message == "Członkami tej przestrzeni mogą zarządzać tylko jej koordynatorzy."


def test_space_view_managing_page_shows_a_non_member_the_members_page_unless_told_otherwise(people):
    default = space_view(check_can_manage_members, refusal=COORDINATORS_PAGE)(_view)
    one_page = space_view(check_can_manage_members, refusal=COORDINATORS_PAGE, members_refusal=COORDINATORS_PAGE)(_view)
    with pytest.raises(Refusal) as first:
        _call(default, people["outsider"], "siec-powiaty")
    with pytest.raises(Refusal) as second:
        _call(one_page, people["outsider"], "siec-powiaty")
    assert (first.value.template, second.value.template) == (MEMBERS_ONLY, COORDINATORS_PAGE)


def test_space_view_lets_coordinators_and_site_administrators_manage(people):
    managing = space_view(check_can_manage_members, refusal=COORDINATORS_PAGE)(_view)
    for name in ("coordinator", "site_admin", "superuser"):
        assert _call(managing, people[name], "siec-powiaty").status_code == 200, name


# --- the refusal pages, through the site's 403 handler ----------------------------------------------------


def test_refused_member_sees_the_areas_coordinators_page_in_the_spaces_frame(people, client):
    client.force_login(people["member"])
    response = client.get(reverse("exchange_groups:meeting_create", kwargs={"slug": "siec-powiaty"}))
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Tylko dla koordynatorów</h1>" in html
    assert "Spotkaniami tej przestrzeni mogą zarządzać tylko jej koordynatorzy." in html
    assert 'aria-label="Części przestrzeni"' in html
    assert 'spotkania/" aria-current="page"' in html


def test_refused_non_member_sees_the_members_only_page_in_the_spaces_frame(people, client):
    client.force_login(people["outsider"])
    response = client.get(reverse("exchange_groups:cycle_work_plan", kwargs={"slug": "siec-powiaty"}))
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Tylko dla członków</h1>" in html
    assert "Ta część przestrzeni jest widoczna tylko dla jej członków." in html
    assert people["space"].name in html


def test_refused_anonymous_visitor_is_sent_to_log_in_and_back(people, client):
    url = reverse("exchange_groups:space_members", kwargs={"slug": "siec-powiaty"})
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/konto/logowanie/?next={url}"
