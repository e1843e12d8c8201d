"""Polish demo data of the forums: a forum with categories in every space and lively discussions in several
spaces and in the nationwide forum.

`load(stdout=None)` runs after `exchange_groups.demo` (it uses the spaces and their active members). It is
idempotent: a topic whose title already exists in the forum is left as it is. Everything goes through the
services (posting, quoting, mentions, likes, one edit with history); only the dates are spread over the past
weeks afterwards, so the lists look like a living forum.
"""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from exchange_groups.accounts.permissions import can_take_part
from exchange_groups.models import Membership, Space, User
from forums import services
from forums.mentions import handle_of
from forums.models import Category, Forum, Post, PostEvent, Topic

NAMESPACE = uuid.UUID("6f1c2b7e-0b57-4e44-9d0c-5d1f3f0a2c11")

# space slug -> extra categories (name, description); every forum also has its first, general category.
CATEGORIES = {
    "siec-gminy-wiejskie": [
        ("Finanse oświaty", "Subwencja, dotacje, wydatki bieżące i inwestycyjne."),
        ("Sieć szkół i dowozy", "Reorganizacja sieci, małe szkoły, dowożenie uczniów."),
        ("Spotkania sieci", "Przygotowanie spotkań i notatki po nich."),
    ],
    "siec-gminy-miejsko-wiejskie": [
        ("Finanse oświaty", "Subwencja, dotacje, wydatki bieżące i inwestycyjne."),
        ("Strategia oświatowa", "Diagnoza, cele i monitorowanie strategii oświatowej gminy."),
    ],
    "siec-gminy-miejskie-i-powiaty": [
        ("Kształcenie zawodowe", "Szkoły branżowe, doradztwo zawodowe, współpraca z pracodawcami."),
        ("Finanse oświaty", "Subwencja, dotacje, wydatki bieżące i inwestycyjne."),
    ],
    "gwd-wiejska": [("Dobre praktyki", "Rozwiązania sprawdzone w naszych gminach.")],
    "gwd-miejska": [("Dobre praktyki", "Rozwiązania sprawdzone w naszych miastach.")],
    "gwd-powiatowa": [("Szkoły ponadpodstawowe", "Rekrutacja, oferta kształcenia, internaty.")],
    "siec-liderow": [
        ("Wynagrodzenia nauczycieli", "Średnie wynagrodzenia, dodatki, jednorazowy dodatek uzupełniający."),
        ("Warsztat lidera", "Jak prowadzić zmiany w oświacie samorządowej."),
    ],
    None: [
        ("Prawo oświatowe", "Zmiany w przepisach i ich skutki dla JST."),
        ("Finanse oświaty", "Subwencja oświatowa i wydatki na oświatę w całym kraju."),
    ],
}

