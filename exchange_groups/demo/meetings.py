"""Demo meetings: for each cooperation network a past meeting (attendance marked, minutes, materials), an
upcoming in-person meeting in a Polish city and an upcoming online meeting. The in-person meeting of the
rural gminas' network is full, and the demo "uczestnik" waits on its waiting list.

`load_demo_meetings(users, spaces)` is idempotent (a meeting is found by space and title) and works through
the services of `meetings.py`, with `now` set to plausible moments for what happened in the past. Dates are
relative to the day the demo is loaded.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from exchange_groups.meetings import services
from exchange_groups.models import Attendance, Meeting, MeetingMode, Membership, SpaceRole, User, meeting_time_zone

# slug -> (past meeting, in-person meeting, online meeting); each: title, agenda, and for in person venue+address.
PLANS = {
    "siec-gminy-wiejskie": {
        "past": (
            "Spotkanie otwierające: diagnoza potrzeb gmin wiejskich",
            "1. Przedstawienie uczestników i gmin\n2. Wyniki ankiety diagnozującej potrzeby\n"
            "3. Roczny plan pracy sieci\n4. Ustalenie terminów spotkań",
            "Ośrodek Rozwoju Edukacji, sala 101",
            "Aleje Ujazdowskie 28, 00-478 Warszawa",
        ),
        "in_person": (
            "Sieć szkół w małej gminie: łączenie, przekształcanie, dowożenie",
            "1. Prognoza demograficzna do 2030 r.\n2. Koszty utrzymania małych szkół\n"
            "3. Studium przypadku: zespół szkolno-przedszkolny\n4. Praca w grupach",
            "Urząd Miasta Lublin, sala konferencyjna",
            "Plac Króla Władysława Łokietka 1, 20-109 Lublin",
        ),
        "online": (
            "Subwencja oświatowa 2026: co zmienia mechanizm potrzeb oświatowych",
            "1. Nowe zasady naliczania\n2. Symulacja dla gminy wiejskiej\n3. Pytania do ekspertki",
        ),
    },
    "siec-gminy-miejsko-wiejskie": {
        "past": (
            "Planowanie sieci szkół przy spadku liczby uczniów",
            "1. Dane demograficzne gmin uczestniczących\n2. Dobre praktyki: konsultacje społeczne\n"
            "3. Wnioski do planu pracy",
            "Ośrodek Rozwoju Edukacji, sala 101",
            "Aleje Ujazdowskie 28, 00-478 Warszawa",
        ),
        "in_person": (
            "Procesowe wspomaganie szkół we współpracy z partnerami społecznymi",
            "1. Rola organu prowadzącego we wspomaganiu\n2. Współpraca z organizacjami pozarządowymi\n"
            "3. Warsztat: mapa partnerów lokalnych",
            "Urząd Miasta Kielce, sala sesyjna",
            "Rynek 1, 25-303 Kielce",
        ),
        "online": (
            "Dowożenie uczniów: organizacja i koszty",
            "1. Przegląd rozwiązań w gminach sieci\n2. Przetargi na dowozy\n3. Dyskusja",
        ),
    },
    "siec-gminy-miejskie-i-powiaty": {
        "past": (
            "Kształcenie zawodowe a lokalny rynek pracy",
            "1. Prognozy zapotrzebowania na zawody\n2. Współpraca szkół z pracodawcami\n3. Wnioski",
            "Ośrodek Rozwoju Edukacji, sala 101",
            "Aleje Ujazdowskie 28, 00-478 Warszawa",
        ),
        "in_person": (
            "Zarządzanie oświatą oparte na danych: wskaźniki dla miast i powiatów",
            "1. Jakie dane zbiera JST\n2. Wskaźniki efektywności wydatków\n3. Warsztat z arkuszem danych",
            "Urząd Miasta Poznania, Sala Biała",
            "Plac Kolegiacki 17, 61-841 Poznań",
        ),
        "online": (
            "Kompetencje kluczowe na rynku pracy: wymiana doświadczeń",
            "1. Programy miejskie rozwijające kompetencje\n2. Ewaluacja projektów\n3. Pytania",
        ),
    },
}

MINUTES = (
    "Uczestnicy przedstawili sytuację oświatową swoich JST. Omówiono wyniki ankiety diagnozującej potrzeby: "
    "najczęściej wskazywano planowanie sieci szkół, finansowanie zadań oświatowych i współpracę z dyrektorami. "
    "Ustalono, że kolejne spotkania będą odbywać się co 6–8 tygodni, na przemian stacjonarnie i online. "
    "Koordynatorka prześle projekt rocznego planu pracy sieci do konsultacji w ciągu dwóch tygodni."
)
FULL_MEETING_SLUG = "siec-gminy-wiejskie"


def _at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    local = timezone.localtime(timezone.now(), meeting_time_zone()) + datetime.timedelta(days=days)
    return local.replace(hour=hour, minute=minute, second=0, microsecond=0)


def _coordinator(space, fallback: User) -> User:
    membership = (
        Membership.objects.filter(space=space, role=SpaceRole.COORDINATOR, until__isnull=True)
        .select_related("user")
        .order_by("since", "pk")
        .first()
    )
    return membership.user if membership else fallback


def _participants(space, exclude=()) -> list[User]:
    return [
        membership.user
        for membership in Membership.objects.filter(space=space, until__isnull=True, role=SpaceRole.PARTICIPANT)
        .exclude(user__in=exclude)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    ]


def _existing(space, title) -> Meeting | None:
    return Meeting.objects.filter(space=space, title=title).first()


def _past_meeting(space, coordinator, plan) -> None:
    title, agenda, venue, address = plan
    if _existing(space, title):
        return
    starts, ends = _at(-30, 10), _at(-30, 14)
    meeting = services.create_meeting(
        coordinator,
        space,
        title=title,
        mode=MeetingMode.IN_PERSON,
        starts_at=starts,
        ends_at=ends,
        venue=venue,
        address=address,
        agenda=agenda,
        capacity=25,
        registration_deadline=starts - datetime.timedelta(days=3),
    )
    people = _participants(space)
    for index, person in enumerate(people):
        services.register_for_meeting(person, meeting, now=starts - datetime.timedelta(days=14 - index % 7))
    after = ends + datetime.timedelta(hours=1)
    cycle = [Attendance.PRESENT, Attendance.PRESENT, Attendance.PRESENT, Attendance.EXCUSED, Attendance.ABSENT]
    marks = {person.pk: cycle[index % len(cycle)] for index, person in enumerate(people)}
    if marks:
        services.mark_attendance(coordinator, meeting, marks, now=after)
    services.set_minutes(coordinator, meeting, MINUTES, now=after)
    services.attach_material(
        coordinator,
        meeting,
        title="Raport „Zarządzanie oświatą w samorządach” (ORE)",
        url="https://www.ore.edu.pl/",
        now=after,
    )


def _in_person_meeting(space, coordinator, plan, uczestnik: User | None) -> None:
    title, agenda, venue, address = plan
    if _existing(space, title):
        return
    starts = _at(21, 10)
    full = space.slug == FULL_MEETING_SLUG and uczestnik is not None
    others = _participants(space, exclude=[uczestnik] if uczestnik else [])
    capacity = max(1, len(others)) if full else 30
    meeting = services.create_meeting(
        coordinator,
        space,
        title=title,
        mode=MeetingMode.IN_PERSON,
        starts_at=starts,
        ends_at=_at(21, 15),
        venue=venue,
        address=address,
        agenda=agenda,
        capacity=capacity,
        registration_deadline=starts - datetime.timedelta(days=5),
    )
    for person in others[:capacity]:
        services.register_for_meeting(person, meeting)
    if full and Membership.objects.filter(space=space, user=uczestnik, until__isnull=True).exists():
        services.register_for_meeting(uczestnik, meeting)  # all places taken: the waiting list


def _online_meeting(space, coordinator, plan) -> None:
    title, agenda = plan
    if _existing(space, title):
        return
    meeting = services.create_meeting(
        coordinator,
        space,
        title=title,
        mode=MeetingMode.ONLINE,
        starts_at=_at(10, 12),
        ends_at=_at(10, 13, 30),
        online_link="https://spotkania.oswiata-jst.example/j/" + space.slug,
        agenda=agenda,
        capacity=None,
        link_visible_minutes_before=30,
    )
    for person in _participants(space)[:3]:
        services.register_for_meeting(person, meeting)


@transaction.atomic
def load_demo_meetings(users: dict[str, User], spaces: dict) -> None:
    admin = users.get("administrator") or User.objects.filter(is_superuser=True).order_by("pk").first()
    uczestnik = users.get("uczestnik")
    for slug, plan in PLANS.items():
        space = spaces.get(slug)
        if space is None:
            continue
        coordinator = _coordinator(space, admin)
        _past_meeting(space, coordinator, plan["past"])
        _in_person_meeting(space, coordinator, plan["in_person"], uczestnik)
        _online_meeting(space, coordinator, plan["online"])
