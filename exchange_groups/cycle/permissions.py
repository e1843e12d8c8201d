"""Who may do what in the yearly cycle of a space (questionnaires and the work plan).

- members of a space (any role) and site administrators see its work plan and its published questionnaires;
- active members answer an open questionnaire of their space, once;
- coordinators of the space and site administrators create, edit (drafts only), publish and close
  questionnaires, see their results, export them, and edit the work plan;
- nobody sees who answered what.

Seeing the space at all is decided first by `spaces.permissions.get_space_or_404` (a private space does
not exist for outsiders).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from exchange_groups.models import Questionnaire
from exchange_groups.spaces.permissions import can_manage_space, can_see_members, is_member


def can_view_cycle(user, space) -> bool:
    """The work plan and the list of questionnaires: members and site administrators."""
    return can_see_members(user, space)


def can_manage_cycle(user, space) -> bool:
    """Questionnaires (create, edit drafts, publish, close, results, export) and the work plan."""
    return can_manage_space(user, space)


def can_see_questionnaire(user, questionnaire: Questionnaire) -> bool:
    """Drafts exist only for those who manage the cycle; published ones for every member."""
    if questionnaire.is_draft:
        return can_manage_cycle(user, questionnaire.space)
    return can_view_cycle(user, questionnaire.space)


def can_answer(user, questionnaire: Questionnaire) -> bool:
    """An active member, while the questionnaire takes answers (whether they have answered is checked apart)."""
    return questionnaire.accepts_answers and is_member(user, questionnaire.space)


def check_can_manage_cycle(user, space) -> None:
    if not can_manage_cycle(user, space):
        raise PermissionDenied(_("Only the coordinators of this space can manage its questionnaires and work plan."))


def check_can_answer(user, questionnaire: Questionnaire) -> None:
    if not is_member(user, questionnaire.space):
        raise PermissionDenied(_("Only the members of this space can answer its questionnaires."))
