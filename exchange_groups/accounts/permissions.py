"""Permission predicates of exchange_groups: `can_*` answer, `check_*` raise PermissionDenied.

The same functions serve views, consumers and templates. (Accounts part: logging in and taking part
in the project's activities.)
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from exchange_groups.models import ConsentPurpose

# Consents without which a person cannot take part in the project's activities (courses, networks,
# meetings): the privacy notice, the terms of use and the data processing the EU-funded project's
# monitoring and reporting requires. The newsletter is optional.
REQUIRED_CONSENTS = (ConsentPurpose.PRIVACY_NOTICE, ConsentPurpose.TERMS, ConsentPurpose.PROJECT_REPORTING)


def can_log_in(user) -> bool:
    """An account logs in once its e-mail address is confirmed and while the administrator has not blocked it."""
    return bool(user is not None and user.is_active and user.email_confirmed_at is not None)


def missing_required_consents(user) -> list[str]:
    """Required consent purposes the person has not given (or has withdrawn)."""
    if user is None or not user.is_authenticated:
        return list(REQUIRED_CONSENTS)
    active = set(user.consents.filter(withdrawn_at__isnull=True).values_list("purpose", flat=True))
    return [purpose for purpose in REQUIRED_CONSENTS if purpose not in active]


def can_take_part(user) -> bool:
    """Whether the person may join the project's activities: a logged-in account with every required consent."""
    return bool(user is not None and user.is_authenticated and not missing_required_consents(user))


def check_can_take_part(user) -> None:
    if not can_take_part(user):
        raise PermissionDenied(
            _(
                "To take part in the project's activities you need to accept the privacy notice, the terms of use "
                "and the processing of your data for the project's reporting. You can do this on your profile page."
            )
        )
