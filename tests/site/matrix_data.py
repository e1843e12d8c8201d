"""The world of the permission matrix: the shared world of tests/world.py (a private space with its member,
moderator and coordinator, the outsider's public space, a plain person and the administrator) and what the
matrix adds to reach every route: a join request, an invitation, a meeting material, a calendar feed, a work-plan
item, a library file, a certificate, a notification, a sanction, the editors' groups and a closed debate.

Built once per module through the services (see tests/site/test_permission_matrix.py).
"""

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.models import Page

from exchange_groups.cycle import planning
from exchange_groups.library import services as library
from exchange_groups.models import JoinRequest, ResourceKind, SpaceRole, WorkPlanItemKind
from exchange_groups.spaces import services as membership
from tests import world as shared
from tests.exchange_groups.meetings_helpers import in_days
from tests.factories import UserFactory
from tests.world import OUTSIDERS, PDF_BYTES, PERSONAS, SECRET_WORD, TOPIC_TITLE, consenting

SPACE_A_NAME = shared.PRIVATE_SPACE_NAME

__all__ = ["OUTSIDERS", "PERSONAS", "RECORDED", "SECRET_WORD", "SPACE_A_NAME", "TOPIC_TITLE", "build_world"]


def build_world() -> dict:
    from exchange_groups.meetings import calendars
    from exchange_groups.meetings import services as meetings
    from learning import services as learning_services

    w = shared.build_world()
    space, coordinator, member = w["private_space"], w["coordinator"], w["member"]
    joiner = consenting(UserFactory(first_name="Jan", last_name="Proszący"))
    w["join_request"] = JoinRequest.objects.create(space=space, user=joiner, message="Proszę")
    w["invitation"] = membership.invite_to_space(coordinator, space, "zaproszona@gmina.example.pl")

    # Meetings: the member registered for the meeting, which has a file material; the member's calendar feed.
    meetings.register_for_meeting(member, w["meeting"])
    w["material"] = meetings.attach_material(
        coordinator,
        w["meeting"],
        title="Prezentacja",
        file=SimpleUploadedFile("prezentacja.pdf", PDF_BYTES, "application/pdf"),
        now=in_days(14, 15),
    )
    feed, token = calendars.create_calendar_feed(member)
    w["feed_token"] = token

    # Cycle: the questionnaire's first question and choice, and a work-plan item.
    w["question"] = w["questions"]["single"]
    w["choice"] = w["question"].choices.first()
    w["plan_item"] = planning.add_work_plan_item(
        coordinator, space, kind=WorkPlanItemKind.MEETING, title="Spotkanie otwierające"
    )

    # Library: a file resource.
    w["resource"] = library.add_resource(
        coordinator,
        space,
        kind=ResourceKind.FILE,
        title="Raport matrycy",
        file=SimpleUploadedFile("raport.pdf", PDF_BYTES, "application/pdf"),
    )

    # Learning: an attempt at the quiz, and a certificate (the course's completion rules are tested elsewhere:
    # here the enrolment is simply marked completed).
    w["attempt"] = learning_services.start_attempt(member, w["lesson"], "quiz1")
    enrolment = w["enrolment"]
    enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["completed_at"])
    w["certificate"] = learning_services.issue_certificate(enrolment)

    # Site groups: the Wagtail editors' groups.
    redaktor = consenting(UserFactory(first_name="Rita", last_name="Redaktorka"))
    koordynator = consenting(UserFactory(first_name="Kazimierz", last_name="Koordynator"))
    for user, name in ((redaktor, "Redaktor ZMP"), (koordynator, "Koordynator")):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            user.groups.add(group)
    w["redaktor"] = redaktor
    w["koordynator_group"] = koordynator

    # --- notifications: a notification of the member (about the topic of A) and an unsubscribe link ---
    from notifications import services as notification_services
    from notifications.models import Notification

    notification_services.notify(
        "reply",
        [member.pk],
        "matrix:reply",
        title=TOPIC_TITLE,
        url=w["post"].get_absolute_url(),
        params={"post_id": w["post"].pk, "topic_id": w["topic"].pk, "actor_name": "Anna Uczestniczka"},
    )
    w["notification"] = Notification.objects.get(recipient=member, dedupe_key="matrix:reply")
    w["unsubscribe_token"] = notification_services.unsubscribe_token(member, "mention")

    # --- forum moderation: a silenced participant of A (their sanction), and A's public moderation log on ---
    import datetime

    from forums import moderation

    silenced = consenting(UserFactory(first_name="Sylwia", last_name="Wyciszona"))
    membership.add_member(w["administrator"], space, silenced, SpaceRole.PARTICIPANT, notify=False)
    w["sanction"] = moderation.sanction_member(
        w["moderator"], w["forum"], silenced, "silence", "Zaczepki", timezone.now() + datetime.timedelta(days=1)
    )
    moderation.update_forum_settings(
        coordinator, w["forum"], slow_mode_seconds=0, report_threshold=None, public_moderation_log=True
    )

    # --- debates: a closed debate in A moderated by the moderator, with a published summary ---
    _debates(w)
    return w


