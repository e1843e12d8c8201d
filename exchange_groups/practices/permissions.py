"""Who may submit a good practice and see their submissions.

Decision: any signed-in, active person whose profile is complete (JST, position category, job title)
may submit a practice — membership of a space is not required, because good practices come from JSTs
outside the networks too, and every submission is reviewed by the editors (the Wagtail workflow) before
anything is published. A submission is a draft page the person owns; they see its status on
"Moje zgłoszenia" but never get access to the Wagtail admin through it.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from exchange_groups.models import Profile
from oswiata_kit.people import is_person


def has_complete_profile(user) -> bool:
    if not is_person(user):
        return False
    profile = Profile.objects.filter(user_id=user.pk).first()
    return profile is not None and profile.is_complete


def can_submit_practice(user) -> bool:
    return has_complete_profile(user)


def check_can_submit_practice(user) -> None:
    if not can_submit_practice(user):
        raise PermissionDenied(_("Complete your profile (JST, position and job title) to submit a good practice."))
