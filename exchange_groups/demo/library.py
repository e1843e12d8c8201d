"""Demo content of the resource libraries: a few files and links in the networks and exchange groups.

`load_demo_library(users, spaces)` is idempotent (a resource is found by its space and title) and goes
through `library.add_resource`, so every file passes the same checks as an upload. Each resource is added
by an active coordinator of its space when there is one (the demo memberships load first), otherwise by
the demo administrator.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from exchange_groups.library import services
from exchange_groups.models import Membership, Resource, ResourceKind, SpaceRole

ENROLMENT_CSV = (
    "rok szkolny;liczba uczniów klas I-VIII;liczba oddziałów;średnia liczebność oddziału\n"
    "2016/2017;412;28;14,7\n"
    "2017/2018;398;27;14,7\n"
    "2018/2019;371;26;14,3\n"
    "2019/2020;355;24;14,8\n"
    "2020/2021 (prognoza);341;24;14,2\n"
)

MEETING_NOTES = (
    "Notatka ze spotkania sieci – planowanie sieci szkół\n\n"
    "1. Uczestnicy porównali prognozy demograficzne swoich gmin do 2030 r.\n"
    "2. Omówiono warianty: zespół szkolno-przedszkolny, filia szkoły, wspólny dowóz.\n"
    "3. Zadanie na kolejne spotkanie: zestawić koszt utrzymania ucznia w każdej szkole.\n"
)

RESOURCES = {
    "siec-gminy-wiejskie": [
        {
            "kind": ResourceKind.FILE,
            "title": "Liczba uczniów i oddziałów 2016–2021 – arkusz do porównań",
            "description": "Wzór zestawienia do analizy sieci szkół; dane przykładowe z gminy wiejskiej.",
            "file": ("liczba-uczniow-i-oddzialow.csv", ENROLMENT_CSV),
            "tags": ["sieć szkół", "demografia", "dane"],
        },
        {
            "kind": ResourceKind.FILE,
            "title": "Notatka ze spotkania: planowanie sieci szkół",
            "description": "",
            "file": ("notatka-planowanie-sieci-szkol.txt", MEETING_NOTES),
            "tags": ["sieć szkół", "spotkania"],
        },
        {
            "kind": ResourceKind.LINK,
            "title": "Prawo oświatowe – tekst ujednolicony w ISAP",
            "description": "Ustawa z dnia 14 grudnia 2016 r. – Prawo oświatowe.",
            "url": "https://isap.sejm.gov.pl/isap.nsf/DocDetails.xsp?id=WDU20170000059",
            "tags": ["prawo oświatowe"],
        },
    ],
    "gwd-miejska": [
        {
            "kind": ResourceKind.LINK,
            "title": "Subwencja oświatowa – informacje Ministerstwa Edukacji",
            "description": "Algorytm podziału i metryczki subwencji dla JST.",
            "url": "https://www.gov.pl/web/edukacja/subwencja-oswiatowa",
            "tags": ["finansowanie oświaty", "subwencja oświatowa"],
        },
    ],
    "siec-gminy-miejskie-i-powiaty": [
        {
            "kind": ResourceKind.LINK,
            "title": "Bank Danych Lokalnych GUS – dane o oświacie w gminach i powiatach",
            "description": "Liczba szkół, uczniów i oddziałów oraz wydatki na oświatę w przekroju JST.",
            "url": "https://bdl.stat.gov.pl/",
            "tags": ["dane", "analiza danych"],
        },
    ],
}


def _author(space, users):
    coordinator = (
        Membership.objects.filter(space=space, role=SpaceRole.COORDINATOR, until__isnull=True)
        .select_related("user")
        .order_by("since", "pk")
        .first()
    )
    return coordinator.user if coordinator else users.get("administrator")


@transaction.atomic
def load_demo_library(users: dict, spaces: dict) -> list[Resource]:
    added = []
    for slug, specs in RESOURCES.items():
        space = spaces.get(slug)
        author = _author(space, users) if space else None
        if space is None or author is None:
            continue
        for spec in specs:
            existing = Resource.objects.filter(space=space, title=spec["title"]).first()
            if existing is not None:
                added.append(existing)
                continue
            fields = {k: v for k, v in spec.items() if k != "file"}
            if "file" in spec:
                name, text = spec["file"]
                fields["file"] = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")
            added.append(services.add_resource(author, space, **fields))
    return added