def _debates(w):
    import datetime

    from debates import services as debate_services
    from debates.handlers import scheduling_suppressed
    from debates.models import DebateIndexPage, DebateModerator, DebatePage

    home = Page.objects.filter(depth=2).first()
    index = DebateIndexPage(title="Debaty matrycy", slug="debaty-matrycy")
    home.add_child(instance=index)
    opens = timezone.now() - datetime.timedelta(days=10)
    debate = DebatePage(
        title="Debata matrycy",
        slug="debata-matrycy",
        lead="Debata do testu uprawnień.",
        questions=[{"type": "question", "value": "Jak?"}],
        opens_at=opens,
        closes_at=opens + datetime.timedelta(days=5),
        owner=w["administrator"],
    )
    index.add_child(instance=debate)
    debate.target_spaces.set([w["private_space"]])
    DebateModerator.objects.create(page=debate, user=w["moderator"], sort_order=0)
    with scheduling_suppressed():
        debate.save_revision(user=w["administrator"]).publish()
    debate = DebatePage.objects.get(pk=debate.pk)
    debate_services.open_debate(debate, now=debate.opens_at)
    debate_services.close_debate(DebatePage.objects.get(pk=debate.pk), now=debate.closes_at)
    debate = DebatePage.objects.get(pk=debate.pk)
    debate_services.save_summary(w["moderator"], debate, body="Wnioski z debaty.", cited_post_ids=[])
    w["debate"] = debate


