"""Space pages: list, description, member directory, joining, leaving, management, invitations,
"Moje przestrzenie", the Wagtail admin and the demo memberships."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from exchange_groups.models import (
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipEvent,
    MembershipEventKind,
    PositionCategory,
    Space,
    SpaceKind,
    SpaceRole,
    SpaceStatus,
    SpaceVisibility,
    TerritorialUnit,
    UnitKind,
)
from exchange_groups.spaces import services
from exchange_groups.spaces.permissions import is_member, role_in
from tests.factories import SpaceFactory, TerritorialUnitFactory, UserFactory, profile_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_emails(settings):
    settings.EXCHANGE_GROUPS_EMAIL_LANGUAGE = "en"


@pytest.fixture
def admin():
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def space():
    return SpaceFactory(
        name="Sieć współpracy: gminy wiejskie",
        slug="siec-gminy-wiejskie",
        description="Sieć dla gmin wiejskich.",
        status=SpaceStatus.RECRUITING,
        audience=[UnitKind.RURAL_GMINA],
    )


@pytest.fixture
def coordinator(admin, space):
    user = UserFactory(first_name="Małgorzata", last_name="Zielińska")
    services.add_member(admin, space, user, SpaceRole.COORDINATOR, notify=False)
    return user


@pytest.fixture
def person():
    return UserFactory(email="anna.nowak@gmina.example.pl", first_name="Anna", last_name="Nowak")


@pytest.fixture
def member(admin, space, person):
    return services.add_member(admin, space, person, SpaceRole.PARTICIPANT, notify=False)


def url(name, space=None, **kwargs):
    if space is not None:
        kwargs["slug"] = space.slug
    return reverse(f"exchange_groups:{name}", kwargs=kwargs)


def login(client, user):
    client.force_login(user)
    return client


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- list and description --------------------------------------------------------------------------


def test_space_list_links_each_space_to_its_page(client, space):
    response = client.get(url("space_list"))
    assert f'href="{space.get_absolute_url()}"' in response.content.decode()


def test_space_list_shows_a_private_space_to_its_member(client, admin, person):
    private = SpaceFactory(name="Grupa robocza ds. subwencji", visibility=SpaceVisibility.PRIVATE)
    services.add_member(admin, private, person, notify=False)
    assert "Grupa robocza ds. subwencji" in text_of(login(client, person).get(url("space_list")))


def test_space_detail_is_public_for_a_public_space(client, space):
    response = client.get(space.get_absolute_url())
    assert response.status_code == 200
    assert "Sieć dla gmin wiejskich." in text_of(response)


def test_space_detail_shows_the_members_role(client, space, member, person, settings):
    settings.LANGUAGE_CODE = "en"
    response = login(client, person).get(space.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "Your role: participant." in text_of(response)
    assert url("space_leave", space) in text_of(response)


def test_space_detail_offers_joining_to_a_logged_in_non_member(client, space, person):
    response = login(client, person).get(space.get_absolute_url())
    assert url("space_join", space) in text_of(response)
    assert url("space_members", space) not in text_of(response)


def test_space_detail_does_not_offer_joining_when_the_space_is_closed(client, person):
    closed = SpaceFactory(status=SpaceStatus.CLOSED)
    response = login(client, person).get(closed.get_absolute_url())
    assert url("space_join", closed) not in text_of(response)


def test_space_detail_shows_the_reason_of_a_declined_request(client, space, coordinator, person):
    join_request = services.request_to_join(person, space)
    services.decline_join_request(coordinator, join_request, "Sieć jest już pełna w tym cyklu.")
    assert "Sieć jest już pełna w tym cyklu." in text_of(login(client, person).get(space.get_absolute_url()))


def test_space_detail_unknown_address_is_404(client):
    assert client.get("/przestrzenie/nie-ma-takiej/").status_code == 404


# --- member directory ------------------------------------------------------------------------------


def test_member_directory_lists_name_jst_voivodeship_position_and_role(client, space, member, person, settings):
    settings.LANGUAGE_CODE = "en"
    voivodeship = TerritorialUnitFactory(code="02", kind=UnitKind.VOIVODESHIP, name="dolnośląskie")
    unit = TerritorialUnitFactory(
        code="0201022", kind=UnitKind.RURAL_GMINA, name="Bolesławiec", voivodeship=voivodeship
    )
    profile = profile_of(person)
    profile.unit = unit
    profile.position_category = PositionCategory.EDUCATION_DEPARTMENT
    profile.job_title = "Inspektor ds. oświaty"
    profile.save()
    page = text_of(login(client, person).get(url("space_members", space), HTTP_ACCEPT_LANGUAGE="en"))
    row = re.search(r"<tr>\s*<td>Anna Nowak</td>.*?</tr>", page).group(0)
    for expected in ("Bolesławiec", "rural gmina", "dolnośląskie", "Inspektor ds. oświaty", "participant"):
        assert expected in row


def test_member_directory_lists_coordinators_first(client, space, coordinator, member, person):
    page = text_of(login(client, person).get(url("space_members", space)))
    assert page.index("Małgorzata Zielińska") < page.index("Anna Nowak")


def test_member_directory_of_a_public_space_is_refused_to_a_non_member(client, space, member):
    response = login(client, UserFactory()).get(url("space_members", space))
    assert response.status_code == 403
    assert "Anna Nowak" not in text_of(response)


def test_member_directory_sends_an_anonymous_visitor_to_log_in(client, space, member):
    response = client.get(url("space_members", space))
    assert response.status_code == 302
    assert response.url.startswith(reverse("exchange_groups:login"))


def test_member_directory_does_not_list_people_who_left(client, space, coordinator, member, person):
    services.leave_space(person, space)
    assert "Anna Nowak" not in text_of(login(client, coordinator).get(url("space_members", space)))


# --- joining and leaving ---------------------------------------------------------------------------


def test_join_page_get_creates_no_request(client, space, person):
    response = login(client, person).get(url("space_join", space))
    assert response.status_code == 200
    assert not JoinRequest.objects.exists()


def test_join_post_sends_one_request_even_when_submitted_twice(client, space, person):
    login(client, person)
    client.post(url("space_join", space), {"message": "Reprezentuję gminę."})
    response = client.post(url("space_join", space), {"message": "Reprezentuję gminę."})
    assert response.status_code == 302
    assert JoinRequest.objects.filter(space=space, user=person, status=JoinRequestStatus.PENDING).count() == 1


def test_join_post_without_a_message_sends_the_request(client, space, person):
    login(client, person).post(url("space_join", space))
    assert JoinRequest.objects.filter(space=space, user=person, status=JoinRequestStatus.PENDING).count() == 1


def test_join_post_on_a_closed_space_explains_and_creates_nothing(client, person):
    closed = SpaceFactory(status=SpaceStatus.ARCHIVED)
    response = login(client, person).post(url("space_join", closed), {"message": ""})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert not JoinRequest.objects.exists()


def test_join_page_sends_an_anonymous_visitor_to_log_in(client, space):
    response = client.get(url("space_join", space))
    assert response.status_code == 302
    assert response.url.startswith(reverse("exchange_groups:login"))


def test_withdraw_request_by_post(client, space, person):
    join_request = services.request_to_join(person, space)
    login(client, person).post(url("space_join_withdraw", space))
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.WITHDRAWN


def test_withdraw_request_by_get_changes_nothing(client, space, person):
    join_request = services.request_to_join(person, space)
    assert login(client, person).get(url("space_join_withdraw", space)).status_code == 405
    join_request.refresh_from_db()
    assert join_request.is_pending


def test_leave_page_get_asks_for_confirmation_only(client, space, member, person):
    response = login(client, person).get(url("space_leave", space))
    assert response.status_code == 200
    assert is_member(person, space)


def test_leave_post_ends_the_membership(client, space, member, person):
    response = login(client, person).post(url("space_leave", space))
    assert response.status_code == 302
    assert not is_member(person, space)


# --- management ------------------------------------------------------------------------------------


def test_manage_page_lists_pending_requests_with_their_message(client, space, coordinator, person):
    services.request_to_join(person, space, "Gmina przygotowuje strategię oświatową.")
    page = text_of(login(client, coordinator).get(url("space_manage", space)))
    assert "Anna Nowak" in page
    assert "Gmina przygotowuje strategię oświatową." in page


def test_manage_page_is_refused_to_a_participant(client, space, member, person):
    assert login(client, person).get(url("space_manage", space)).status_code == 403


def test_manage_page_is_open_to_the_administrator_group(client, space):
    site_admin = UserFactory()
    site_admin.groups.add(Group.objects.get_or_create(name="Administrator")[0])
    assert login(client, site_admin).get(url("space_manage", space)).status_code == 200


def test_manage_accept_request_by_post(client, space, coordinator, person):
    join_request = services.request_to_join(person, space)
    login(client, coordinator).post(url("space_manage_request_accept", space, pk=join_request.pk))
    assert role_in(person, space) == SpaceRole.PARTICIPANT


def test_manage_accept_request_by_get_changes_nothing(client, space, coordinator, person):
    join_request = services.request_to_join(person, space)
    response = login(client, coordinator).get(url("space_manage_request_accept", space, pk=join_request.pk))
    assert response.status_code == 405
    assert not is_member(person, space)


def test_manage_decline_without_reason_shows_an_accessible_error(client, space, coordinator, person):
    join_request = services.request_to_join(person, space)
    response = login(client, coordinator).post(
        url("space_manage_request_decline", space, pk=join_request.pk), {"reason": " "}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert 'href="#id_reason"' in html
    assert re.search(r'<textarea[^>]*aria-invalid="true"', html)
    assert re.search(r'<textarea[^>]*aria-describedby="id_reason-error id_reason-help"', html)
    join_request.refresh_from_db()
    assert join_request.is_pending


def test_manage_decline_with_reason(client, space, coordinator, person):
    join_request = services.request_to_join(person, space)
    login(client, coordinator).post(
        url("space_manage_request_decline", space, pk=join_request.pk), {"reason": "Brak miejsc w tym cyklu."}
    )
    join_request.refresh_from_db()
    assert (join_request.status, join_request.reason) == (JoinRequestStatus.DECLINED, "Brak miejsc w tym cyklu.")


def test_manage_invite_sends_the_invitation(client, space, coordinator, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(client, coordinator).post(
            url("space_manage_invite", space), {"email": "Wojt@Gmina.example.pl", "role": SpaceRole.EXPERT}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role) == ("wojt@gmina.example.pl", SpaceRole.EXPERT)
    assert mailoutbox[0].to == ["wojt@gmina.example.pl"]
    assert "/zaproszenie/" in mailoutbox[0].body


def test_manage_invite_with_a_bad_address_explains(client, space, coordinator):
    response = login(client, coordinator).post(
        url("space_manage_invite", space), {"email": "wojt(at)gmina", "role": SpaceRole.PARTICIPANT}
    )
    assert response.status_code == 200
    assert 'href="#id_invite_email"' in response.content.decode()
    assert not Invitation.objects.exists()


def test_manage_withdraw_invitation_by_post(client, space, coordinator):
    invitation = services.invite_to_space(coordinator, space, "wojt@gmina.example.pl")
    login(client, coordinator).post(url("space_manage_invitation_revoke", space, pk=invitation.pk))
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is not None


def test_manage_add_a_registered_person(client, space, coordinator, person):
    login(client, coordinator).post(
        url("space_manage_add", space), {"email": "ANNA.NOWAK@gmina.example.pl", "role": SpaceRole.MODERATOR}
    )
    assert role_in(person, space) == SpaceRole.MODERATOR


def test_manage_add_an_unknown_address_suggests_an_invitation(client, space, coordinator):
    response = login(client, coordinator).post(
        url("space_manage_add", space), {"email": "nikt@gmina.example.pl", "role": SpaceRole.PARTICIPANT}
    )
    assert response.status_code == 200
    assert 'href="#id_add_email"' in response.content.decode()
    assert Membership.objects.filter(space=space).count() == 1  # the coordinator


def test_manage_add_a_member_twice_explains(client, space, coordinator, member, person):
    response = login(client, coordinator).post(
        url("space_manage_add", space), {"email": person.email, "role": SpaceRole.PARTICIPANT}
    )
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert Membership.objects.filter(space=space, user=person).count() == 1


def test_manage_page_labels_each_role_select(client, space, coordinator, member):
    html = login(client, coordinator).get(url("space_manage", space)).content.decode()
    assert f'<label for="id_role_{member.pk}"' in html
    assert f'id="id_role_{member.pk}"' in html


def test_manage_change_role(client, space, coordinator, member, person):
    login(client, coordinator).post(url("space_manage_member_role", space, pk=member.pk), {"role": SpaceRole.EXPERT})
    assert role_in(person, space) == SpaceRole.EXPERT


def test_manage_remove_with_reason(client, space, coordinator, member, person):
    login(client, coordinator).post(
        url("space_manage_member_remove", space, pk=member.pk), {"reason": "Zmiana osoby reprezentującej JST."}
    )
    assert not is_member(person, space)
    assert Membership.objects.get(pk=member.pk).ended_reason == "Zmiana osoby reprezentującej JST."


def test_manage_remove_without_reason_keeps_the_member(client, space, coordinator, member, person):
    response = login(client, coordinator).post(url("space_manage_member_remove", space, pk=member.pk), {"reason": ""})
    assert response.status_code == 200
    assert is_member(person, space)


def test_manage_history_lists_who_did_what(client, space, coordinator, member, person):
    services.change_role(coordinator, member, SpaceRole.MODERATOR)
    page = text_of(login(client, coordinator).get(url("space_manage_history", space), HTTP_ACCEPT_LANGUAGE="en"))
    assert "Anna Nowak" in page
    assert "Małgorzata Zielińska" in page
    assert MembershipEvent.objects.filter(space=space, kind=MembershipEventKind.ROLE_CHANGED).count() == 1


# --- invitation page -------------------------------------------------------------------------------


@pytest.fixture
def invitation(space, coordinator, person):
    return services.invite_to_space(coordinator, space, person.email, SpaceRole.EXPERT)


def test_invitation_page_get_does_not_accept(client, invitation, space, person):
    response = login(client, person).get(url("invitation", token=invitation.raw_token))
    assert response.status_code == 200
    assert space.name in text_of(response)
    assert not is_member(person, space)


def test_invitation_page_post_accepts(client, invitation, space, person):
    response = login(client, person).post(url("invitation", token=invitation.raw_token))
    assert response.status_code == 302
    assert role_in(person, space) == SpaceRole.EXPERT


def test_invitation_page_asks_an_anonymous_visitor_to_log_in(client, invitation):
    response = client.get(url("invitation", token=invitation.raw_token))
    assert response.status_code == 200
    assert reverse("exchange_groups:login") in response.content.decode()
    response = client.post(url("invitation", token=invitation.raw_token))
    assert response.status_code == 302
    assert response.url.startswith(reverse("exchange_groups:login"))


def test_invitation_page_after_expiry_explains(client, invitation, space, person):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    response = login(client, person).post(url("invitation", token=invitation.raw_token))
    assert response.status_code == 410
    assert not is_member(person, space)


def test_invitation_page_second_use_explains(client, invitation, space, person):
    login(client, person).post(url("invitation", token=invitation.raw_token))
    services.leave_space(person, space)
    response = client.post(url("invitation", token=invitation.raw_token))
    assert response.status_code == 410
    assert not is_member(person, space)


def test_invitation_page_for_another_address_explains(client, invitation, space):
    other = UserFactory(email="ktos.inny@gmina.example.pl")
    response = login(client, other).post(url("invitation", token=invitation.raw_token))
    assert response.status_code == 400
    assert "ktos.inny@gmina.example.pl" in text_of(response)
    assert not is_member(other, space)


def test_invitation_page_with_an_unknown_token_is_404(client):
    assert client.get(url("invitation", token="zmyslony-token")).status_code == 404


# --- Moje przestrzenie -----------------------------------------------------------------------------


def test_my_spaces_lists_roles_and_pending_requests(client, admin, space, person):
    gwd = SpaceFactory(kind=SpaceKind.EXCHANGE_GROUP, name="Grupa Wymiany Doświadczeń: gminy wiejskie")
    services.add_member(admin, gwd, person, SpaceRole.EXPERT, notify=False)
    services.request_to_join(person, space)
    client.cookies["django_language"] = "en"  # the language switch; the browser language does not count
    page = text_of(login(client, person).get(url("my_spaces")))
    assert "Grupa Wymiany Doświadczeń: gminy wiejskie" in page
    assert "<dd>expert</dd>" in page
    assert space.name in page
    assert url("space_join_withdraw", space) in page


def test_my_spaces_shows_the_reason_of_a_declined_request(client, space, coordinator, person):
    services.decline_join_request(
        coordinator, services.request_to_join(person, space), "Sieć tylko dla gmin wiejskich."
    )
    assert "Sieć tylko dla gmin wiejskich." in text_of(login(client, person).get(url("my_spaces")))


def test_my_spaces_shows_coordinators_the_waiting_requests(client, space, coordinator, person):
    services.request_to_join(person, space)
    page = text_of(login(client, coordinator).get(url("my_spaces")))
    assert url("space_manage", space) in page


def test_my_spaces_sends_an_anonymous_visitor_to_log_in(client):
    response = client.get(url("my_spaces"))
    assert response.status_code == 302


# --- Wagtail admin ---------------------------------------------------------------------------------


def test_admin_lists_spaces_filtered_by_kind(client, admin, space):
    SpaceFactory(kind=SpaceKind.EXCHANGE_GROUP, name="Grupa Wymiany Doświadczeń: miasta")
    response = login(client, admin).get("/admin/snippets/exchange_groups/space/", {"kind": SpaceKind.EXCHANGE_GROUP})
    page = text_of(response)
    assert response.status_code == 200
    assert "Grupa Wymiany Doświadczeń: miasta" in page
    assert space.name not in page


def test_admin_edits_a_space_with_audience_checkboxes(client, admin, space):
    edit_url = f"/admin/snippets/exchange_groups/space/edit/{space.pk}/"
    data = {
        "kind": SpaceKind.NETWORK,
        "name": space.name,
        "slug": space.slug,
        "description": "Nowy opis sieci.",
        "audience": [UnitKind.RURAL_GMINA, UnitKind.URBAN_RURAL_GMINA],
        "cycle": "2020/2021",
        "status": SpaceStatus.ACTIVE,
        "visibility": SpaceVisibility.PRIVATE,
    }
    response = login(client, admin).post(edit_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    space.refresh_from_db()
    assert space.audience == [UnitKind.RURAL_GMINA, UnitKind.URBAN_RURAL_GMINA]
    assert (space.cycle, space.visibility) == ("2020/2021", SpaceVisibility.PRIVATE)


def test_admin_refuses_a_malformed_cycle(client, admin, space):
    edit_url = f"/admin/snippets/exchange_groups/space/edit/{space.pk}/"
    data = {"kind": SpaceKind.NETWORK, "name": space.name, "slug": space.slug, "cycle": "2019-2021"}
    data.update(status=SpaceStatus.ACTIVE, visibility=SpaceVisibility.PUBLIC)
    response = login(client, admin).post(edit_url, data)
    assert response.status_code == 200
    space.refresh_from_db()
    assert space.cycle == "2019/2020"


def test_admin_filters_memberships_by_space(client, admin, space, member):
    other = SpaceFactory(name="Grupa Wymiany Doświadczeń: powiaty")
    services.add_member(admin, other, UserFactory(first_name="Halina", last_name="Walczak"), notify=False)
    response = login(client, admin).get("/admin/snippets/exchange_groups/membership/", {"space": other.pk})
    page = text_of(response)
    assert "Halina Walczak" in page
    assert "Anna Nowak" not in page


def test_admin_shows_memberships_but_does_not_edit_them(client, admin, space, member):
    login(client, admin)
    listing = client.get("/admin/snippets/exchange_groups/membership/")
    assert listing.status_code == 200
    assert "Anna Nowak" in text_of(listing)
    assert client.get(f"/admin/snippets/exchange_groups/membership/inspect/{member.pk}/").status_code == 200
    assert client.get(f"/admin/snippets/exchange_groups/membership/edit/{member.pk}/").status_code in (302, 403)
    response = client.post(f"/admin/snippets/exchange_groups/membership/delete/{member.pk}/")
    assert response.status_code in (302, 403)
    assert Membership.objects.filter(pk=member.pk).exists()


# --- demo memberships ------------------------------------------------------------------------------


@pytest.fixture
def demo_world(registry):
    from exchange_groups.spaces.standard import ensure_standard_spaces

    users = {
        key: UserFactory(email=f"{key}@demo.oswiata-jst.pl")
        for key in ("uczestnik", "lider", "koordynator", "redaktor", "ekspert")
    }
    users["administrator"] = UserFactory(email="admin@demo.oswiata-jst.pl", is_superuser=True, is_staff=True)
    return users, ensure_standard_spaces()


def test_demo_memberships_give_the_demo_people_their_roles(demo_world):
    from exchange_groups.demo.spaces import load_demo_memberships

    users, spaces = demo_world
    load_demo_memberships(users, spaces)
    coordinated = Membership.objects.active().filter(user=users["koordynator"], role=SpaceRole.COORDINATOR)
    assert set(coordinated.values_list("space__slug", flat=True)) == {
        "siec-gminy-wiejskie",
        "siec-gminy-miejsko-wiejskie",
        "siec-gminy-miejskie-i-powiaty",
    }
    assert role_in(users["lider"], spaces["siec-liderow"]) == SpaceRole.MODERATOR
    assert role_in(users["ekspert"], spaces["gwd-miejska"]) == SpaceRole.EXPERT
    assert role_in(users["uczestnik"], spaces["gwd-wiejska"]) == SpaceRole.PARTICIPANT
    assert JoinRequest.objects.filter(status=JoinRequestStatus.PENDING).count() == 1
    assert Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True).count() == 1


def test_demo_memberships_give_extra_people_real_jsts(demo_world):
    from exchange_groups.demo.spaces import EXTRA_PEOPLE, load_demo_memberships

    users, spaces = demo_world
    load_demo_memberships(users, spaces)
    codes = {code for _first, _last, code, *_rest in EXTRA_PEOPLE}
    assert TerritorialUnit.objects.filter(code__in=codes).count() == len(codes)
    assert Membership.objects.active().filter(user__profile__unit__isnull=False).count() >= 25


def test_demo_memberships_load_twice_without_duplicates(demo_world):
    from exchange_groups.demo.spaces import load_demo_memberships

    users, spaces = demo_world
    load_demo_memberships(users, spaces)
    counts = (
        Membership.objects.count(),
        JoinRequest.objects.count(),
        Invitation.objects.count(),
        Space.objects.count(),
    )
    load_demo_memberships(users, spaces)
    assert (
        Membership.objects.count(),
        JoinRequest.objects.count(),
        Invitation.objects.count(),
        Space.objects.count(),
    ) == counts
