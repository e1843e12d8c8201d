"""Polish demo data of the debates: the listing at /debaty/, an open debate with replies in its topics, a closed
debate with a published position paper citing posts, and an upcoming one (zapowiedź).

`load(stdout=None)` runs after `forums.demo`. Idempotent: pages are found by their address, topics are made by
the idempotent opening service, replies carry fixed client_msg_ids, and the summary is written only once.
Pages are published without queueing their tasks; the services are then driven with back-dated times, and the
open and upcoming debates get their tasks queued for the worker afterwards.
"""

import datetime
import uuid

from django.utils import timezone
from wagtail.models import Page

from debates import services
from debates.handlers import scheduling_suppressed
from debates.models import DebateIndexPage, DebateModerator, DebatePage, DebateSummaryPage, DebateTopic
from exchange_groups.demo import DEMO_PEOPLE
from exchange_groups.models import Membership, Space, User
from forums import services as forum_services
from forums.models import Post, PostEvent, Topic

NAMESPACE = uuid.UUID("0d7c1a30-8f1e-4a55-a8a6-64656d6f6462")


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def _person(key):
    return User.objects.filter(email__iexact=DEMO_PEOPLE[key]["email"]).first()


def _p(text):
    return f"<p>{text}</p>"


DEBATES = [
    {
        "slug": "dowozenie-uczniow-a-siec-szkol",
        "title": "Dowożenie uczniów a sieć szkół: kto powinien płacić?",
        "lead": (
            "Gminy wiejskie wydają na dowożenie uczniów coraz więcej, a mała szkoła bywa tańsza niż autobus. "
            "Zapraszamy do rozmowy o tym, jak planować sieć szkół i dowozy, by nie tracić ani na jakości, "
            "ani na budżecie."
        ),
        "background": (
            "Obowiązek zapewnienia bezpłatnego transportu i opieki spoczywa na gminie, gdy droga dziecka do "
            "szkoły przekracza ustawowe odległości. Koszty dowożenia nie są wprost uwzględnione w subwencji "
            "oświatowej, a w wielu gminach rosną szybciej niż wydatki na płace."
        ),
        "questions": [
            "Jak Państwa gmina liczy pełny koszt dowożenia jednego ucznia?",
            "Kiedy utrzymanie małej szkoły jest rozsądniejsze niż dowożenie uczniów do większej?",
            "Czy wspólne dowozy z sąsiednią gminą lub powiatem się sprawdzają?",
        ],
        "spaces": ["siec-gminy-wiejskie", "siec-gminy-miejsko-wiejskie"],
        "site_wide": True,
        "moderators": ["koordynator", "lider"],
        "opens": -3,
        "closes": 11,
        "replies": [
            (
                "uczestnik",
                "U nas pełny koszt dowożenia to ok. 4 800 zł rocznie na ucznia, licząc z opiekunami "
                "w autobusach. To więcej niż różnica w kosztach utrzymania małej szkoły filialnej.",
            ),
            (
                "koordynator",
                "Dziękuję, to cenna liczba. Czy w tej kwocie są również dowozy na zajęcia "
                "rewalidacyjne i do szkół specjalnych poza gminą?",
            ),
            ("uczestnik", "Nie, dowozy uczniów z niepełnosprawnościami liczymy osobno — to kolejne 20% kwoty."),
        ],
    },
    {
        "slug": "subwencja-oswiatowa-a-potrzeby-oswiatowe",
        "title": "Subwencja oświatowa a potrzeby oświatowe: co zmienia nowy mechanizm?",
        "lead": (
            "Od 2025 r. część oświatowa subwencji ogólnej ustępuje mechanizmowi potrzeb oświatowych. "
            "Debata zebrała doświadczenia liderów oświaty z pierwszego roku nowego finansowania."
        ),
        "background": (
            "Nowy mechanizm ma lepiej odzwierciedlać rzeczywiste potrzeby szkół, ale samorządy wciąż dokładają "
            "do oświaty znaczną część dochodów własnych. Warto porównać prognozy z wykonaniem budżetów."
        ),
        "questions": [
            "Czy nowy mechanizm lepiej pokrywa wydatki bieżące Państwa szkół?",
            "Jakie dane o sieci szkół warto zbierać, by przewidywać potrzeby oświatowe?",
        ],
        "spaces": ["siec-liderow"],
        "site_wide": False,
        "moderators": ["lider", "koordynator"],
        "opens": -40,
        "closes": -12,
        "replies": [
            (
                "lider",
                "W Wieliczce nowy mechanizm pokrył 78% wydatków bieżących na szkoły — o trzy punkty "
                "więcej niż subwencja rok wcześniej, ale wzrost płac zjadł całą różnicę.",
            ),
            (
                "koordynator",
                "Podobne wnioski słyszymy z sieci gmin miejsko-wiejskich: kluczowe są rzetelne "
                "dane o liczbie oddziałów i uczniów z orzeczeniami w SIO.",
            ),
            (
                "lider",
                "Proponuję, by stanowisko zawierało apel o coroczną publikację danych, na podstawie "
                "których wylicza się potrzeby oświatowe poszczególnych JST.",
            ),
        ],
        "summary": {
            "kind": "position",
            "body": (
                "Uczestnicy debaty — liderzy oświaty z gmin i powiatów — przyjmują następujące stanowisko.\n\n"
                "1. Mechanizm potrzeb oświatowych jest krokiem w dobrą stronę, ale **nie pokrywa pełnych "
                "wydatków bieżących** szkół prowadzonych przez JST.\n"
                "2. Wnioskujemy o coroczną publikację danych, na podstawie których wylicza się potrzeby "
                "oświatowe, w podziale na JST.\n"
                "3. Rekomendujemy samorządom monitorowanie kosztów w przeliczeniu na oddział i ucznia oraz "
                "rzetelne raportowanie danych w SIO."
            ),
            "cite": [0, 2],
            "author": "lider",
        },
    },
    {
        "slug": "strategia-oswiatowa-gminy",
        "title": "Strategia oświatowa gminy: jak mierzyć jej efekty?",
        "lead": (
            "Wiele gmin ma strategię oświatową, mniej — sposób na sprawdzenie, czy działa. Zapraszamy do "
            "rozmowy o wskaźnikach, monitorowaniu i ewaluacji lokalnej polityki oświatowej."
        ),
        "background": (
            "Debata otworzy się za kilka dni na forum ogólnopolskim. Przed jej rozpoczęciem warto przejrzeć "
            "własną strategię i zapisane w niej wskaźniki."
        ),
        "questions": [
            "Jakie wskaźniki w Państwa strategii oświatowej są naprawdę mierzone?",
            "Kto w gminie odpowiada za monitorowanie strategii i jak informuje radę gminy?",
        ],
        "spaces": [],
        "site_wide": True,
        "moderators": ["ekspert", "redaktor"],
        "opens": 4,
        "closes": 18,
        "replies": [],
    },
]


