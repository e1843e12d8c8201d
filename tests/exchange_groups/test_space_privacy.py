"""Private means private: for a private space, every URL of the space answers 404 to anyone who is not a
member or a site administrator (never 403, never a login redirect), for GET and POST alike, and changes
nothing; list views (the list of spaces, the home page, "Moje przestrzenie", the Wagtail admin) never
show it to them. Members, coordinators and site administrators reach what their role allows."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.http import Http404
from django.test import Client
from django.urls import reverse

from exchange_groups.models import (
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipEvent,
    Space,
    SpaceRole,
    SpaceStatus,
    SpaceVisibility,
)
from exchange_groups.spaces import services
from exchange_groups.spaces.permissions import (
    can_manage_members,
    can_request_to_join,
    can_see_members,
    can_view_space,
    get_space_or_404,
    spaces_visible_to,
)
from tests.factories import SpaceFactory, UserFactory

pytestmark = pytest.mark.django_db

PRIVATE_NAME = "Zespół roboczy ds. reformy subwencji"
PRIVATE_SLUG = "zespol-roboczy-subwencja"

# URL name -> which object its pk comes from (None: the space alone).
SPACE_URLS = {
    "space_detail": None,
    "space_members": None,
    "space_join": None,
    "space_join_withdraw": None,
    "space_leave": None,
    "space_manage": None,
    "space_manage_history": None,
    "space_manage_invite": None,
    "space_manage_add": None,
    "space_manage_request_accept": "join_request",
    "space_manage_request_decline": "join_request",
    "space_manage_invitation_revoke": "invitation",
    "space_manage_member_role": "membership",
    "space_manage_member_remove": "membership",
}
MANAGE_URLS = [name for name in SPACE_URLS if name.startswith("space_manage")]
OUTSIDERS = ["anonymous", "non_member", "other_coordinator"]
INSIDERS = ["member", "coordinator", "site_admin", "superuser"]


@pytest.fixture
def world():
    superuser = UserFactory(is_superuser=True, is_staff=True)
    site_admin = UserFactory()
    site_admin.groups.add(Group.objects.get_or_create(name="Administrator")[0])
    # The space is public while a person asks to join, then becomes private with the request still waiting.
    space = SpaceFactory(name=PRIVATE_NAME, slug=PRIVATE_SLUG, status=SpaceStatus.RECRUITING)
    applicant = UserFactory()
    join_request = services.request_to_join(applicant, space)
    Space.objects.filter(pk=space.pk).update(visibility=SpaceVisibility.PRIVATE)
    space.refresh_from_db()

    coordinator = UserFactory()
    services.add_member(superuser, space, coordinator, SpaceRole.COORDINATOR, notify=False)
    member = UserFactory()
    membership = services.add_member(superuser, space, member, SpaceRole.PARTICIPANT, notify=False)
    invitation = services.invite_to_space(coordinator, space, "zaproszona@gmina.example.pl")

    other_space = SpaceFactory(name="Sieć współpracy: gminy miejskie", status=SpaceStatus.RECRUITING)
    other_coordinator = UserFactory()
    services.add_member(superuser, other_space, other_coordinator, SpaceRole.COORDINATOR, notify=False)

    return {
        "space": space,
        "objects": {"join_request": join_request, "invitation": invitation, "membership": membership},
        "users": {
            "anonymous": None,
            "non_member": UserFactory(),
            "member": member,
            "coordinator": coordinator,
            "other_coordinator": other_coordinator,
            "site_admin": site_admin,
            "superuser": superuser,
        },
    }


def url_of(world, name) -> str:
    kwargs = {"slug": world["space"].slug}
    source = SPACE_URLS[name]
    if source:
        kwargs["pk"] = world["objects"][source].pk
    return reverse(f"exchange_groups:{name}", kwargs=kwargs)


def client_for(world, who) -> Client:
    client = Client()
    user = world["users"][who]
    if user is not None:
        client.force_login(user)
    return client


def state(world):
    """Everything a POST could change."""
    space = world["space"]
    return (
        list(Membership.objects.filter(space=space).values_list("pk", "role", "until")),
        list(JoinRequest.objects.filter(space=space).values_list("pk", "status")),
        list(Invitation.objects.filter(space=space).values_list("pk", "revoked_at", "accepted_at")),
        MembershipEvent.objects.filter(space=space).count(),
    )


POST_DATA = {
    "message": "Proszę o przyjęcie",
    "reason": "Powód",
    "email": "nowa@gmina.example.pl",
    "role": SpaceRole.EXPERT,
}


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("name", list(SPACE_URLS))
def test_private_space_urls_answer_404_to_outsiders_on_get(world, who, name):
    response = client_for(world, who).get(url_of(world, name))
    assert response.status_code == 404
    assert PRIVATE_NAME not in response.content.decode()


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("name", list(SPACE_URLS))
def test_private_space_urls_answer_404_to_outsiders_on_post_and_change_nothing(world, who, name):
    before = state(world)
    response = client_for(world, who).post(url_of(world, name), POST_DATA)
    assert response.status_code == 404
    assert state(world) == before


@pytest.mark.parametrize("who", INSIDERS)
@pytest.mark.parametrize("name", list(SPACE_URLS))
def test_private_space_urls_exist_for_members_and_site_admins(world, who, name):
    response = client_for(world, who).get(url_of(world, name))
    assert response.status_code != 404


@pytest.mark.parametrize("name", MANAGE_URLS)
def test_private_space_management_is_refused_to_a_participant_with_403(world, name):
    before = state(world)
    assert client_for(world, "member").get(url_of(world, name)).status_code == 403
    assert client_for(world, "member").post(url_of(world, name), POST_DATA).status_code == 403
    assert state(world) == before


@pytest.mark.parametrize("who", ["coordinator", "site_admin", "superuser"])
@pytest.mark.parametrize("name", MANAGE_URLS)
def test_private_space_management_is_open_to_coordinators_and_site_admins(world, who, name):
    response = client_for(world, who).get(url_of(world, name))
    post_only = name in {"space_manage_request_accept", "space_manage_invitation_revoke"}
    assert response.status_code == (405 if post_only else 200)


@pytest.mark.parametrize("who", ["member", "site_admin"])
def test_private_space_directory_is_visible_to_members_and_site_admins(world, who):
    response = client_for(world, who).get(url_of(world, "space_members"))
    assert response.status_code == 200
    assert str(world["users"]["coordinator"].get_full_name()) in response.content.decode()


@pytest.mark.parametrize("who", OUTSIDERS)
def test_space_list_never_shows_a_private_space_to_outsiders(world, who):
    html = client_for(world, who).get(reverse("exchange_groups:space_list")).content.decode()
    assert PRIVATE_NAME not in html
    assert PRIVATE_SLUG not in html
    assert "Sieć współpracy: gminy miejskie" in html


@pytest.mark.parametrize("who", ["member", "site_admin", "superuser"])
def test_space_list_shows_a_private_space_to_members_and_site_admins(world, who):
    html = client_for(world, who).get(reverse("exchange_groups:space_list")).content.decode()
    assert PRIVATE_NAME in html


@pytest.mark.parametrize("who", OUTSIDERS)
def test_home_page_never_shows_a_private_space_to_outsiders(world, who):
    from oswiata_site import demo as site_demo

    site_demo.ensure_home_page()
    response = client_for(world, who).get("/")
    assert response.status_code == 200
    assert PRIVATE_NAME not in response.content.decode()
    assert "Sieć współpracy: gminy miejskie" in response.content.decode()


@pytest.mark.parametrize("who", ["non_member", "other_coordinator"])
def test_my_spaces_never_shows_a_private_space_to_outsiders(world, who):
    html = client_for(world, who).get(reverse("exchange_groups:my_spaces")).content.decode()
    assert PRIVATE_NAME not in html


def test_my_spaces_hides_a_waiting_request_for_a_space_that_became_private(world):
    applicant = world["objects"]["join_request"].user
    client = Client()
    client.force_login(applicant)
    assert PRIVATE_NAME not in client.get(reverse("exchange_groups:my_spaces")).content.decode()


def test_my_spaces_forgets_a_private_space_after_leaving_it(world):
    member = world["users"]["member"]
    services.leave_space(member, world["space"])
    client = client_for(world, "member")
    assert PRIVATE_NAME not in client.get(reverse("exchange_groups:my_spaces")).content.decode()
    assert client.get(url_of(world, "space_detail")).status_code == 404


def test_removed_member_gets_404_at_once(world):
    services.remove_member(world["users"]["coordinator"], world["objects"]["membership"], "Koniec udziału")
    client = client_for(world, "member")
    assert client.get(url_of(world, "space_detail")).status_code == 404
    assert client.get(url_of(world, "space_members")).status_code == 404


@pytest.mark.parametrize("who", OUTSIDERS + INSIDERS)
def test_invitation_url_with_an_unknown_token_answers_404(world, who):
    client = client_for(world, who)
    assert client.get(reverse("exchange_groups:invitation", kwargs={"token": "nieznany"})).status_code == 404
    assert client.post(reverse("exchange_groups:invitation", kwargs={"token": "nieznany"})).status_code == 404


def test_admin_lists_a_private_space_only_to_those_who_may_see_it(world):
    staff = UserFactory(is_staff=True)
    staff.groups.add(Group.objects.get_or_create(name="Koordynator")[0])
    from oswiata_site.roles import ensure_site_roles

    ensure_site_roles()
    client = Client()
    client.force_login(staff)
    listing = client.get("/admin/snippets/exchange_groups/space/")
    assert listing.status_code == 200
    assert "Sieć współpracy: gminy miejskie" in listing.content.decode()
    assert PRIVATE_NAME not in listing.content.decode()
    edit = client.get(f"/admin/snippets/exchange_groups/space/edit/{world['space'].pk}/")
    assert edit.status_code == 404


def test_admin_lists_a_private_space_to_a_site_admin(world):
    client = client_for(world, "superuser")
    assert PRIVATE_NAME in client.get("/admin/snippets/exchange_groups/space/").content.decode()


# --- the predicates ------------------------------------------------------------------------------


def test_predicates_for_an_outsider(world):
    space, outsider = world["space"], world["users"]["non_member"]
    assert not can_view_space(outsider, space)
    assert not can_see_members(outsider, space)
    assert not can_manage_members(outsider, space)
    assert not can_request_to_join(outsider, space)
    assert space not in spaces_visible_to(outsider)
    assert space not in spaces_visible_to(AnonymousUser())
    with pytest.raises(Http404):
        get_space_or_404(outsider, space.slug)


def test_predicates_for_the_coordinator_of_another_space(world):
    space, other = world["space"], world["users"]["other_coordinator"]
    assert not can_view_space(other, space)
    assert not can_manage_members(other, space)


def test_predicates_for_a_member(world):
    space, member = world["space"], world["users"]["member"]
    assert can_view_space(member, space)
    assert can_see_members(member, space)
    assert not can_manage_members(member, space)
    assert space in spaces_visible_to(member)


def test_predicates_for_a_site_admin(world):
    space, site_admin = world["space"], world["users"]["site_admin"]
    assert can_view_space(site_admin, space)
    assert can_see_members(site_admin, space)
    assert can_manage_members(site_admin, space)


def test_private_page_404_looks_like_a_missing_page(world):
    client = client_for(world, "non_member")
    missing = client.get(reverse("exchange_groups:space_detail", kwargs={"slug": "nie-istnieje"}))
    private = client.get(url_of(world, "space_detail"))
    strip = lambda html: re.sub(r"csrfmiddlewaretoken\" value=\"[^\"]+\"", "", html)  # noqa: E731
    assert missing.status_code == private.status_code == 404
    assert strip(missing.content.decode()) == strip(private.content.decode())


def test_pending_request_of_a_private_space_is_still_pending_after_outsider_posts(world):
    join_request = world["objects"]["join_request"]
    client_for(world, "other_coordinator").post(url_of(world, "space_manage_request_accept"))
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.PENDING


def test_admin_membership_listing_hides_a_private_space_from_staff_who_may_not_see_it(world):
    from django.contrib.auth.models import Permission

    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_membership", "view_membershipevent"])
    )
    client = Client()
    client.force_login(staff)
    for listing in ("/admin/snippets/exchange_groups/membership/", "/admin/snippets/exchange_groups/membershipevent/"):
        response = client.get(listing)
        assert response.status_code == 200
        assert PRIVATE_NAME not in response.content.decode()
        assert "Sieć współpracy: gminy miejskie" in response.content.decode()
