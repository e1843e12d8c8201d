"""Demo memberships: who belongs to which of the seven spaces, with a pending request and an open invitation.

`load_demo_memberships(users, spaces)` is called by `exchange_groups.demo.load` (the `load_demo_data`
command). It is idempotent: people are found by e-mail, memberships that exist are left as they are,
and the request and the invitation are made only once. Everything goes through the services of
`spaces/services.py`, so the demo has a real membership history. Units are picked by TERYT code from the
loaded registry; a code that is not there is skipped (the person is created without a JST).
"""

from django.db import transaction
from django.utils import timezone

from exchange_groups.models import (
    Invitation,
    JoinRequest,
    Membership,
    PositionCategory,
    Profile,
    Space,
    SpaceRole,
    TerritorialUnit,
    User,
    fold,
)
from exchange_groups.spaces import services

EMAIL_DOMAIN = "demo.oswiata-jst.pl"

# (first name, last name, TERYT code, position category, job title, organisation, {space slug: role})
EXTRA_PEOPLE = [
    ("Krzysztof", "Mazur", "2609022", PositionCategory.DECISION_MAKER, "Wójt Gminy Dwikozy", "",
     {"siec-gminy-wiejskie": SpaceRole.PARTICIPANT}),
    ("Agnieszka", "Kaczmarek", "0206082", PositionCategory.EDUCATION_DEPARTMENT, "Inspektor ds. oświaty", "",
     {"siec-gminy-wiejskie": SpaceRole.PARTICIPANT, "gwd-wiejska": SpaceRole.PARTICIPANT}),
    ("Marek", "Jankowski", "2215092", PositionCategory.FINANCE, "Skarbnik Gminy Szemud", "",
     {"gwd-wiejska": SpaceRole.PARTICIPANT}),
    ("Barbara", "Wojciechowska", "2404092", PositionCategory.EDUCATION_DEPARTMENT,
     "Kierownik Referatu Oświaty", "", {"siec-gminy-wiejskie": SpaceRole.PARTICIPANT}),
    ("Paweł", "Kwiatkowski", "1802042", PositionCategory.COUNCILLOR,
     "Przewodniczący Komisji Oświaty Rady Gminy", "", {"siec-gminy-wiejskie": SpaceRole.PARTICIPANT}),
    ("Joanna", "Krawczyk", "1012042", PositionCategory.SCHOOL_ADMINISTRATION,
     "Dyrektor Zespołu Ekonomiczno-Administracyjnego Szkół", "", {"gwd-wiejska": SpaceRole.PARTICIPANT}),
    ("Grzegorz", "Piotrowski", "2812032", PositionCategory.DECISION_MAKER, "Wójt Gminy Grodziczno", "",
     {"gwd-wiejska": SpaceRole.PARTICIPANT}),
    ("Monika", "Grabowska", "0209052", PositionCategory.EDUCATION_DEPARTMENT, "Inspektor ds. oświaty", "", {}),
    ("Andrzej", "Pawłowski", "2604053", PositionCategory.DECISION_MAKER, "Burmistrz Miasta i Gminy Daleszyce", "",
     {"siec-gminy-miejsko-wiejskie": SpaceRole.PARTICIPANT}),
    ("Magdalena", "Michalska", "2205023", PositionCategory.EDUCATION_DEPARTMENT,
     "Naczelnik Wydziału Oświaty, samorządowa liderka oświaty", "",
     {"siec-gminy-miejsko-wiejskie": SpaceRole.PARTICIPANT, "siec-liderow": SpaceRole.MODERATOR}),
    ("Michał", "Nowakowski", "0222013", PositionCategory.FINANCE, "Skarbnik Gminy Brzeg Dolny", "",
     {"siec-gminy-miejsko-wiejskie": SpaceRole.PARTICIPANT}),
    ("Ewa", "Adamczyk", "2213093", PositionCategory.EDUCATION_DEPARTMENT, "Inspektor ds. oświaty", "",
     {"siec-gminy-miejsko-wiejskie": SpaceRole.PARTICIPANT}),
    ("Rafał", "Dudek", "0208063", PositionCategory.COUNCILLOR, "Radny, członek Komisji Oświaty", "",
     {"siec-gminy-miejsko-wiejskie": SpaceRole.PARTICIPANT}),
    ("Beata", "Zając", "0220023", PositionCategory.SOCIAL_PARTNER, "Prezeska stowarzyszenia",
     "Stowarzyszenie na rzecz Edukacji Lokalnej", {"siec-gminy-miejsko-wiejskie": SpaceRole.PARTICIPANT}),
    ("Tadeusz", "Wieczorek", "0203011", PositionCategory.DECISION_MAKER, "Zastępca Prezydenta Miasta", "",
     {"gwd-miejska": SpaceRole.PARTICIPANT}),
    ("Iwona", "Jabłońska", "0608011", PositionCategory.EDUCATION_DEPARTMENT, "Naczelnik Wydziału Edukacji", "",
     {"gwd-miejska": SpaceRole.PARTICIPANT, "siec-liderow": SpaceRole.PARTICIPANT}),
    ("Dariusz", "Król", "1014011", PositionCategory.FINANCE, "Analityk budżetowy", "",
     {"gwd-miejska": SpaceRole.PARTICIPANT, "siec-gminy-miejskie-i-powiaty": SpaceRole.PARTICIPANT}),
    ("Renata", "Majewska", "1408011", PositionCategory.EDUCATION_DEPARTMENT, "Naczelnik Wydziału Oświaty", "",
     {"gwd-miejska": SpaceRole.PARTICIPANT}),
    ("Jacek", "Olszewski", "2477", PositionCategory.EDUCATION_DEPARTMENT,
     "Dyrektor Wydziału Edukacji, samorządowy lider oświaty", "",
     {"siec-gminy-miejskie-i-powiaty": SpaceRole.MODERATOR, "siec-liderow": SpaceRole.MODERATOR}),
    ("Elżbieta", "Jaworska", "1661", PositionCategory.EDUCATION_DEPARTMENT, "Dyrektor Wydziału Oświaty", "",
     {"siec-gminy-miejskie-i-powiaty": SpaceRole.PARTICIPANT}),
    ("Sławomir", "Malinowski", "3261", PositionCategory.FINANCE, "Skarbnik Miasta", "",
     {"siec-gminy-miejskie-i-powiaty": SpaceRole.PARTICIPANT}),
    ("Dorota", "Pawlak", "2464", PositionCategory.EDUCATION_DEPARTMENT, "Naczelnik Wydziału Edukacji", "",
     {"gwd-powiatowa": SpaceRole.PARTICIPANT}),
    ("Wojciech", "Witkowski", "0210", PositionCategory.DECISION_MAKER, "Starosta Lubański", "",
     {"gwd-powiatowa": SpaceRole.PARTICIPANT}),
    ("Halina", "Walczak", "0414", PositionCategory.EDUCATION_DEPARTMENT, "Naczelnik Wydziału Edukacji", "",
     {"gwd-powiatowa": SpaceRole.PARTICIPANT, "siec-liderow": SpaceRole.PARTICIPANT}),
    ("Robert", "Stępień", "1403", PositionCategory.DECISION_MAKER, "Członek Zarządu Powiatu", "",
     {"gwd-powiatowa": SpaceRole.PARTICIPANT}),
    ("Urszula", "Górska", "1606", PositionCategory.EDUCATION_DEPARTMENT, "Inspektor ds. oświaty", "",
     {"gwd-powiatowa": SpaceRole.PARTICIPANT, "siec-gminy-miejskie-i-powiaty": SpaceRole.PARTICIPANT}),
    ("Zbigniew", "Rutkowski", "2014", PositionCategory.SOCIAL_PARTNER, "Ekspert ds. edukacji",
     "Fundacja Szkoła dla Regionu", {"siec-liderow": SpaceRole.PARTICIPANT}),
    ("Ewa", "Sikora", "3064011", PositionCategory.SOCIAL_PARTNER, "Koordynatorka Grup Wymiany Doświadczeń",
     "Związek Miast Polskich",
     {"gwd-wiejska": SpaceRole.COORDINATOR, "gwd-miejska": SpaceRole.COORDINATOR,
      "gwd-powiatowa": SpaceRole.COORDINATOR}),
    ("Leszek", "Baran", "1465011", PositionCategory.SOCIAL_PARTNER, "Koordynator sieci liderów",
     "Ośrodek Rozwoju Edukacji", {"siec-liderow": SpaceRole.COORDINATOR}),
]  # fmt: skip

