"""Polish demo content of the site: the home page, "O programie", the accessibility statement."""

import datetime

from django.db import transaction
from wagtail.models import Page, Site

from oswiata_site.models import AccessibilityStatementPage, HomePage, StandardPage

HOME_INTRO = (
    "Platforma programu „Zarządzanie oświatą w samorządach” Ośrodka Rozwoju Edukacji i Związku Miast Polskich: "
    "kursy e-learningowe, sieci współpracy i samokształcenia, Grupy Wymiany Doświadczeń i debaty dla "
    "przedstawicieli gmin i powiatów."
)

HOME_BODY = [
    {
        "type": "cards",
        "value": [
            {
                "title": "Kursy e-learningowe",
                "text": "Kursy o planowaniu sieci szkół, finansowaniu oświaty i strategii oświatowej, "
                "z testem wstępnym i końcowym oraz zaświadczeniem o ukończeniu.",
                "page": None,
                "url": "",
            },
            {
                "title": "Sieci współpracy",
                "text": "Trzy sieci współpracy i samokształcenia (wrzesień–czerwiec): spotkania stacjonarne i "
                "online, roczny plan pracy, diagnoza potrzeb i ewaluacja.",
                "page": None,
                "url": "",
            },
            {
                "title": "Grupy Wymiany Doświadczeń",
                "text": "Grupy Związku Miast Polskich, w których 7–8 samorządów porównuje rozwiązania i "
                "wypracowuje wspólne stanowiska.",
                "page": None,
                "url": "",
            },
            {
                "title": "Debaty i fora",
                "text": "Moderowane przez samorządowych liderów oświaty fora każdej sieci i debaty na tematy "
                "zgłaszane przez Związek Miast Polskich.",
                "page": None,
                "url": "",
            },
        ],
    },
    {"type": "heading", "value": "Cel programu"},
    {
        "type": "paragraph",
        "value": "<p>Podniesienie kompetencji przedstawicieli jednostek samorządu terytorialnego w zakresie "
        "zarządzania oświatą ukierunkowanego na kształtowanie kompetencji kluczowych uczniów niezbędnych do "
        "poruszania się na rynku pracy.</p>",
    },
]

ABOUT_BODY = [
    {"type": "heading", "value": "Adresaci"},
    {
        "type": "paragraph",
        "value": "<p>Przedstawiciele jednostek samorządu terytorialnego, które są organami prowadzącymi szkoły i "
        "placówki oświatowe szczebla gminy i powiatu, w szczególności:</p><ul>"
        "<li>prezydenci, burmistrzowie, starostowie i wójtowie,</li>"
        "<li>dyrektorzy i naczelnicy wydziałów oświaty, inspektorzy ds. oświaty, skarbnicy,</li>"
        "<li>pracownicy zajmujący się planowaniem finansowym i analizami budżetowymi oraz pracownicy zespołów "
        "ekonomiczno-administracyjnych szkół,</li>"
        "<li>radni z komisji oświaty i przedstawiciele partnerów społecznych – organizacji, stowarzyszeń i "
        "fundacji działających na rzecz lokalnej oświaty.</li></ul>",
    },
    {"type": "heading", "value": "Podstawowe informacje"},
    {
        "type": "paragraph",
        "value": "<ul><li>Czas trwania projektu: od 1 kwietnia 2018 r. do 30 listopada 2020 r.</li>"
        "<li>Numer projektu: POWR.02.10.00-00-0001/18-01</li>"
        "<li>Wartość projektu: 3 170 001,22 zł, w tym ORE: 2 387 019,73 zł i ZMP: 782 981,49 zł</li>"
        "<li>Partner: Związek Miast Polskich</li></ul>",
    },
    {"type": "heading", "value": "Wartość dodana"},
    {
        "type": "paragraph",
        "value": "<ul><li>integracja środowiska samorządowego,</li>"
        "<li>promowanie standardów projakościowego zarządzania oświatą,</li>"
        "<li>stymulowanie współpracy i wymiany doświadczeń między samorządami,</li>"
        "<li>organizacja warunków umożliwiających wzajemne uczenie się samorządowców,</li>"
        "<li>wykorzystywanie samorządowych przykładów dobrych praktyk.</li></ul>",
    },
    {
        "type": "callout",
        "value": {
            "title": "Sieci współpracy i Grupy Wymiany Doświadczeń",
            "text": "<p>ORE uruchamia trzy sieci współpracy dla samorządowców (blended learning, od września do "
            "czerwca), a Związek Miast Polskich moderuje debatę w trzech Grupach Wymiany Doświadczeń i na "
            "portalu Samorządowi Liderzy Oświaty.</p>",
        },
    },
]

