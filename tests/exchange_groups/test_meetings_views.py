"""Meeting pages: private-space isolation for every URL, member-only and coordinator-only parts, the online
link's visibility, forms (Warsaw time, accessible errors), the phone attendance list, materials served
safely, "Moje spotkania"."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from exchange_groups.meetings import calendars, services
from exchange_groups.models import (
    Attendance,
    Meeting,
    MeetingMaterial,
    MeetingMode,
    Registration,
    RegistrationStatus,
    Space,
    SpaceRole,
    SpaceVisibility,
)
from exchange_groups.spaces import services as membership
from tests.exchange_groups.meetings_helpers import add_members, make_meeting, make_space
from tests.factories import SpaceFactory, UserFactory

pytestmark = pytest.mark.django_db

PRIVATE_NAME = "Zespół roboczy ds. subwencji oświatowej"
MEETING_TITLE = "Spotkanie zespołu: algorytm subwencji 2026"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
LINK = "https://spotkania.example.pl/j/tajne-123"

# URL name -> what the URL needs besides the space: None, "meeting" or "material".
MEETING_URLS = {
    "meeting_list": None,
    "meeting_create": None,
    "meeting_detail": "meeting",
    "meeting_register": "meeting",
    "meeting_unregister": "meeting",
    "meeting_edit": "meeting",
    "meeting_cancel": "meeting",
    "meeting_attendance": "meeting",
    "meeting_minutes": "meeting",
    "meeting_material_add": "meeting",
    "meeting_ics": "meeting",
    "meeting_material_download": "material",
    "meeting_material_remove": "material",
}
COORDINATOR_URLS = [
    "meeting_create",
    "meeting_edit",
    "meeting_cancel",
    "meeting_attendance",
    "meeting_minutes",
    "meeting_material_add",
    "meeting_material_remove",
]
POST_ONLY = {"meeting_register", "meeting_unregister", "meeting_material_add", "meeting_material_remove"}
OUTSIDERS = ["anonymous", "non_member", "other_coordinator"]
INSIDERS = ["member", "coordinator", "site_admin"]


@pytest.fixture(autouse=True)
def english(settings):
    """Pages are read in English, so the tests do not depend on the compiled Polish catalogue."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def world():
    space, coordinator, admin = make_space(name=PRIVATE_NAME, slug="zespol-subwencja")
    member, other_member = add_members(admin, space, 2)
    meeting = make_meeting(coordinator, space, title=MEETING_TITLE, capacity=10)
    services.register_for_meeting(member, meeting)
    # The meeting took place yesterday: attendance, minutes and materials are possible.
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=1, hours=4),
        ends_at=timezone.now() - datetime.timedelta(days=1),
    )
    meeting.refresh_from_db()
    material = services.attach_material(
        coordinator, meeting, title="Prezentacja", file=SimpleUploadedFile("prezentacja.pdf", PDF)
    )
    Space.objects.filter(pk=space.pk).update(visibility=SpaceVisibility.PRIVATE)
    space.refresh_from_db()

    other_space = SpaceFactory(name="Sieć współpracy: gminy miejskie")
    other_coordinator = UserFactory()
    membership.add_member(admin, other_space, other_coordinator, SpaceRole.COORDINATOR, notify=False)
    site_admin = UserFactory()
    site_admin.groups.add(Group.objects.get_or_create(name="Administrator")[0])
    return {
        "space": space,
        "meeting": meeting,
        "material": material,
        "users": {
            "anonymous": None,
            "non_member": UserFactory(),
            "member": member,
            "other_member": other_member,
            "coordinator": coordinator,
            "other_coordinator": other_coordinator,
            "site_admin": site_admin,
        },
    }


def url_of(world, name) -> str:
    kwargs = {"slug": world["space"].slug}
    needs = MEETING_URLS[name]
    if needs in ("meeting", "material"):
        kwargs["pk"] = world["meeting"].pk
    if needs == "material":
        kwargs["material_pk"] = world["material"].pk
    return reverse(f"exchange_groups:{name}", kwargs=kwargs)


def client_for(world, who) -> Client:
    client = Client()
    user = world["users"][who]
    if user is not None:
        client.force_login(user)
    return client


def state(world):
    meeting = world["meeting"]
    return (
        list(Meeting.objects.values_list("pk", "title", "status", "sequence", "minutes", "capacity")),
        list(Registration.objects.values_list("pk", "user_id", "status", "attendance")),
        list(MeetingMaterial.objects.filter(meeting=meeting).values_list("pk", "title")),
    )