# Each post: (author number among the space's members, text, options). "{m}" in the text becomes the mention
# handle of the author of post number options["mention"]; options["quote"] quotes that earlier post;
# options["likes"] is how many other members like it; options["edit"] is a corrected text.
TOPICS = [
    {
        "space": "siec-gminy-wiejskie",
        "category": "Finanse oświaty",
        "title": "Subwencja oświatowa 2020 — czy u Państwa też nie starcza na płace?",
        "tags": ["subwencja oświatowa", "budżet"],
        "posts": [
            (
                0,
                "W naszej gminie subwencja oświatowa na 2020 r. pokrywa ok. **78%** wydatków bieżących na szkoły. "
                "Resztę, czyli ponad 2 mln zł, dokładamy z dochodów własnych. Jak to wygląda u Państwa?",
                {"likes": 3},
            ),
            (
                1,
                "U nas podobnie, ok. 75%. Największy problem to podwyżki od września — metryczka subwencji "
                "uwzględnia je tylko w części.",
                {"likes": 2},
            ),
            (
                2,
                "Warto przejrzeć wagi w algorytmie: my zyskaliśmy, poprawiając w SIO dane o uczniach "
                "z orzeczeniami. To nie jest duża kwota, ale zawsze coś.",
                {"quote": 1, "likes": 2},
            ),
            (0, "{m} dziękuję, sprawdzimy. Czy ktoś liczył koszt jednego oddziału w małej szkole?", {"mention": 2}),
            (
                3,
                "Liczyliśmy: oddział 1–3 z 8 uczniami kosztuje nas ok. 190 tys. zł rocznie, a subwencja na niego "
                "to niecałe 90 tys. zł. Załączę zestawienie na spotkaniu sieci.",
                {"likes": 1},
            ),
            (
                1,
                "Proponuję, żebyśmy na najbliższym spotkaniu porównali te koszty w tabeli — każdy przyniesie "
                "swoje dane za 2019 r.",
                {
                    "likes": 3,
                    "edit": "Proponuję, żebyśmy na najbliższym spotkaniu "
                    "porównali te koszty w jednej tabeli — każdy przyniesie swoje dane za 2019 r. (wykonanie).",
                },
            ),
        ],
    },
    {
        "space": "siec-gminy-wiejskie",
        "category": "Sieć szkół i dowozy",
        "title": "Dowożenie uczniów — przetarg czy własny gimbus?",
        "tags": ["dowozy"],
        "posts": [
            (
                2,
                "Kończy się nam umowa na dowozy. Zastanawiamy się, czy nie kupić własnego autobusu. Jakie macie "
                "doświadczenia z kosztami utrzymania i kierowcami?",
                {},
            ),
            (
                0,
                "Mamy dwa własne autobusy od 2016 r. Koszt kilometra wychodzi nam ok. 20% taniej niż w przetargu, "
                "ale trzeba mieć zaplecze i zastępstwa za kierowców.",
                {"likes": 2},
            ),
            (
                3,
                "My wróciliśmy do przetargu — po awarii autobusu w styczniu dzieci nie dojechały na dwa dni. "
                "W umowie z przewoźnikiem mamy kary i pojazd zastępczy.",
                {"quote": 1, "likes": 1},
            ),
            (
                1,
                "Dobrym rozwiązaniem bywa bilet miesięczny w komunikacji regularnej — jeśli linie pasują do "
                "godzin lekcji. Rozmawialiśmy o tym z powiatem.",
                {},
            ),
            (2, "Dziękuję wszystkim. {m} — czy mogę poprosić o wzór umowy z karami?", {"mention": 2, "likes": 1}),
        ],
    },
    {
        "space": "siec-gminy-miejsko-wiejskie",
        "category": "Strategia oświatowa",
        "title": "Strategia oświatowa gminy — od czego zacząć diagnozę?",
        "tags": ["strategia", "diagnoza"],
        "posts": [
            (
                0,
                "Rada zobowiązała nas do przygotowania strategii oświatowej do końca roku. Od czego zaczęliście "
                "diagnozę? Czy korzystaliście z danych z SIO i wyników egzaminów?",
                {"likes": 2},
            ),
            (
                1,
                "Zaczęliśmy od prognozy demograficznej na 10 lat (dane z ewidencji ludności) i mapy dojazdów. "
                "Dopiero potem wyniki egzaminów i koszty.",
                {"likes": 4},
            ),
            (
                2,
                "Bardzo pomogły nam warsztaty z dyrektorami i radą rodziców — bez nich strategia byłaby tylko "
                "dokumentem urzędników.",
                {"likes": 3},
            ),
            (
                3,
                "> Dopiero potem wyniki egzaminów i koszty.\n\nZgadzam się. Warto też od razu ustalić wskaźniki "
                "monitorowania, np.:\n\n- odsetek uczniów dojeżdżających dłużej niż 45 minut,\n- wydatki na ucznia,\n"
                "- wyniki egzaminu ósmoklasisty na tle powiatu.",
                {"likes": 2},
            ),
            (0, "{m} świetna lista, dopisuję do naszego planu prac.", {"mention": 3}),
            (
                4,
                "Polecam materiały ORE o zarządzaniu oświatą — jest tam przykładowy harmonogram prac nad "
                "strategią: [ore.edu.pl](https://www.ore.edu.pl).",
                {"likes": 1},
            ),
        ],
    },
    {
        "space": "siec-gminy-miejskie-i-powiaty",
        "category": "Kształcenie zawodowe",
        "title": "Doradztwo zawodowe z pracodawcami — jak ich zachęcić?",
        "tags": ["doradztwo zawodowe", "pracodawcy"],
        "posts": [
            (
                0,
                "Chcemy, żeby pracodawcy współprowadzili zajęcia z doradztwa zawodowego w szkołach podstawowych. "
                "Jak ich zachęcić? Mamy kilka firm z branży spożywczej i logistycznej.",
                {},
            ),
            (
                1,
                "U nas zadziałały **dni otwarte zakładów** dla klas 7 i 8 oraz patronaty nad klasami w branżówce. "
                "Firmy same zaczęły zgłaszać się z praktykami.",
                {"likes": 3},
            ),
            (
                2,
                "Ważne, żeby nie obciążać pracodawców papierologią. Porozumienie o współpracy mamy na dwóch stronach.",
                {"quote": 1, "likes": 2},
            ),
            (0, "{m} czy mógłby Pan udostępnić wzór porozumienia?", {"mention": 2}),
            (2, "Oczywiście, dodam do biblioteki sieci.", {"likes": 1}),
        ],
    },
    {
        "space": "siec-liderow",
        "category": "Wynagrodzenia nauczycieli",
        "title": "Jednorazowy dodatek uzupełniający — jak liczycie średnie?",
        "tags": ["wynagrodzenia nauczycieli", "art. 30a KN"],
        "posts": [
            (
                0,
                "Zbliża się termin sprawozdania z art. 30a Karty Nauczyciela. Czy liczycie średnie w arkuszu, "
                "czy w programie płacowym?",
                {"likes": 1},
            ),
            (
                1,
                "W arkuszu, ale dane bierzemy z programu płacowego. Najwięcej błędów jest przy nauczycielach "
                "zmieniających stopień awansu w ciągu roku.",
                {"likes": 2},
            ),
            (2, "U nas dodatek wyszedł tylko dla nauczycieli stażystów, ok. 40 tys. zł łącznie.", {}),
            (
                3,
                "Przypominam, że dodatek wypłaca się do 31 stycznia. {m} — czy w zeszłym roku była korekta "
                "sprawozdania?",
                {"mention": 1, "likes": 1},
            ),
            (
                1,
                "Tak, korygowaliśmy jedno sprawozdanie po uwagach RIO. Od tego czasu sprawdzamy wszystko "
                "we dwie osoby.",
                {"quote": 3, "likes": 2},
            ),
        ],
    },
    {
        "space": None,
        "category": "Finanse oświaty",
        "title": "Reorganizacja sieci szkół — jak rozmawiać z mieszkańcami?",
        "tags": ["sieć szkół", "konsultacje"],
        "posts": [
            (
                0,
                "Planujemy przekształcenie dwóch małych szkół w filie. Jak prowadziliście konsultacje, żeby "
                "nie skończyło się protestem przed urzędem?",
                {"likes": 2},
            ),
            (
                1,
                "Kluczowe było pokazanie **liczb**: ile kosztuje uczeń, ile dzieci będzie za 5 lat, co zyskają "
                "uczniowie (np. zajęcia dodatkowe). I spotkania w każdej miejscowości, nie tylko w urzędzie.",
                {"likes": 4},
            ),
            (
                2,
                "U nas pomogło zostawienie w budynku przedszkola i klas 1–3 — rodzice najmłodszych dzieci "
                "najbardziej bali się dojazdów.",
                {"quote": 1, "likes": 3},
            ),
            (
                3,
                "Warto pamiętać o terminach z Prawa oświatowego: uchwała intencyjna i zawiadomienie rodziców "
                "co najmniej 6 miesięcy przed przekształceniem.",
                {"likes": 2},
            ),
            (0, "{m} dziękuję — harmonogram mamy, teraz przygotujemy prezentację dla sołectw.", {"mention": 1}),
            (
                4,
                "Polecam też zaprosić dyrektorów na sesję rady. Rzeczowa rozmowa na sesji uspokoiła u nas "
                "emocje bardziej niż pisma.",
                {"likes": 1},
            ),
        ],
    },
    {
        "space": None,
        "category": "Prawo oświatowe",
        "title": "Nauka zdalna a obowiązki organu prowadzącego",
        "tags": ["prawo oświatowe"],
        "posts": [
            (
                1,
                "Jakie obowiązki ma organ prowadzący przy przejściu szkół na naukę zdalną? Chodzi nam o sprzęt "
                "dla uczniów i nauczycieli.",
                {},
            ),
            (
                2,
                "Skorzystaliśmy z programu Zdalna Szkoła — laptopy trafiły do szkół na podstawie umów "
                "użyczenia dla rodzin.",
                {"likes": 2},
            ),
            (
                0,
                "Przygotujcie od razu zasady ewidencji i zwrotu sprzętu — u nas część laptopów wróciła "
                "dopiero po wakacjach.",
                {"quote": 1, "likes": 1},
            ),
            (3, "{m} czy umowę użyczenia podpisywał dyrektor, czy wójt?", {"mention": 2}),
            (2, "Dyrektor, na podstawie upoważnienia wójta.", {"likes": 1}),
        ],
    },
]


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _members(space: Space | None) -> list[User]:
    if space is None:
        people = User.objects.filter(is_active=True, email__endswith="@demo.oswiata-jst.pl").order_by("pk")
        return [person for person in people if can_take_part(person)]
    ids = Membership.objects.filter(space=space, until__isnull=True).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def _category(forum: Forum, name: str) -> Category:
    category = Category.objects.filter(forum=forum, name=name).first()
    return category or services.create_category(forum, name)


