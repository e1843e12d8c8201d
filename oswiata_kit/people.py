"""Who is asking: one predicate for each question every app asks about a person.

- `is_person(user)`: an active, logged-in account (not anonymous, not deactivated).
- `in_group(user, name)`: a person in the Django group of that name; the answer is kept on the user object, which
  lives as long as one request (a socket re-reads its person for each re-check), so a page asks once per group.
- `is_site_admin(user)`: a superuser or a member of the administrators' group (setting
  `EXCHANGE_GROUPS_ADMIN_GROUP`, default "Administrator"); `site_admin_q()` finds the same people in a query.
- The site roles: the names of the Django groups the site creates (`oswiata_site.roles` gives them their
  permissions). Roles inside one space (participant, leader, coordinator, expert of a network) are memberships.
"""

from django.db.models import Q

from oswiata_kit.conf import kit_settings

PARTICIPANT = "Uczestnik"
LEADER = "Lider"
COORDINATOR = "Koordynator"
EDITOR_ZMP = "Redaktor ZMP"
EXPERT = "Ekspert"
ADMINISTRATOR = "Administrator"
SITE_ROLES = (PARTICIPANT, LEADER, COORDINATOR, EDITOR_ZMP, EXPERT, ADMINISTRATOR)

_CACHE = "_oswiata_kit_groups"


def is_person(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def in_group(user, name: str) -> bool:
    """Whether a person belongs to the Django group `name` (asked once per group and user object)."""
    if not is_person(user):
        return False
    known = user.__dict__.setdefault(_CACHE, {})
    if name not in known:
        known[name] = user.groups.filter(name=name).exists()
    return known[name]


def is_site_admin(user) -> bool:
    """Superusers and members of the administrators' group."""
    return is_person(user) and (user.is_superuser or in_group(user, kit_settings.SITE_ADMIN_GROUP))


def site_admin_q(prefix: str = "") -> Q:
    """The users `is_site_admin` accepts, as a filter on users (or on a relation to them: `prefix="user__"`);
    combine it with `is_active=True`."""
    return Q(**{f"{prefix}is_superuser": True}) | Q(**{f"{prefix}groups__name": kit_settings.SITE_ADMIN_GROUP})