STATEMENT = {
    "title": "Deklaracja dostępności",
    "slug": "deklaracja-dostepnosci",
    "entity_name": "Ośrodek Rozwoju Edukacji",
    "site_url": "https://oswiata-jst.ore.edu.pl",
    "published_on": datetime.date(2026, 11, 1),
    "updated_on": datetime.date(2026, 11, 25),
    "compliance_status": "partial",
    "non_accessible_content": "<p>Niektóre dokumenty do pobrania, opublikowane przed 23 września 2018 r., "
    "mogą nie być w pełni dostępne. Filmy z debat mają transkrypcje; napisy do starszych nagrań są "
    "przygotowywane.</p>",
    "prepared_on": datetime.date(2026, 11, 25),
    "preparation_method": "samoocena przeprowadzona przez podmiot publiczny, wsparta automatycznymi testami "
    "axe-core w przeglądarce",
    "shortcuts": "<p>Na każdej stronie pierwszy klawisz Tab pokazuje odnośnik „Przejdź do treści”. Serwis "
    "obsługuje powiększanie tekstu do 200% i nawigację wyłącznie z klawiatury.</p>",
    "contact_person": "Ewa Dąbrowska",
    "contact_email": "dostepnosc@ore.edu.pl",
    "contact_phone": "+48 22 345 37 00",
    "procedure": "<p>Każdy ma prawo wystąpić z żądaniem zapewnienia dostępności cyfrowej strony internetowej "
    "lub jej elementu. Można także zażądać udostępnienia informacji za pomocą alternatywnego sposobu "
    "dostępu. Żądanie powinno zawierać dane osoby zgłaszającej, wskazanie strony lub elementu oraz sposób "
    "kontaktu. Podmiot publiczny realizuje żądanie niezwłocznie, nie później niż w ciągu 7 dni. Jeżeli "
    "dotrzymanie tego terminu nie jest możliwe, informuje o tym i wskazuje nowy termin, nie dłuższy niż 2 "
    "miesiące. W przypadku odmowy można złożyć skargę, a po wyczerpaniu procedury – wniosek do Rzecznika "
    "Praw Obywatelskich.</p>",
    "architecture": "<p>Siedziba Ośrodka Rozwoju Edukacji, Aleje Ujazdowskie 28, 00-478 Warszawa. Do budynku "
    "prowadzi wejście od Alej Ujazdowskich z podjazdem dla wózków. W budynku jest winda i toaleta "
    "dostosowana do potrzeb osób z niepełnosprawnościami. Można wejść z psem asystującym. W recepcji "
    "dostępna jest pętla indukcyjna.</p>",
    "mobile_apps": "<p>Ośrodek Rozwoju Edukacji nie udostępnia aplikacji mobilnej platformy. Serwis działa "
    "w przeglądarkach urządzeń mobilnych.</p>",
}


@transaction.atomic
def ensure_home_page() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's own migration leaves a "Welcome" page at /home/; the platform's home replaces it.
        for page in root.get_children().filter(content_type__model="page", content_type__app_label="wagtailcore"):
            if page.numchild == 0:
                page.delete()
        root.refresh_from_db()
        home = HomePage(
            title="Zarządzanie oświatą w samorządach",
            slug="strona-glowna",
            intro=HOME_INTRO,
            body=HOME_BODY,
            seo_title="Oświata JST — zarządzanie oświatą w samorządach",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Oświata JST"
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "Oświata JST"
        site.save()
    return home


def _ensure_child(parent: Page, model, slug: str, **fields):
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@transaction.atomic
def load(stdout=None) -> dict:
    home = ensure_home_page()
    about = _ensure_child(
        home,
        StandardPage,
        "o-programie",
        title="O programie",
        intro="Program „Zarządzanie oświatą w samorządach” realizuje Ośrodek Rozwoju Edukacji w partnerstwie ze "
        "Związkiem Miast Polskich.",
        body=ABOUT_BODY,
        show_in_menus=True,
    )
    spec = dict(STATEMENT)
    statement = _ensure_child(home, AccessibilityStatementPage, spec.pop("slug"), **spec)
    return {"home": home, "about": about, "statement": statement}