def _ensure_categories(forum: Forum, slug) -> None:
    for name, description in CATEGORIES.get(slug, []):
        if not Category.objects.filter(forum=forum, name=name).exists():
            services.create_category(forum, name, description=description)


def _load_topic(spec: dict, forum: Forum, people: list[User], started: datetime.datetime) -> Topic | None:
    if Topic.objects.filter(category__forum=forum, title=spec["title"]).exists():
        return None
    if len(people) < 2:
        return None
    category = _category(forum, spec["category"])
    posts: list[Post] = []
    topic = None
    for number, (who, text, options) in enumerate(spec["posts"]):
        author = people[who % len(people)]
        if "mention" in options:
            mentioned = posts[options["mention"]].author
            text = text.replace("{m}", "@" + handle_of(mentioned))
        msg = uuid.uuid5(NAMESPACE, f"{forum.pk}:{spec['title']}:{number}")
        if topic is None:
            topic = services.create_topic(author, category, spec["title"], text, tags=spec["tags"], client_msg_id=msg)
            post = topic.posts.get(seq=1)
        else:
            quoted = posts[options["quote"]] if "quote" in options else None
            if quoted is not None:
                name = quoted.author.get_full_name()
                text = f"> **{name}:** {quoted.body_source.splitlines()[0]}\n\n{text}"
            post, _is_new = services.create_post(author, topic, text, client_msg_id=msg, quoted_post=quoted)
        if "edit" in options:
            services.edit_post(author, post, options["edit"])
        for liker in [p for p in people if p.pk != author.pk][: options.get("likes", 0)]:
            services.like_post(liker, post)
        posts.append(post)
    _spread_in_time(topic, started)
    return topic


