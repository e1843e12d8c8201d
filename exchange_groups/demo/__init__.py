"""Polish demo data of exchange_groups: the registry, one demo person per site role, the standard spaces.

Idempotent: running it again changes nothing that is already there. Called by `manage.py load_demo_data`.
"""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from exchange_groups.models import ConsentPurpose, PositionCategory, TerritorialUnit, User
from exchange_groups.spaces.standard import ensure_standard_spaces
from oswiata_kit import people

DEMO_PASSWORD = "Demo-Oswiata-2026"  # noqa: S105 — printed by `make run`, demo database only

# role key -> person; "unit" is a TERYT code from the shipped TERC file.
DEMO_PEOPLE = {
    "uczestnik": {
        "email": "uczestnik@demo.oswiata-jst.pl",
        "first_name": "Anna",
        "last_name": "Nowak",
        "unit": "0201022",  # Bolesławiec, gmina wiejska
        "position_category": PositionCategory.EDUCATION_DEPARTMENT,
        "job_title": "Inspektor ds. oświaty",
        "group": people.PARTICIPANT,
    },
    "lider": {
        "email": "lider@demo.oswiata-jst.pl",
        "first_name": "Tomasz",
        "last_name": "Wiśniewski",
        "unit": "1219053",  # Wieliczka, gmina miejsko-wiejska
        "position_category": PositionCategory.EDUCATION_DEPARTMENT,
        "job_title": "Naczelnik Wydziału Edukacji, samorządowy lider oświaty",
        "group": people.LEADER,
    },
    "koordynator": {
        "email": "koordynator@demo.oswiata-jst.pl",
        "first_name": "Małgorzata",
        "last_name": "Zielińska",
        "unit": "1465011",  # Warszawa
        "position_category": PositionCategory.SOCIAL_PARTNER,
        "organisation": "Ośrodek Rozwoju Edukacji",
        "job_title": "Koordynatorka sieci współpracy",
        "group": people.COORDINATOR,
    },
    "redaktor": {
        "email": "redaktor@demo.oswiata-jst.pl",
        "first_name": "Piotr",
        "last_name": "Kamiński",
        "unit": "3064011",  # Poznań
        "position_category": PositionCategory.SOCIAL_PARTNER,
        "organisation": "Związek Miast Polskich",
        "job_title": "Redaktor portalu Samorządowi Liderzy Oświaty",
        "group": people.EDITOR_ZMP,
    },
    "ekspert": {
        "email": "ekspert@demo.oswiata-jst.pl",
        "first_name": "Katarzyna",
        "last_name": "Lewandowska",
        "unit": "1261011",  # Kraków
        "position_category": PositionCategory.FINANCE,
        "job_title": "Ekspertka ds. finansowania oświaty",
        "group": people.EXPERT,
    },
    "administrator": {
        "email": "admin@demo.oswiata-jst.pl",
        "first_name": "Jan",
        "last_name": "Wójcik",
        "unit": "1465011",  # Warszawa
        "position_category": PositionCategory.SOCIAL_PARTNER,
        "organisation": "Ośrodek Rozwoju Edukacji",
        "job_title": "Administrator platformy",
        "group": people.ADMINISTRATOR,
    },
}

REQUIRED_CONSENTS = (ConsentPurpose.PRIVACY_NOTICE, ConsentPurpose.TERMS, ConsentPurpose.PROJECT_REPORTING)


def ensure_registry(stdout=None) -> None:
    from exchange_groups.registry.services import load_terc, shipped_terc_path

    if not TerritorialUnit.objects.exists():
        report = load_terc(shipped_terc_path())
        if stdout is not None:
            stdout.write(
                f"TERYT {report.source_date:%Y-%m-%d}: +{report.created} / ~{report.updated} / -{report.deactivated}"
            )


@transaction.atomic
def ensure_demo_person(spec: dict) -> User:
    from exchange_groups.accounts.services import give_consent, update_profile

    user = User.objects.filter(email__iexact=spec["email"]).first()
    if user is None:
        user = User.objects.create_user(
            spec["email"],
            DEMO_PASSWORD,
            first_name=spec["first_name"],
            last_name=spec["last_name"],
            email_confirmed_at=timezone.now(),
        )
        update_profile(
            user,
            first_name=spec["first_name"],
            last_name=spec["last_name"],
            unit=TerritorialUnit.objects.get(code=spec["unit"]),
            position_category=spec["position_category"],
            job_title=spec["job_title"],
            organisation=spec.get("organisation", ""),
        )
        for purpose in REQUIRED_CONSENTS:
            give_consent(user, purpose)
    if spec["group"] == people.ADMINISTRATOR and not user.is_superuser:
        user.is_superuser = user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
    user.groups.add(Group.objects.get(name=spec["group"]))
    return user


def load(stdout=None) -> dict:
    ensure_registry(stdout)
    users = {key: ensure_demo_person(spec) for key, spec in DEMO_PEOPLE.items()}
    spaces = ensure_standard_spaces()
    from exchange_groups.demo.cycle import load_demo_cycle
    from exchange_groups.demo.library import load_demo_library
    from exchange_groups.demo.meetings import load_demo_meetings
    from exchange_groups.demo.spaces import load_demo_memberships

    load_demo_memberships(users, spaces)
    load_demo_meetings(users, spaces)
    load_demo_cycle(users, spaces)
    load_demo_library(users, spaces)
    return {"users": users, "spaces": spaces}


def load_pages(stdout=None) -> None:
    """Demo content that lives in the page tree (the good-practice base): runs after the site's home page exists."""
    from exchange_groups.demo.practices import load_demo_practices
    from exchange_groups.models import Space

    users = {key: User.objects.get(email__iexact=spec["email"]) for key, spec in DEMO_PEOPLE.items()}
    spaces = {space.slug: space for space in Space.objects.all()}
    load_demo_practices(users, spaces)
