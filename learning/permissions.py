"""Who may do what in the e-learning: `can_*` answer, `check_*` raise PermissionDenied with a translated message.

- Anyone sees the live course catalogue, course and module pages; lessons are for enrolled people (and the
  people who manage the course).
- A person enrols themselves when the course allows it, its enrolment window is open and they have given
  the consents required to take part in the project.
- Coordinators manage courses (enrol others, see reports): the site group "Koordynator" (setting
  `LEARNING_COORDINATOR_GROUP`), site administrators and the course's named team.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from exchange_groups.accounts.permissions import can_take_part
from oswiata_kit.people import in_group, is_person, is_site_admin

from .conf import learning_settings
from .models import CourseTeamMember, Enrolment


def is_coordinator(user) -> bool:
    """Site administrators and members of the coordinators' group (not course-specific)."""
    return is_site_admin(user) or in_group(user, learning_settings.COORDINATOR_GROUP)


def can_view_course(user, course) -> bool:
    return course.live


def enrolment_of(user, course) -> Enrolment | None:
    if not is_person(user):
        return None
    return Enrolment.objects.filter(course_id=course.pk, user_id=user.pk).first()


def is_enrolled(user, course) -> bool:
    return enrolment_of(user, course) is not None


def can_manage_course(user, course) -> bool:
    if not is_person(user):
        return False
    if is_coordinator(user):
        return True
    return CourseTeamMember.objects.filter(course_id=course.pk, user_id=user.pk).exists()


def can_manage_any_course(user) -> bool:
    if not is_person(user):
        return False
    return is_coordinator(user) or CourseTeamMember.objects.filter(user_id=user.pk).exists()


def enrol_refusal(user, course, now=None) -> str | None:
    """Why the person may not enrol themselves (a translated sentence), or None when they may."""
    if not is_person(user):
        return _("Log in to enrol in the course.")
    if not course.live:
        return _("This course is not available.")
    if is_enrolled(user, course):
        return _("You are already enrolled in this course.")
    if not course.self_enrolment:
        return _("People are enrolled in this course by its coordinators. Please contact them.")
    if not course.enrolment_is_open(now):
        return _("Enrolment in this course is closed.")
    if not can_take_part(user):
        return _consent_message()
    return None


def can_enrol(user, course) -> bool:
    return enrol_refusal(user, course) is None


def check_can_enrol(user, course) -> None:
    refusal = enrol_refusal(user, course)
    if refusal:
        raise PermissionDenied(refusal)


def _consent_message() -> str:
    return _(
        "To take part in the project's activities you need to accept the privacy notice, the terms of use "
        "and the processing of your data for the project's reporting. You can do this on your profile page."
    )


def learning_refusal(user, course) -> str | None:
    """Why the person may not learn in the course (lessons, quizzes, tests), or None when they may.

    Enrolled people learn while they keep the consents the project requires (a coordinator may have enrolled
    someone who has not given them yet, or a person may withdraw them later).
    """
    if not is_person(user) or not is_enrolled(user, course):
        return _("Lessons are open to the people enrolled in the course.")
    if not can_take_part(user):
        return _consent_message()
    return None


def check_can_learn(user, course) -> None:
    """Lessons' actions, quizzes and tests: refused with `learning_refusal`'s reason."""
    refusal = learning_refusal(user, course)
    if refusal:
        raise PermissionDenied(refusal)


def can_take_lesson(user, lesson, course=None) -> bool:
    """Enrolled people with the required consents read lessons; the people who manage the course too."""
    course = course or lesson.course
    if course is None or not is_person(user):
        return False
    return learning_refusal(user, course) is None or can_manage_course(user, course)


def check_can_take_lesson(user, lesson, course=None) -> None:
    if not can_take_lesson(user, lesson, course):
        raise PermissionDenied(_("Lessons are open to the people enrolled in the course."))


def check_can_manage_course(user, course) -> None:
    if not can_manage_course(user, course):
        raise PermissionDenied(_("Only the course's coordinators and team can do this."))


def can_view_certificate(user, certificate) -> bool:
    if not is_person(user):
        return False
    return certificate.enrolment.user_id == user.pk or can_manage_course(user, certificate.enrolment.course)