# Recorded behaviour where it differs from the generic rule of the row's kind (each checked by hand against the
# rules in the module docstring of test_permission_matrix.py): confirmation forms answering a GET with 200, views
# that redirect (302) a GET of a POST-only address back to the page, 403 for insiders without the coordinator's
# rights, and the learning and forum views' own rules. A change of any of these is a change of behaviour.
RECORDED = {
    "exchange_groups:register": {
        "plain": 302,
        "member": 302,
        "moderator": 302,
        "outsider": 302,
        "coordinator": 302,
        "administrator": 302,
    },
    "exchange_groups:confirm_email": {
        "anonymous": 400,
        "plain": 400,
        "member": 400,
        "moderator": 400,
        "outsider": 400,
        "coordinator": 400,
        "administrator": 400,
    },
    "exchange_groups:login": {
        "plain": 302,
        "member": 302,
        "moderator": 302,
        "outsider": 302,
        "coordinator": 302,
        "administrator": 302,
    },
    # Withdrawing a required consent first shows a page explaining the consequence, with a POST button.
    "exchange_groups:consent_withdraw": {
        "plain": 200,
        "member": 200,
        "moderator": 200,
        "outsider": 200,
        "coordinator": 200,
        "administrator": 200,
    },
    "exchange_groups:space_join": {"member": 302, "moderator": 302, "coordinator": 302, "administrator": 200},
    "exchange_groups:space_leave": {"member": 200, "moderator": 200, "coordinator": 200, "administrator": 302},
    "exchange_groups:space_manage_invite": {"member": 403, "moderator": 403, "coordinator": 200, "administrator": 200},
    "exchange_groups:space_manage_add": {"member": 403, "moderator": 403, "coordinator": 200, "administrator": 200},
    "exchange_groups:space_manage_request_accept": {"member": 403, "moderator": 403},
    "exchange_groups:space_manage_request_decline": {
        "member": 403,
        "moderator": 403,
        "coordinator": 200,
        "administrator": 200,
    },
    "exchange_groups:space_manage_invitation_revoke": {"member": 403, "moderator": 403},
    "exchange_groups:space_manage_member_role": {
        "member": 403,
        "moderator": 403,
        "coordinator": 200,
        "administrator": 200,
    },
    "exchange_groups:space_manage_member_remove": {
        "member": 403,
        "moderator": 403,
        "coordinator": 200,
        "administrator": 200,
    },
    "exchange_groups:meeting_material_add": {"coordinator": 405, "administrator": 405},
    "exchange_groups:meeting_material_remove": {"member": 403, "moderator": 403},
    "exchange_groups:cycle_work_plan_item_remove": {
        "member": 403,
        "moderator": 403,
        "coordinator": 200,
        "administrator": 200,
    },
    "exchange_groups:cycle_work_plan_item_move": {"member": 403, "moderator": 403},
    "exchange_groups:cycle_questionnaire_edit": {"coordinator": 302, "administrator": 302},
    "exchange_groups:cycle_question_add": {"coordinator": 302, "administrator": 302},
    "exchange_groups:cycle_question_edit": {"coordinator": 302, "administrator": 302},
    "exchange_groups:cycle_question_remove": {
        "member": 403,
        "moderator": 403,
        "coordinator": 302,
        "administrator": 302,
    },
    "exchange_groups:cycle_question_move": {"member": 403, "moderator": 403, "coordinator": 302, "administrator": 302},
    "exchange_groups:cycle_choice_add": {"member": 403, "moderator": 403, "coordinator": 302, "administrator": 302},
    "exchange_groups:cycle_choice_remove": {"member": 403, "moderator": 403, "coordinator": 302, "administrator": 302},
    "exchange_groups:cycle_questionnaire_publish": {"member": 403, "moderator": 403},
    "exchange_groups:cycle_questionnaire_close": {"member": 403, "moderator": 403},
    "exchange_groups:cycle_questionnaire_copy": {"member": 403, "moderator": 403},
    "exchange_groups:practice_submit": {
        "plain": 403,
        "member": 403,
        "moderator": 403,
        "outsider": 403,
        "coordinator": 403,
        "administrator": 403,
    },
    "learning:catalogue": {
        "anonymous": 302,
        "plain": 302,
        "member": 302,
        "moderator": 302,
        "outsider": 302,
        "coordinator": 302,
        "administrator": 302,
    },
    "learning:my_course": {"plain": 403, "moderator": 403, "outsider": 403, "coordinator": 403, "administrator": 403},
    "learning:course_enrol": {
        "plain": 302,
        "member": 302,
        "moderator": 302,
        "outsider": 302,
        "coordinator": 302,
        "administrator": 302,
    },
    "learning:course_enrol_others": {"administrator": 200},
    "learning:pre_test": {
        "plain": 403,
        "member": 404,
        "moderator": 403,
        "outsider": 403,
        "coordinator": 403,
        "administrator": 403,
    },
    "learning:post_test": {
        "plain": 403,
        "member": 404,
        "moderator": 403,
        "outsider": 403,
        "coordinator": 403,
        "administrator": 403,
    },
    "learning:report": {"administrator": 200},
    "learning:report_csv": {"administrator": 200},
    "learning:report_list": {"administrator": 200},
    "learning:attempt": {
        "plain": 405,
        "member": 405,
        "moderator": 405,
        "outsider": 405,
        "coordinator": 405,
        "administrator": 405,
    },
    "learning:certificate_pdf": {"administrator": 200},
    "forums:space_forum": {"member": 302, "moderator": 302, "coordinator": 302, "administrator": 302},
    "forums:topic_new": {"administrator": 403},
    "forums:post_edit": {"moderator": 403, "coordinator": 403, "administrator": 403},
    "forums:post": {"coordinator": 302, "administrator": 302},
}