POST_DATA = {
    "title": "Zmieniony tytuł",
    "mode": MeetingMode.IN_PERSON,
    "starts_at": "2030-01-10T10:00",
    "ends_at": "2030-01-10T12:00",
    "venue": "Sala",
    "address": "ul. Długa 1, Gdańsk",
    "link_visible_minutes_before": "60",
    "reason": "Powód",
    "minutes": "Protokół",
    "url": "https://example.pl/material",
}


# --- private means private --------------------------------------------------------------------------


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("name", list(MEETING_URLS))
def test_private_space_meeting_urls_answer_404_to_outsiders_on_get(world, who, name):
    response = client_for(world, who).get(url_of(world, name))
    assert response.status_code == 404
    assert PRIVATE_NAME not in response.content.decode()
    assert MEETING_TITLE not in response.content.decode()


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("name", list(MEETING_URLS))
def test_private_space_meeting_urls_answer_404_to_outsiders_on_post_and_change_nothing(world, who, name):
    data = dict(POST_DATA, **{f"person_{world['users']['member'].pk}": Attendance.ABSENT})
    before = state(world)
    response = client_for(world, who).post(url_of(world, name), data)
    assert response.status_code == 404
    assert state(world) == before


@pytest.mark.parametrize("who", INSIDERS)
@pytest.mark.parametrize("name", list(MEETING_URLS))
def test_private_space_meeting_urls_exist_for_members_and_site_admins(world, who, name):
    response = client_for(world, who).get(url_of(world, name))
    assert response.status_code != 404


@pytest.mark.parametrize("name", COORDINATOR_URLS)
def test_coordinator_meeting_pages_are_refused_to_a_participant_with_403(world, name):
    data = dict(POST_DATA, **{f"person_{world['users']['member'].pk}": Attendance.ABSENT})
    before = state(world)
    client = client_for(world, "member")
    assert client.get(url_of(world, name)).status_code == 403
    assert client.post(url_of(world, name), data).status_code == 403
    assert state(world) == before


@pytest.mark.parametrize("who", ["coordinator", "site_admin"])
@pytest.mark.parametrize("name", COORDINATOR_URLS)
def test_coordinator_meeting_pages_are_open_to_coordinators_and_site_admins(world, who, name):
    response = client_for(world, who).get(url_of(world, name))
    assert response.status_code == (405 if name in POST_ONLY else 200)


def test_former_member_no_longer_sees_the_meetings_of_a_private_space(world, committed):
    member = world["users"]["member"]
    future = make_meeting(world["users"]["coordinator"], world["space"], title="Przyszłe spotkanie zespołu")
    services.register_for_meeting(member, future)
    _feed, token = calendars.create_calendar_feed(member)
    with committed():
        membership.leave_space(member, world["space"])
    client = client_for(world, "member")
    assert client.get(url_of(world, "meeting_detail")).status_code == 404
    assert "Przyszłe spotkanie zespołu" not in client.get(reverse("exchange_groups:my_meetings")).content.decode()
    feed = Client().get(reverse("exchange_groups:calendar_feed", kwargs={"token": token})).content.decode()
    assert "UID:meeting-" not in feed


# --- members only, in a public space -----------------------------------------------------------------


@pytest.fixture
def public_world():
    space, coordinator, admin = make_space(name="Sieć współpracy: gminy wiejskie", slug="siec-wiejska")
    (member,) = add_members(admin, space, 1)
    meeting = make_meeting(coordinator, space, mode=MeetingMode.ONLINE, online_link=LINK, capacity=1)
    return {"space": space, "coordinator": coordinator, "admin": admin, "member": member, "meeting": meeting}


def test_meeting_list_of_a_public_space_sends_anonymous_visitors_to_login(public_world):
    url = reverse("exchange_groups:meeting_list", kwargs={"slug": public_world["space"].slug})
    response = Client().get(url)
    assert response.status_code == 302
    assert reverse("exchange_groups:login") in response["Location"]


def test_meeting_detail_of_a_public_space_is_for_members_only(public_world):
    client = Client()
    client.force_login(UserFactory())
    response = client.get(public_world["meeting"].get_absolute_url())
    assert response.status_code == 403
    assert public_world["meeting"].title not in response.content.decode()


# --- the online link ---------------------------------------------------------------------------------


