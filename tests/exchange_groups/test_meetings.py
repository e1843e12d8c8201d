"""Meetings: planning rules, registration with a waiting list, promotion, attendance, minutes, materials,
e-mails, and what leaving a space does to registrations (services, through the public functions)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from exchange_groups.meetings import services
from exchange_groups.models import (
    Attendance,
    Meeting,
    MeetingMaterial,
    MeetingMode,
    MeetingStatus,
    Membership,
    Registration,
    RegistrationStatus,
)
from exchange_groups.spaces import services as membership
from tests.exchange_groups.meetings_helpers import add_members, in_days, make_meeting, make_space
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    space, coordinator, admin = make_space(name="Sieć współpracy: gminy wiejskie", slug="siec-wiejska")
    members = add_members(admin, space, 6)
    return {"space": space, "coordinator": coordinator, "admin": admin, "members": members}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what happens after the commit (e-mails, the membership signal) at the end of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _error(call) -> services.MeetingError:
    with pytest.raises(services.MeetingError) as caught:
        call()
    return caught.value


# --- planning ----------------------------------------------------------------------------------------


def test_create_meeting_by_coordinator_keeps_the_given_fields(world):
    meeting = make_meeting(world["coordinator"], world["space"], capacity=20)
    meeting.refresh_from_db()
    assert meeting.space == world["space"]
    assert meeting.capacity == 20
    assert meeting.status == MeetingStatus.SCHEDULED
    assert meeting.created_by == world["coordinator"]


def test_create_meeting_is_refused_to_a_participant(world):
    with pytest.raises(PermissionDenied):
        make_meeting(world["members"][0], world["space"])
    assert not Meeting.objects.exists()


def test_create_meeting_refuses_an_end_before_the_start(world):
    error = _error(lambda: make_meeting(world["coordinator"], world["space"], ends_at=in_days(14, 9)))
    assert error.field == "ends_at"
    assert not Meeting.objects.exists()


def test_create_meeting_in_person_needs_a_venue_and_an_address(world):
    assert _error(lambda: make_meeting(world["coordinator"], world["space"], venue="")).field == "venue"
    assert _error(lambda: make_meeting(world["coordinator"], world["space"], address="")).field == "address"


def test_create_meeting_online_needs_a_link(world):
    error = _error(lambda: make_meeting(world["coordinator"], world["space"], mode=MeetingMode.ONLINE, online_link=""))
    assert error.field == "online_link"


def test_create_meeting_in_person_drops_an_online_link(world):
    meeting = make_meeting(world["coordinator"], world["space"], online_link="https://spotkania.example.pl/x")
    assert meeting.online_link == ""


def test_create_meeting_refuses_a_deadline_after_the_start(world):
    error = _error(lambda: make_meeting(world["coordinator"], world["space"], registration_deadline=in_days(15, 10)))
    assert error.field == "registration_deadline"


# --- registration and the waiting list ---------------------------------------------------------------


def test_register_within_capacity_is_registered(world):
    meeting = make_meeting(world["coordinator"], world["space"], capacity=2)
    registration = services.register_for_meeting(world["members"][0], meeting)
    assert registration.status == RegistrationStatus.REGISTERED
    assert registration.position is None


def test_register_at_capacity_lands_on_the_waiting_list_with_positions(world):
    meeting = make_meeting(world["coordinator"], world["space"], capacity=2)
    results = [services.register_for_meeting(person, meeting) for person in world["members"][:5]]
    assert [r.status for r in results] == [RegistrationStatus.REGISTERED] * 2 + [RegistrationStatus.WAITING] * 3
    assert [r.position for r in results] == [None, None, 1, 2, 3]
    assert Registration.objects.registered().filter(meeting=meeting).count() == 2


def test_register_twice_returns_the_same_registration(world):
    meeting = make_meeting(world["coordinator"], world["space"], capacity=1)
    first = services.register_for_meeting(world["members"][0], meeting)
    second = services.register_for_meeting(world["members"][0], meeting)
    assert first.pk == second.pk
    assert Registration.objects.filter(meeting=meeting).count() == 1


def test_register_is_refused_to_a_non_member(world):
    meeting = make_meeting(world["coordinator"], world["space"])
    error = _error(lambda: services.register_for_meeting(UserFactory(), meeting))
    assert error.code == "not_member"
    assert not Registration.objects.exists()


def test_register_is_open_to_a_coordinator(world):
    meeting = make_meeting(world["coordinator"], world["space"])
    assert services.register_for_meeting(world["coordinator"], meeting).is_registered


def test_register_after_the_deadline_is_refused_with_the_date(world):
    deadline = in_days(3, 12)
    meeting = make_meeting(world["coordinator"], world["space"], registration_deadline=deadline)
    error = _error(lambda: services.register_for_meeting(world["members"][0], meeting, now=in_days(4, 12)))
    assert error.code == "deadline_passed"
    assert timezone.localtime(deadline).strftime("%d.%m.%Y 12:00") in error.message


def test_register_for_a_cancelled_meeting_is_refused(world):
    meeting = make_meeting(world["coordinator"], world["space"])
    services.cancel_meeting(world["coordinator"], meeting, "Choroba prowadzącego")
    assert _error(lambda: services.register_for_meeting(world["members"][0], meeting)).code == "cancelled"


def test_register_for_a_past_meeting_is_refused(world):
    meeting = make_meeting(world["coordinator"], world["space"])
    error = _error(lambda: services.register_for_meeting(world["members"][0], meeting, now=in_days(14, 12)))
    assert error.code == "started"


def test_register_again_after_withdrawing_goes_to_the_end_of_the_waiting_list(world):
    meeting = make_meeting(world["coordinator"], world["space"], capacity=1)
    a, b, c = world["members"][:3]
    services.register_for_meeting(a, meeting)
    services.register_for_meeting(b, meeting)
    services.cancel_registration(b, meeting)
    services.register_for_meeting(c, meeting)
    again = services.register_for_meeting(b, meeting)
    assert again.position == 2
    assert Registration.objects.filter(meeting=meeting, user=b).count() == 2


def test_cancel_registration_promotes_the_first_waiting_person_and_emails_them(world, committed, mailoutbox):
    meeting = make_meeting(world["coordinator"], world["space"], capacity=1)
    first, second, third = world["members"][:3]
    for person in (first, second, third):
        services.register_for_meeting(person, meeting)
    mailoutbox.clear()
    with committed():
        services.cancel_registration(first, meeting)
    statuses = dict(Registration.objects.active().filter(meeting=meeting).values_list("user_id", "status"))
    assert statuses == {second.pk: RegistrationStatus.REGISTERED, third.pk: RegistrationStatus.WAITING}
    assert services.active_registration(third, meeting).waiting_position() == 1
    assert [message.to for message in mailoutbox] == [[second.email]]
    assert meeting.title in mailoutbox[0].subject


def test_cancel_registration_from_the_waiting_list_promotes_nobody(world, committed, mailoutbox):
    meeting = make_meeting(world["coordinator"], world["space"], capacity=1)
    first, second, third = world["members"][:3]
    for person in (first, second, third):
        services.register_for_meeting(person, meeting)
    mailoutbox.clear()
    with committed():
        services.cancel_registration(second, meeting)
    assert services.active_registration(first, meeting).is_registered
    assert services.active_registration(third, meeting).waiting_position() == 1
    assert mailoutbox == []


def test_cancel_registration_twice_changes_nothing_more(world):
    meeting = make_meeting(world["coordinator"], world["space"], capacity=1)
    first, second = world["members"][:2]
    services.register_for_meeting(first, meeting)
    services.register_for_meeting(second, meeting)
    one = services.cancel_registration(first, meeting)
    two = services.cancel_registration(first, meeting)
    assert one.pk == two.pk
    assert Registration.objects.registered().filter(meeting=meeting).count() == 1


def test_cancel_registration_after_the_start_is_refused(world):
    meeting = make_meeting(world["coordinator"], world["space"])
    services.register_for_meeting(world["members"][0], meeting)
    error = _error(lambda: services.cancel_registration(world["members"][0], meeting, now=in_days(14, 11)))
    assert error.code == "started"


def test_update_meeting_raising_capacity_promotes_waiting_people(world, committed, mailoutbox):
    meeting = make_meeting(world["coordinator"], world["space"], capacity=1)
    for person in world["members"][:4]:
        services.register_for_meeting(person, meeting)
    mailoutbox.clear()
    with committed():
        services.update_meeting(world["coordinator"], meeting, capacity=3)
    assert Registration.objects.registered().filter(meeting=meeting).count() == 3
    assert len(mailoutbox) == 2


def test_update_meeting_refuses_fewer_places_than_people_registered(world):
    meeting = make_meeting(world["coordinator"], world["space"], capacity=5)
    for person in world["members"][:3]:
        services.register_for_meeting(person, meeting)
    error = _error(lambda: services.update_meeting(world["coordinator"], meeting, capacity=2))
    assert error.field == "capacity"
    meeting.refresh_from_db()
    assert meeting.capacity == 5


def test_update_meeting_time_emails_everyone_registered_or_waiting_and_bumps_sequence(world, committed, mailoutbox):
    meeting = make_meeting(world["coordinator"], world["space"], capacity=1)
    first, second = world["members"][:2]
    services.register_for_meeting(first, meeting)
    services.register_for_meeting(second, meeting)
    mailoutbox.clear()
    with committed():
        services.update_meeting(world["coordinator"], meeting, starts_at=in_days(15, 9), ends_at=in_days(15, 13))
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted([first.email, second.email])
    assert meeting.title in mailoutbox[0].subject


def test_update_meeting_agenda_only_sends_no_email(world, committed, mailoutbox):
    meeting = make_meeting(world["coordinator"], world["space"])
    services.register_for_meeting(world["members"][0], meeting)
    mailoutbox.clear()
    with committed():
        services.update_meeting(world["coordinator"], meeting, agenda="1. Nowy porządek")
    assert mailoutbox == []


def test_cancel_meeting_emails_everyone_and_marks_it_cancelled(world, committed, mailoutbox):
    meeting = make_meeting(world["coordinator"], world["space"], capacity=1)
    first, second = world["members"][:2]
    services.register_for_meeting(first, meeting)
    services.register_for_meeting(second, meeting)
    mailoutbox.clear()
    with committed():
        services.cancel_meeting(world["coordinator"], meeting, "Choroba prowadzącego")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.sequence == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted([first.email, second.email])
    assert "Choroba prowadzącego" in mailoutbox[0].body


def test_emails_never_contain_the_online_link(world, committed, mailoutbox):
    meeting = make_meeting(world["coordinator"], world["space"], mode=MeetingMode.ONLINE, capacity=1)
    first, second = world["members"][:2]
    services.register_for_meeting(first, meeting)
    services.register_for_meeting(second, meeting)
    with committed():
        services.cancel_registration(first, meeting)  # promotion e-mail
        services.update_meeting(
            world["coordinator"], meeting, online_link="https://spotkania.example.pl/j/999", starts_at=in_days(14, 9)
        )
        services.cancel_meeting(world["coordinator"], meeting)
    assert len(mailoutbox) >= 3
    for message in mailoutbox:
        assert "spotkania.example.pl" not in message.body
        assert meeting.get_absolute_url() in message.body


def test_promotion_email_is_in_polish_with_warsaw_time(world, committed, mailoutbox_pl):
    meeting = make_meeting(world["coordinator"], world["space"], capacity=1)
    first, second = world["members"][:2]
    services.register_for_meeting(first, meeting)
    services.register_for_meeting(second, meeting)
    with committed():
        services.cancel_registration(first, meeting)
    body = mailoutbox_pl[-1].body
    assert body.startswith("Dzień dobry")
    assert "10:00" in body


# --- leaving the space -------------------------------------------------------------------------------


def test_leaving_the_space_withdraws_future_registrations_and_promotes(world, committed, mailoutbox):
    meeting = make_meeting(world["coordinator"], world["space"], capacity=1)
    leaver, waiting = world["members"][:2]
    services.register_for_meeting(leaver, meeting)
    services.register_for_meeting(waiting, meeting)
    with committed():
        membership.leave_space(leaver, world["space"])
    assert services.active_registration(leaver, meeting) is None
    assert services.active_registration(waiting, meeting).is_registered


def test_removal_from_the_space_keeps_registrations_of_past_meetings(world, committed):
    meeting = make_meeting(world["coordinator"], world["space"])
    person = world["members"][0]
    services.register_for_meeting(person, meeting)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=2), ends_at=timezone.now() - datetime.timedelta(days=1)
    )
    with committed():
        membership.remove_member(
            world["coordinator"], Membership.objects.get(space=world["space"], user=person), "Zmiana stanowiska"
        )
    assert Registration.objects.get(meeting=meeting, user=person).status == RegistrationStatus.REGISTERED


# --- attendance ----------------------------------------------------------------------------------------


def _held_meeting(world, count=3):
    meeting = make_meeting(world["coordinator"], world["space"])
    people = world["members"][:count]
    for person in people:
        services.register_for_meeting(person, meeting)
    return meeting, people


def test_mark_attendance_records_each_status_and_who_marked(world):
    meeting, (a, b, c) = _held_meeting(world)
    marks = {a.pk: Attendance.PRESENT, b.pk: Attendance.EXCUSED, c.pk: Attendance.ABSENT}
    changed = services.mark_attendance(world["coordinator"], meeting, marks, now=in_days(14, 15))
    assert changed == 3
    stored = dict(Registration.objects.filter(meeting=meeting).values_list("user_id", "attendance"))
    assert stored == {a.pk: Attendance.PRESENT, b.pk: Attendance.EXCUSED, c.pk: Attendance.ABSENT}
    assert Registration.objects.filter(attendance_marked_by=world["coordinator"]).count() == 3


def test_mark_attendance_before_the_start_is_refused(world):
    meeting, (a, *_rest) = _held_meeting(world)
    error = _error(lambda: services.mark_attendance(world["coordinator"], meeting, {a.pk: Attendance.PRESENT}))
    assert error.code == "not_started"


def test_mark_attendance_is_refused_to_a_participant(world):
    meeting, (a, *_rest) = _held_meeting(world)
    with pytest.raises(PermissionDenied):
        services.mark_attendance(a, meeting, {a.pk: Attendance.PRESENT}, now=in_days(14, 15))


def test_mark_attendance_of_someone_not_registered_changes_nothing(world):
    meeting, (a, *_rest) = _held_meeting(world)
    outsider = world["members"][5]
    error = _error(
        lambda: services.mark_attendance(
            world["coordinator"],
            meeting,
            {a.pk: Attendance.PRESENT, outsider.pk: Attendance.PRESENT},
            now=in_days(14, 15),
        )
    )
    assert error.code == "not_registered"
    assert Registration.objects.get(meeting=meeting, user=a).attendance == Attendance.UNKNOWN


# --- minutes and materials ---------------------------------------------------------------------------


def test_set_minutes_after_the_meeting_is_kept(world):
    meeting, _people = _held_meeting(world)
    services.set_minutes(world["coordinator"], meeting, "Ustalono harmonogram prac.", now=in_days(14, 15))
    meeting.refresh_from_db()
    assert meeting.minutes == "Ustalono harmonogram prac."


def test_set_minutes_before_the_meeting_is_refused(world):
    meeting, _people = _held_meeting(world)
    assert _error(lambda: services.set_minutes(world["coordinator"], meeting, "Protokół")).code == "not_started"


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_attach_material_stores_a_pdf_under_a_generated_name(world):
    meeting, _people = _held_meeting(world)
    upload = SimpleUploadedFile("../../prezentacja ważna.pdf", PDF, content_type="application/pdf")
    material = services.attach_material(
        world["coordinator"], meeting, title="Prezentacja", file=upload, now=in_days(14, 15)
    )
    assert material.file.name.startswith(f"meetings/{meeting.pk}/")
    assert material.file.name.endswith(".pdf")
    assert "prezentacja" not in material.file.name
    assert material.file.read() == PDF


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("strona.html", b"<html><script>alert(1)</script></html>"),
        ("rysunek.svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>"),
        ("udaje.pdf", b"<html><body>nie PDF</body></html>"),
        ("udaje.png", b"<svg onload=alert(1)>"),
        ("notatka.txt", b"<!DOCTYPE html><html><script>alert(1)</script>"),
        ("arkusz.xlsx", b"PK\x03\x04 to nie jest arkusz"),
        ("program.exe", b"MZ\x90\x00"),
    ],
)
def test_attach_material_refuses_a_file_whose_content_or_type_is_not_allowed(world, name, content):
    meeting, _people = _held_meeting(world)
    upload = SimpleUploadedFile(name, content)
    error = _error(
        lambda: services.attach_material(world["coordinator"], meeting, title="Plik", file=upload, now=in_days(14, 15))
    )
    assert error.field == "file"
    assert not MeetingMaterial.objects.exists()


def test_attach_material_refuses_a_file_over_the_size_limit(world, settings):
    settings.EXCHANGE_GROUPS_MAX_UPLOAD_MB = 1
    meeting, _people = _held_meeting(world)
    upload = SimpleUploadedFile("duzy.pdf", PDF + b"0" * (1024 * 1024))
    error = _error(
        lambda: services.attach_material(world["coordinator"], meeting, title="Duży", file=upload, now=in_days(14, 15))
    )
    assert error.code == "file_size"


def test_attach_material_accepts_a_real_png(world):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    meeting, _people = _held_meeting(world)
    upload = SimpleUploadedFile("wykres.png", buffer.getvalue())
    material = services.attach_material(world["coordinator"], meeting, title="Wykres", file=upload, now=in_days(14, 15))
    assert material.extension == "png"


def test_attach_material_accepts_a_link(world):
    meeting, _people = _held_meeting(world)
    material = services.attach_material(
        world["coordinator"], meeting, title="Nagranie", url="https://www.youtube.com/watch?v=abc", now=in_days(14, 15)
    )
    assert material.url == "https://www.youtube.com/watch?v=abc"
    assert not material.file


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("wykres.png", lambda: _png() + b"<html><object data=x.swf></object></html>"),
        ("wykres.png", lambda: _png() + b"PK\x03\x04" + b"\x00" * 26 + b"PK\x05\x06" + b"\x00" * 18),
        ("protokol.pdf", lambda: PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /Launch >>")),
    ],
    ids=["png-and-html", "png-and-zip", "pdf-with-launch"],
)
def test_attach_material_refuses_a_polyglot_and_stores_nothing(world, name, build):
    from oswiata_kit.storage import private_storage

    meeting, _people = _held_meeting(world)
    folder = f"meetings/{meeting.pk}"
    stored_before = private_storage().listdir(folder)[1] if private_storage().exists(folder) else []
    upload = SimpleUploadedFile(name, build(), content_type="application/pdf")
    error = _error(
        lambda: services.attach_material(world["coordinator"], meeting, title="Plik", file=upload, now=in_days(14, 15))
    )
    assert (error.code, error.field) == ("file_hidden_content", "file")
    assert not MeetingMaterial.objects.exists()
    stored_after = private_storage().listdir(folder)[1] if private_storage().exists(folder) else []
    assert stored_after == stored_before