def _spread_in_time(topic: Topic, started: datetime.datetime) -> None:
    """Demo only: posts written over a few days instead of within one second."""
    when = started
    for post in topic.posts.order_by("seq"):
        Post.objects.filter(pk=post.pk).update(
            created_at=when, edited_at=when + datetime.timedelta(minutes=12) if post.edited_at else None
        )
        post.revisions.update(written_at=when, edited_at=when + datetime.timedelta(minutes=12))
        PostEvent.objects.filter(post=post).update(at=when)
        last = when
        when += datetime.timedelta(hours=5, minutes=17)
    Topic.objects.filter(pk=topic.pk).update(created_at=started, last_post_at=last)


@transaction.atomic
def load(stdout=None) -> None:
    site_forum = services.ensure_site_forum()
    _ensure_categories(site_forum, None)
    forums = {None: site_forum}
    for space in Space.objects.all():
        forum = services.ensure_forum(space)
        _ensure_categories(forum, space.slug)
        forums[space.slug] = forum
    now = timezone.now()
    made = 0
    for index, spec in enumerate(TOPICS):
        forum = forums.get(spec["space"])
        if forum is None:
            continue
        space = forum.space
        started = now - datetime.timedelta(days=40 - index * 5, hours=index)
        if _load_topic(spec, forum, _members(space), started) is not None:
            made += 1
    _say(stdout, f"Forums: {len(forums)} forums, {made} new demo topics.\n")