# The roles of the demo people of the lead's `demo.DEMO_PEOPLE` (keys of `users`).
DEMO_ROLES = {
    "koordynator": {
        "siec-gminy-wiejskie": SpaceRole.COORDINATOR,
        "siec-gminy-miejsko-wiejskie": SpaceRole.COORDINATOR,
        "siec-gminy-miejskie-i-powiaty": SpaceRole.COORDINATOR,
    },
    "lider": {"siec-liderow": SpaceRole.MODERATOR, "siec-gminy-miejsko-wiejskie": SpaceRole.MODERATOR},
    "ekspert": {"gwd-miejska": SpaceRole.EXPERT},
    "uczestnik": {"siec-gminy-wiejskie": SpaceRole.PARTICIPANT, "gwd-wiejska": SpaceRole.PARTICIPANT},
}

PENDING_REQUEST = (
    "monika.grabowska",
    "siec-gminy-wiejskie",
    "Gmina Legnickie Pole przygotowuje lokalny plan rozwoju oświaty. Chcielibyśmy skorzystać z doświadczeń "
    "innych gmin wiejskich, zwłaszcza w planowaniu sieci szkół.",
)
OPEN_INVITATION = ("naczelnik.oswiaty@" + EMAIL_DOMAIN, "siec-gminy-miejskie-i-powiaty", SpaceRole.PARTICIPANT)


