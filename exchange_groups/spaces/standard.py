"""The seven spaces the programme runs from the first start (DESIGN.md, "The spaces").

`ensure_standard_spaces()` creates any that are missing (by slug) and leaves existing ones as editors
left them; `manage.py create_standard_spaces` runs it in production, `load_demo_data` in the demo.
Nothing else in the code assumes there are exactly seven.
"""

from django.db import transaction

from exchange_groups.models import Space, SpaceKind, SpaceStatus, SpaceVisibility, UnitKind

CYCLE = "2019/2020"

STANDARD_SPACES = [
    {
        "slug": "siec-gminy-wiejskie",
        "kind": SpaceKind.NETWORK,
        "name": "Sieć współpracy i samokształcenia: gminy wiejskie",
        "audience": [UnitKind.RURAL_GMINA],
        "description": (
            "Sieć dla przedstawicieli gmin wiejskich, które wdrażają lokalne plany rozwoju oświaty. Spotkania "
            "stacjonarne i online od września do czerwca, wymiana doświadczeń, wspólna praca nad siecią szkół "
            "i finansowaniem oświaty w małych gminach."
        ),
    },
    {
        "slug": "siec-gminy-miejsko-wiejskie",
        "kind": SpaceKind.NETWORK,
        "name": "Sieć współpracy i samokształcenia: gminy miejsko-wiejskie",
        "audience": [UnitKind.URBAN_RURAL_GMINA],
        "description": (
            "Sieć dla gmin miejsko-wiejskich: planowanie sieci szkół przy zmianach demograficznych, dowożenie "
            "uczniów, procesowe wspomaganie szkół i współpraca z partnerami społecznymi."
        ),
    },
    {
        "slug": "siec-gminy-miejskie-i-powiaty",
        "kind": SpaceKind.NETWORK,
        "name": "Sieć współpracy i samokształcenia: gminy miejskie i powiaty",
        "audience": [UnitKind.URBAN_GMINA, UnitKind.POWIAT, UnitKind.CITY_WITH_POWIAT_RIGHTS],
        "description": (
            "Sieć dla gmin miejskich, miast na prawach powiatu i powiatów: szkolnictwo ponadpodstawowe i "
            "zawodowe, kształtowanie kompetencji kluczowych potrzebnych na rynku pracy, zarządzanie oświatą "
            "oparte na danych."
        ),
    },
    {
        "slug": "gwd-wiejska",
        "kind": SpaceKind.EXCHANGE_GROUP,
        "name": "Grupa Wymiany Doświadczeń: gminy wiejskie",
        "audience": [UnitKind.RURAL_GMINA],
        "description": (
            "Grupa Związku Miast Polskich dla 7–8 gmin wiejskich: porównywanie wskaźników, wizyty studyjne i "
            "wspólne stanowiska w sprawach oświaty."
        ),
    },
    {
        "slug": "gwd-miejska",
        "kind": SpaceKind.EXCHANGE_GROUP,
        "name": "Grupa Wymiany Doświadczeń: miasta",
        "audience": [UnitKind.URBAN_GMINA, UnitKind.URBAN_RURAL_GMINA],
        "description": (
            "Grupa Związku Miast Polskich dla 7–8 miast: finansowanie zadań oświatowych, subwencja oświatowa, "
            "organizacja sieci przedszkoli i szkół."
        ),
    },
    {
        "slug": "gwd-powiatowa",
        "kind": SpaceKind.EXCHANGE_GROUP,
        "name": "Grupa Wymiany Doświadczeń: powiaty",
        "audience": [UnitKind.POWIAT, UnitKind.CITY_WITH_POWIAT_RIGHTS],
        "description": (
            "Grupa Związku Miast Polskich dla 7–8 powiatów: kształcenie zawodowe, współpraca z pracodawcami, "
            "prognozy demograficzne dla szkół ponadpodstawowych."
        ),
    },
    {
        "slug": "siec-liderow",
        "kind": SpaceKind.LEADERS,
        "name": "Ogólnopolska sieć samorządowych liderów oświaty",
        "audience": [],
        "description": (
            "Sieć samorządowych liderów oświaty, którzy doradzają JST we wdrażaniu strategii oświatowych, "
            "moderują fora i dzielą się dobrymi praktykami w całym kraju."
        ),
    },
]


@transaction.atomic
def ensure_standard_spaces() -> dict[str, Space]:
    """Create the standard spaces that are missing; return all of them by slug."""
    spaces = {}
    for spec in STANDARD_SPACES:
        defaults = {k: v for k, v in spec.items() if k != "slug"}
        defaults.update(cycle=CYCLE, status=SpaceStatus.ACTIVE, visibility=SpaceVisibility.PUBLIC)
        space, _ = Space.objects.get_or_create(slug=spec["slug"], defaults=defaults)
        spaces[space.slug] = space
    return spaces