def _place_in_time(meeting, minutes_before_start):
    """Move the meeting so that it starts this many minutes from now (negative: it started that long ago)."""
    starts = timezone.now() + datetime.timedelta(minutes=minutes_before_start)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=starts, ends_at=starts + datetime.timedelta(hours=2))
    meeting.refresh_from_db()


def _detail_html(client, meeting, minutes_before_start):
    _place_in_time(meeting, minutes_before_start)
    return client.get(meeting.get_absolute_url()).content.decode()


def test_online_link_is_shown_to_a_registered_person_from_the_window(public_world):
    meeting, member = public_world["meeting"], public_world["member"]
    services.register_for_meeting(member, meeting)
    client = Client()
    client.force_login(member)
    assert LINK in _detail_html(client, meeting, 30)


def test_online_link_is_hidden_before_the_window_with_the_time_it_appears(public_world):
    meeting, member = public_world["meeting"], public_world["member"]
    services.register_for_meeting(member, meeting)
    client = Client()
    client.force_login(member)
    html = _detail_html(client, meeting, 120)
    assert meeting.title in html
    assert LINK not in html
    assert timezone.localtime(meeting.link_visible_from).strftime("%H:%M") in html


def test_online_link_is_hidden_after_the_end(public_world):
    meeting, member = public_world["meeting"], public_world["member"]
    services.register_for_meeting(member, meeting)
    client = Client()
    client.force_login(member)
    html = _detail_html(client, meeting, -121)
    assert meeting.title in html
    assert LINK not in html


def test_online_link_is_hidden_from_people_waiting_and_not_registered(public_world):
    meeting, member = public_world["meeting"], public_world["member"]
    services.register_for_meeting(public_world["coordinator"], meeting)  # takes the only place
    waiting = services.register_for_meeting(member, meeting)
    assert waiting.is_waiting
    for person in (member, public_world["admin"]):
        client = Client()
        client.force_login(person)
        html = _detail_html(client, meeting, 10)
        assert meeting.title in html
        assert LINK not in html


def test_online_link_never_appears_in_the_list_or_the_ics(public_world):
    meeting, member = public_world["meeting"], public_world["member"]
    services.register_for_meeting(member, meeting)
    client = Client()
    client.force_login(member)
    _place_in_time(meeting, 10)
    slug = public_world["space"].slug
    listing = client.get(reverse("exchange_groups:meeting_list", kwargs={"slug": slug})).content.decode()
    assert meeting.title in listing
    assert LINK not in listing
    assert LINK not in client.get(reverse("exchange_groups:my_meetings")).content.decode()
    ics = client.get(reverse("exchange_groups:meeting_ics", kwargs={"slug": slug, "pk": meeting.pk}))
    assert LINK not in ics.content.decode()


# --- registering through the pages -------------------------------------------------------------------


def test_register_page_answers_get_with_405_and_registers_nobody(public_world):
    client = Client()
    client.force_login(public_world["member"])
    url = reverse("exchange_groups:meeting_register", kwargs={"slug": "siec-wiejska", "pk": public_world["meeting"].pk})
    assert client.get(url).status_code == 405
    assert not Registration.objects.exists()


def test_register_button_puts_the_second_person_on_the_waiting_list_with_position(public_world):
    meeting = public_world["meeting"]
    services.register_for_meeting(public_world["coordinator"], meeting)
    client = Client()
    client.force_login(public_world["member"])
    url = reverse("exchange_groups:meeting_register", kwargs={"slug": "siec-wiejska", "pk": meeting.pk})
    response = client.post(url, follow=True)
    html = response.content.decode()
    assert Registration.objects.get(user=public_world["member"]).status == RegistrationStatus.WAITING
    assert re.search(r"position\s+1", html)


def test_my_meetings_lists_status_and_waiting_position(public_world):
    meeting = public_world["meeting"]
    services.register_for_meeting(public_world["coordinator"], meeting)
    services.register_for_meeting(public_world["member"], meeting)
    client = Client()
    client.force_login(public_world["member"])
    html = client.get(reverse("exchange_groups:my_meetings")).content.decode()
    assert meeting.title in html
    assert re.search(r"Waiting list, position\s+1", html)


# --- the coordinators' forms -------------------------------------------------------------------------


def test_create_meeting_form_reads_times_as_warsaw_time(public_world):
    client = Client()
    client.force_login(public_world["coordinator"])
    data = dict(POST_DATA, title="Spotkanie w Lublinie", starts_at="2030-07-10T10:00", ends_at="2030-07-10T13:00")
    response = client.post(reverse("exchange_groups:meeting_create", kwargs={"slug": "siec-wiejska"}), data)
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="Spotkanie w Lublinie")
    assert meeting.starts_at == datetime.datetime(2030, 7, 10, 8, 0, tzinfo=datetime.UTC)  # CEST = UTC+2