def _index(home) -> DebateIndexPage:
    index = DebateIndexPage.objects.child_of(home).filter(slug="debaty").first()
    if index is not None:
        return index
    index = DebateIndexPage(
        title="Debaty",
        slug="debaty",
        intro=_p(
            "Debaty Związku Miast Polskich o finansowaniu i organizacji oświaty samorządowej. Każda debata toczy "
            "się na forach sieci i grup, do których jest skierowana; po jej zamknięciu moderatorzy publikują "
            "podsumowanie lub stanowisko."
        ),
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    return DebateIndexPage.objects.get(pk=index.pk)


def _debate(index, spec, now, owner) -> tuple[DebatePage, bool]:
    existing = DebatePage.objects.child_of(index).filter(slug=spec["slug"]).first()
    if existing is not None:
        return existing, False
    page = DebatePage(
        title=spec["title"],
        slug=spec["slug"],
        lead=spec["lead"],
        background=[{"type": "paragraph", "value": _p(spec["background"])}],
        questions=[{"type": "question", "value": text} for text in spec["questions"]],
        site_wide=spec["site_wide"],
        opens_at=now + datetime.timedelta(days=spec["opens"]),
        closes_at=now + datetime.timedelta(days=spec["closes"]),
        owner=owner,
    )
    index.add_child(instance=page)
    page.target_spaces.set(Space.objects.filter(slug__in=spec["spaces"]))
    for order, key in enumerate(spec["moderators"]):
        person = _person(key)
        if person is not None:
            DebateModerator.objects.get_or_create(page=page, user=person, defaults={"sort_order": order})
    page.save()
    page.save_revision(user=owner).publish(user=owner)
    return DebatePage.objects.get(pk=page.pk), True


def _replies(debate, spec, started) -> list[Post]:
    posts = []
    links = list(DebateTopic.objects.filter(debate=debate).select_related("topic__category__forum__space"))
    if not links:
        return posts
    topic = links[0].topic
    space = topic.category.forum.space
    others = []
    if space is not None:
        ids = Membership.objects.filter(space=space, until__isnull=True).exclude(user_id=topic.author_id)
        others = list(User.objects.filter(pk__in=ids.values("user_id"), is_active=True).order_by("pk"))
    for number, (key, text) in enumerate(spec["replies"]):
        person = _person(key)
        if space is not None and (
            person is None or not Membership.objects.filter(space=space, user=person, until__isnull=True).exists()
        ):
            # The named demo person is not a member there: another member of the space says it.
            person = others[number % len(others)] if others else None
        if person is None:
            continue
        client_msg_id = uuid.uuid5(NAMESPACE, f"{spec['slug']}:{number}")
        existing, is_new = forum_services.create_post(person, topic, text, client_msg_id=client_msg_id)
        if is_new:
            # Demo only: replies written over a few days instead of within one second.
            when = started + datetime.timedelta(hours=7 * (number + 1))
            Post.objects.filter(pk=existing.pk).update(created_at=when)
            PostEvent.objects.filter(post=existing).update(at=when)
            Topic.objects.filter(pk=topic.pk).update(last_post_at=when)
        posts.append(existing)
    return posts


def load(stdout=None) -> None:
    home = Page.objects.filter(depth=2).first()
    redaktor = _person("redaktor")
    if home is None or redaktor is None:
        _say(stdout, "debates: no home page or demo editor yet, skipped\n")
        return
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    with scheduling_suppressed():
        index = _index(home)
        for spec in DEBATES:
            debate, created = _debate(index, spec, now, redaktor)
            if debate.opens_at <= now:
                services.open_debate(debate, now=debate.opens_at)
                debate.refresh_from_db()
                posts = _replies(debate, spec, debate.opens_at)
                if debate.closes_at <= now:
                    services.close_debate(debate, now=debate.closes_at)
                    debate.refresh_from_db()
                    summary_spec = spec.get("summary")
                    if summary_spec and not DebateSummaryPage.objects.child_of(debate).exists():
                        services.save_summary(
                            _person(summary_spec["author"]) or redaktor,
                            debate,
                            body=summary_spec["body"],
                            cited_post_ids=[posts[i].pk for i in summary_spec["cite"] if i < len(posts)],
                            kind=summary_spec["kind"],
                        )
            if created and debate.closed_at is None:
                services.schedule_debate(debate, now=now)
    _say(stdout, f"Debates: {DebatePage.objects.child_of(index).count()} demo debates at /debaty/.\n")