def _email(first_name: str, last_name: str) -> str:
    return f"{fold(first_name)}.{fold(last_name)}@{EMAIL_DOMAIN}".replace(" ", "-")


def _ensure_person(first_name, last_name, code, category, job_title, organisation) -> User:
    email = _email(first_name, last_name)
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user
    try:
        from exchange_groups.demo import DEMO_PASSWORD
    except ImportError:  # pragma: no cover - the lead's demo module defines it
        DEMO_PASSWORD = None  # noqa: N806
    user = User.objects.create_user(
        email,
        DEMO_PASSWORD,
        first_name=first_name,
        last_name=last_name,
        email_confirmed_at=timezone.now(),
    )
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.unit = TerritorialUnit.objects.filter(code=code).first()
    profile.position_category = category
    profile.job_title = job_title
    profile.organisation = organisation
    profile.save()
    _give_demo_consents(user)
    return user


def _give_demo_consents(user) -> None:
    try:
        from exchange_groups.accounts.services import give_consent
        from exchange_groups.demo import REQUIRED_CONSENTS
    except ImportError:  # the account services are not there: the demo people simply have no consents
        return
    for purpose in REQUIRED_CONSENTS:
        give_consent(user, purpose)


def _site_admin(users: dict) -> User:
    admin = users.get("administrator")
    if admin is not None and admin.is_superuser:
        return admin
    admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if admin is None:
        raise RuntimeError("The demo memberships need a superuser (the demo administrator).")
    return admin


def _ensure_role(actor, space: Space, user: User, role: str) -> None:
    if Membership.objects.filter(space=space, user=user, until__isnull=True).exists():
        return
    services.add_member(actor, space, user, role, notify=False)


def _coordinator_of(space: Space, fallback: User) -> User:
    membership = (
        Membership.objects.filter(space=space, role=SpaceRole.COORDINATOR, until__isnull=True)
        .select_related("user")
        .order_by("since", "pk")
        .first()
    )
    return membership.user if membership else fallback


@transaction.atomic
def load_demo_memberships(users: dict[str, User], spaces: dict[str, Space]) -> None:
    admin = _site_admin(users)
    extra = {}
    for first_name, last_name, code, category, job_title, organisation, roles in EXTRA_PEOPLE:
        person = _ensure_person(first_name, last_name, code, category, job_title, organisation)
        extra[_email(first_name, last_name).split("@")[0]] = (person, roles)

    # Coordinators first, so that they are the ones who add the other members.
    plan: list[tuple[Space, User, str]] = []
    for key, roles in DEMO_ROLES.items():
        if key in users:
            plan += [(spaces[slug], users[key], role) for slug, role in roles.items() if slug in spaces]
    for person, roles in extra.values():
        plan += [(spaces[slug], person, role) for slug, role in roles.items() if slug in spaces]
    plan.sort(key=lambda item: item[2] != SpaceRole.COORDINATOR)
    for space, person, role in plan:
        actor = admin if role == SpaceRole.COORDINATOR else _coordinator_of(space, admin)
        _ensure_role(actor, space, person, role)

    handle, slug, message = PENDING_REQUEST
    if handle in extra and slug in spaces:
        person, space = extra[handle][0], spaces[slug]
        already = Membership.objects.filter(space=space, user=person).exists()
        if not already and not JoinRequest.objects.filter(space=space, user=person).exists():
            services.request_to_join(person, space, message)

    email, slug, role = OPEN_INVITATION
    if slug in spaces:
        space = spaces[slug]
        if not Invitation.objects.filter(space=space, email=email).exists():
            services.invite_to_space(_coordinator_of(space, admin), space, email, role)