def test_create_meeting_form_shows_an_end_before_the_start_as_a_linked_error(public_world):
    client = Client()
    client.force_login(public_world["coordinator"])
    data = dict(POST_DATA, starts_at="2030-07-10T10:00", ends_at="2030-07-10T09:00")
    response = client.post(reverse("exchange_groups:meeting_create", kwargs={"slug": "siec-wiejska"}), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert 'href="#id_ends_at"' in html
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="id_ends_at"|id="id_ends_at"[^>]*aria-invalid', html)
    assert Meeting.objects.count() == 1


# --- attendance on a phone -----------------------------------------------------------------------------


def test_attendance_page_has_one_fieldset_per_person_with_three_radios(world):
    extra = world["users"]["other_member"]
    Registration.objects.create(meeting=world["meeting"], user=extra, status=RegistrationStatus.REGISTERED)
    html = client_for(world, "coordinator").get(url_of(world, "meeting_attendance")).content.decode()
    fieldsets = re.findall(r'<fieldset class="attendance-row">(.*?)</fieldset>', html, re.S)
    assert len(fieldsets) == 2
    for person, fieldset in zip(
        sorted([world["users"]["member"], extra], key=lambda u: (u.last_name, u.first_name)), fieldsets, strict=True
    ):
        assert person.get_full_name() in re.search(r"<legend>(.*?)</legend>", fieldset, re.S).group(1)
        assert len(re.findall(r'type="radio"', fieldset)) == 3
        assert len(re.findall(r"<label for=", fieldset)) == 3
    assert 'name="viewport"' in html


def test_attendance_page_saves_the_marks(world):
    member = world["users"]["member"]
    response = client_for(world, "coordinator").post(
        url_of(world, "meeting_attendance"), {f"person_{member.pk}": Attendance.EXCUSED}
    )
    assert response.status_code == 302
    assert Registration.objects.get(user=member).attendance == Attendance.EXCUSED


# --- materials -----------------------------------------------------------------------------------------


def test_material_download_is_an_attachment_with_a_safe_type_and_nosniff(world):
    response = client_for(world, "member").get(url_of(world, "meeting_material_download"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_material_upload_page_refuses_html_disguised_as_pdf(world):
    response = client_for(world, "coordinator").post(
        url_of(world, "meeting_material_add"),
        {"title": "Złośliwy", "file": SimpleUploadedFile("plik.pdf", b"<html><script>alert(1)</script>")},
    )
    assert response.status_code == 400
    # The same words as the library's: web-page code is refused whatever the file is called.
    assert "Web pages, SVG graphics, XML and scripts cannot be added" in response.content.decode()
    assert MeetingMaterial.objects.count() == 1


def test_material_upload_page_adds_a_pdf(world):
    response = client_for(world, "coordinator").post(
        url_of(world, "meeting_material_add"),
        {"title": "Protokół podpisany", "file": SimpleUploadedFile("protokol.pdf", PDF)},
    )
    assert response.status_code == 302
    assert MeetingMaterial.objects.filter(title="Protokół podpisany").exists()


def test_material_files_are_not_stored_under_media_root(world, settings):
    from pathlib import Path

    stored = Path(world["material"].file.path)
    assert Path(settings.MEDIA_ROOT) not in stored.parents


# --- Wagtail admin (read-only for site administrators) -----------------------------------------------


def test_admin_meeting_list_shows_meetings_to_site_administrators_read_only(world):
    client = client_for(world, "site_admin")
    world["users"]["site_admin"].is_staff = True
    world["users"]["site_admin"].save()
    from django.contrib.auth.models import Permission

    Group.objects.get(name="Administrator").permissions.add(Permission.objects.get(codename="access_admin"))
    response = client.get(reverse("wagtailsnippets_exchange_groups_meeting:list"))
    assert response.status_code == 200
    assert MEETING_TITLE in response.content.decode()
    assert LINK not in response.content.decode()
    edit = reverse("wagtailsnippets_exchange_groups_meeting:edit", args=[world["meeting"].pk])
    assert client.get(edit).status_code in (302, 403)


def test_admin_meeting_list_is_closed_to_a_coordinator_who_is_not_a_site_administrator(world):
    from django.contrib.auth.models import Permission

    coordinator = world["users"]["coordinator"]
    coordinator.is_staff = True
    coordinator.save()
    coordinator.user_permissions.add(Permission.objects.get(codename="access_admin"))
    response = client_for(world, "coordinator").get(reverse("wagtailsnippets_exchange_groups_meeting:list"))
    assert response.status_code in (302, 403)
    assert MEETING_TITLE not in response.content.decode()


# --- more of the coordinators' pages -----------------------------------------------------------------


def test_cancel_page_cancels_and_tells_the_people_registered(public_world, committed, mailoutbox):
    meeting, member = public_world["meeting"], public_world["member"]
    services.register_for_meeting(member, meeting)
    client = Client()
    client.force_login(public_world["coordinator"])
    url = reverse("exchange_groups:meeting_cancel", kwargs={"slug": "siec-wiejska", "pk": meeting.pk})
    with committed():
        response = client.post(url, {"reason": "Brak sali"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_cancelled
    assert [m.to for m in mailoutbox] == [[member.email]]
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Brak sali" in html


def test_edit_page_changes_the_time_and_tells_the_people_registered(public_world, committed, mailoutbox):
    meeting, member = public_world["meeting"], public_world["member"]
    services.register_for_meeting(member, meeting)
    client = Client()
    client.force_login(public_world["coordinator"])
    url = reverse("exchange_groups:meeting_edit", kwargs={"slug": "siec-wiejska", "pk": meeting.pk})
    form_page = client.get(url).content.decode()
    assert 'value="' + timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M") + '"' in form_page
    data = {
        "title": meeting.title,
        "mode": MeetingMode.ONLINE,
        "starts_at": "2030-01-15T09:00",
        "ends_at": "2030-01-15T11:00",
        "online_link": LINK,
        "link_visible_minutes_before": "60",
        "capacity": "1",
    }
    with committed():
        response = client.post(url, data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at == datetime.datetime(2030, 1, 15, 8, 0, tzinfo=datetime.UTC)  # CET = UTC+1
    assert [m.to for m in mailoutbox] == [[member.email]]


def test_attendance_page_before_the_start_refuses_and_changes_nothing(public_world):
    meeting, member = public_world["meeting"], public_world["member"]
    services.register_for_meeting(member, meeting)
    client = Client()
    client.force_login(public_world["coordinator"])
    url = reverse("exchange_groups:meeting_attendance", kwargs={"slug": "siec-wiejska", "pk": meeting.pk})
    response = client.post(url, {f"person_{member.pk}": Attendance.PRESENT})
    assert response.status_code == 400
    assert "once the meeting has started" in response.content.decode()
    assert Registration.objects.get(user=member).attendance == Attendance.UNKNOWN


def test_register_page_after_the_deadline_says_when_registration_closed(public_world):
    meeting = public_world["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(registration_deadline=timezone.now() - datetime.timedelta(hours=1))
    client = Client()
    client.force_login(public_world["member"])
    url = reverse("exchange_groups:meeting_register", kwargs={"slug": "siec-wiejska", "pk": meeting.pk})
    html = client.post(url, follow=True).content.decode()
    assert "Registration closed on" in html
    assert not Registration.objects.exists()


def test_material_download_is_sandboxed(world):
    response = client_for(world, "member").get(url_of(world, "meeting_material_download"))
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_material_upload_page_refuses_a_pdf_with_javascript_and_says_why(world):
    hostile = PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
    response = client_for(world, "coordinator").post(
        url_of(world, "meeting_material_add"),
        {"title": "Złośliwy", "file": SimpleUploadedFile("plik.pdf", hostile, content_type="application/pdf")},
    )
    assert response.status_code == 400
    assert "scripts, automatic actions or embedded files" in response.content.decode()
    assert MeetingMaterial.objects.count() == 1


def test_material_image_declared_as_html_is_served_as_an_image_attachment(world):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    response = client_for(world, "coordinator").post(
        url_of(world, "meeting_material_add"),
        {"title": "Wykres", "file": SimpleUploadedFile("wykres.png", buffer.getvalue(), content_type="text/html")},
    )
    assert response.status_code == 302
    material = MeetingMaterial.objects.get(title="Wykres")
    download = reverse(
        "exchange_groups:meeting_material_download",
        kwargs={"slug": world["space"].slug, "pk": world["meeting"].pk, "material_pk": material.pk},
    )
    response = client_for(world, "member").get(download)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
