"""Polish demo data of forum moderation (runs after `forums.demo`): in the forum of the network of urban-rural
gminas, moderated by the leader (lider@demo.oswiata-jst.pl) and coordinated by the ORE coordinator:
a pinned and a closed topic, slow mode on one topic, a post reported by two members (waiting in the queue),
a post hidden with a reason, a suspended and a silenced member, and the public moderation log switched on.

Everything goes through the services, so the moderation log fills itself. Idempotent: when the pinned
topic already exists nothing is added.
"""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from exchange_groups.models import Membership, Space, SpaceRole
from forums import moderation, services
from forums.models import Topic

SPACE_SLUG = "siec-gminy-miejsko-wiejskie"
NAMESPACE = uuid.UUID("0d7c4a8e-3a1f-4c55-9e57-2f4f6d6e9b21")
PINNED_TITLE = "Zasady dyskusji na forum sieci — prosimy przeczytać"
LOCKED_TITLE = "Nabór do przedszkoli 2020 — wątek zakończony"
SLOW_TITLE = "Strategia oświatowa gminy — od czego zacząć diagnozę?"


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _msg(key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, key)


def _people(space: Space):
    memberships = Membership.objects.filter(space=space, until__isnull=True).select_related("user")
    by_role = {"moderator": None, "coordinator": None, "participants": []}
    for item in memberships.order_by("user_id"):
        if item.role == SpaceRole.MODERATOR and item.user.email == "lider@demo.oswiata-jst.pl":
            by_role["moderator"] = item.user
        elif item.role == SpaceRole.COORDINATOR and by_role["coordinator"] is None:
            by_role["coordinator"] = item.user
        elif item.role == SpaceRole.PARTICIPANT:
            by_role["participants"].append(item.user)
    if by_role["moderator"] is None:
        item = memberships.filter(role=SpaceRole.MODERATOR).order_by("user_id").first()
        by_role["moderator"] = item.user if item else None
    return by_role


@transaction.atomic
def load(stdout=None) -> None:
    space = Space.objects.filter(slug=SPACE_SLUG).first()
    if space is None:
        return
    forum = services.ensure_forum(space)
    if Topic.objects.filter(category__forum=forum, title=PINNED_TITLE).exists():
        _say(stdout, "Forum moderation: demo data already in place.\n")
        return
    people = _people(space)
    moderator, coordinator, participants = people["moderator"], people["coordinator"], people["participants"]
    if moderator is None or coordinator is None or len(participants) < 5:
        return
    reported_author, reporter_one, reporter_two, hidden_author, suspended = participants[:5]
    category = forum.categories.order_by("order", "pk").first()
    now = timezone.now()

    # A pinned topic with the forum's rules, and a closed one.
    rules = services.create_topic(
        moderator,
        category,
        PINNED_TITLE,
        "Szanowni Państwo,\n\nna forum sieci rozmawiamy merytorycznie i z szacunkiem. Prosimy nie publikować "
        "danych osobowych uczniów ani nauczycieli, reklam ani ofert handlowych. Wpisy naruszające te zasady "
        "moderatorzy ukrywają, podając powód. Każdy może zgłosić wpis do moderacji przyciskiem „Zgłoś”.",
        tags="zasady",
        client_msg_id=_msg("rules"),
    )
    moderation.pin_topic(moderator, rules, True)
    closed = services.create_topic(
        reported_author,
        category,
        LOCKED_TITLE,
        "Jak Państwo rozwiązaliście zapisy do przedszkoli w tym roku — elektronicznie czy w placówkach?",
        client_msg_id=_msg("locked"),
    )
    services.create_post(
        reporter_one,
        closed,
        "U nas w pełni elektronicznie, system zamówiony wspólnie z powiatem.",
        client_msg_id=_msg("locked-1"),
    )
    moderation.lock_topic(moderator, closed, True, "Nabór zakończony — zapraszamy do nowego wątku o naborze 2021.")

    # A discussion with a reported post (two members reported it) and a post hidden with a reason.
    talk = Topic.objects.filter(category__forum=forum, title=SLOW_TITLE).first()
    if talk is None:
        talk = services.create_topic(
            moderator,
            category,
            SLOW_TITLE,
            "Od czego Państwo zaczynali diagnozę potrzeb przed pisaniem strategii oświatowej?",
            client_msg_id=_msg("talk"),
        )
    reported, _is_new = services.create_post(
        reported_author,
        talk,
        "Polecam naszą firmę doradczą — przygotujemy strategię za Państwa w tydzień, rabat 20% dla gmin z sieci. "
        "Szczegóły pod numerem telefonu w stopce.",
        client_msg_id=_msg("reported"),
    )
    moderation.report_post(reporter_one, reported, "Reklama usług komercyjnych, niezgodna z zasadami forum.")
    moderation.report_post(reporter_two, reported, "To oferta handlowa, a nie głos w dyskusji.")
    hidden, _is_new = services.create_post(
        hidden_author,
        talk,
        "W naszej szkole w Daleszycach uczeń Jan K. z klasy 4b ma orzeczenie i dowozimy go osobno — ile to kosztuje "
        "u Państwa?",
        client_msg_id=_msg("hidden"),
    )
    moderation.hide_post(
        moderator,
        hidden,
        "Wpis zawierał dane osobowe ucznia. Prosimy o ponowne zadanie pytania bez danych pozwalających go "
        "zidentyfikować.",
    )
    moderation.set_topic_slow_mode(moderator, talk, 60)

    # Sanctions: a suspended member and a silenced one.
    moderation.sanction_member(
        moderator,
        forum,
        suspended,
        "suspension",
        "Powtarzające się wpisy obraźliwe wobec innych uczestników mimo upomnienia.",
        now + datetime.timedelta(days=7),
    )
    moderation.sanction_member(
        moderator,
        forum,
        hidden_author,
        "silence",
        "Ponowne publikowanie danych osobowych uczniów po wcześniejszym ukryciu wpisu.",
        now + datetime.timedelta(days=2),
    )

    # The coordinator shows members the public moderation log.
    moderation.update_forum_settings(
        coordinator, forum, slow_mode_seconds=0, report_threshold=None, public_moderation_log=True
    )
    _say(
        stdout, "Forum moderation: a report in the queue, a hidden post, two sanctions, a pinned and a closed topic.\n"
    )
