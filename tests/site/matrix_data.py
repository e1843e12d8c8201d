"""The world of the permission matrix: a private space A, a public space B, their objects and seven personas.

Built once per module through the services (see tests/site/test_permission_matrix.py).
"""

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.models import Page

from exchange_groups.accounts.permissions import REQUIRED_CONSENTS
from exchange_groups.accounts.services import give_consent
from exchange_groups.cycle import planning
from exchange_groups.library import services as library
from exchange_groups.models import JoinRequest, MeetingMode, ResourceKind, SpaceRole, SpaceVisibility
from exchange_groups.spaces import services as membership
from forums import services as forum_services
from tests.exchange_groups.cycle_support import build_questionnaire
from tests.exchange_groups.meetings_helpers import in_days
from tests.factories import SpaceFactory, UserFactory

SPACE_A_NAME = "Tajna Sieć Matrycowa Gmin"
SPACE_A_SLUG = "tajna-siec-matrycowa"
SPACE_B_NAME = "Jawna Sieć Matrycowa Powiatów"
SPACE_B_SLUG = "jawna-siec-matrycowa"
SECRET_WORD = "Zyrafokonik"
TOPIC_TITLE = "Kwerenda budżetowa matrycy"

PERSONAS = ("anonymous", "plain", "member", "mod_a", "mod_b", "coord_a", "admin")
OUTSIDERS = ("anonymous", "plain", "mod_b")

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def consenting(user):
    for purpose in REQUIRED_CONSENTS:
        give_consent(user, purpose)
    return user


def _course(world):
    """A course with a module and two lessons (one with a quiz), under a course index page."""
    from wagtail.models import Locale

    from learning.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
    from tests.learning.conftest import quiz_block

    Locale.objects.get_or_create(language_code="pl")
    home = Page.objects.filter(depth=2).first()
    catalogue = CourseIndexPage(title="Kursy matrycy", slug="kursy-matrycy")
    home.add_child(instance=catalogue)
    course = CoursePage(
        title="Kurs matrycy uprawnień",
        slug="kurs-matrycy",
        summary="Kurs do testu uprawnień.",
        duration_hours=2,
        audience=["oswiata"],
        learning_outcomes=[{"type": "outcome", "value": "Zna reguły."}],
    )
    catalogue.add_child(instance=course)
    course.save_revision().publish()
    module = ModulePage(title="Moduł matrycy", slug="modul-matrycy")
    course.add_child(instance=module)
    lesson = LessonPage(
        title="Lekcja matrycy",
        slug="lekcja-matrycy",
        body=[
            {"type": "paragraph", "value": "<p>Treść.</p>", "id": "p1"},
            {"type": "reflection", "value": {"prompt": "Jak?", "guidance": ""}, "id": "r1"},
            quiz_block(),
        ],
    )
    module.add_child(instance=lesson)
    world["course"] = CoursePage.objects.get(pk=course.pk)
    world["module"] = module
    world["lesson"] = lesson


def build_world() -> dict:
    from exchange_groups.meetings import calendars
    from exchange_groups.meetings import services as meetings

    w: dict = {}
    admin = UserFactory(is_superuser=True, is_staff=True, first_name="Ewa", last_name="Administratorka")
    space_a = SpaceFactory(name=SPACE_A_NAME, slug=SPACE_A_SLUG, visibility=SpaceVisibility.PRIVATE)
    space_b = SpaceFactory(name=SPACE_B_NAME, slug=SPACE_B_SLUG, visibility=SpaceVisibility.PUBLIC)
    coord_a = consenting(UserFactory(first_name="Małgorzata", last_name="Koordynatorka"))
    mod_a = consenting(UserFactory(first_name="Marek", last_name="Moderator"))
    member = consenting(UserFactory(first_name="Anna", last_name="Uczestniczka"))
    mod_b = consenting(UserFactory(first_name="Bogdan", last_name="Obcy"))
    plain = consenting(UserFactory(first_name="Piotr", last_name="Zwykły"))
    joiner = consenting(UserFactory(first_name="Jan", last_name="Proszący"))
    membership.add_member(admin, space_a, coord_a, SpaceRole.COORDINATOR, notify=False)
    membership.add_member(admin, space_a, mod_a, SpaceRole.MODERATOR, notify=False)
    membership_member = membership.add_member(admin, space_a, member, SpaceRole.PARTICIPANT, notify=False)
    membership.add_member(admin, space_b, mod_b, SpaceRole.MODERATOR, notify=False)
    # B is public: a member area exists there too (the member of A is not a member of B).
    w.update(
        admin=admin,
        space_a=space_a,
        space_b=space_b,
        coord_a=coord_a,
        mod_a=mod_a,
        member=member,
        mod_b=mod_b,
        plain=plain,
        membership_member=membership_member,
    )
    w["join_request"] = JoinRequest.objects.create(space=space_a, user=joiner, message="Proszę")
    w["invitation"] = membership.invite_to_space(coord_a, space_a, "zaproszona@gmina.example.pl")

    # Meetings: one in A with a registration of the member and a file material.
    meeting = meetings.create_meeting(
        coord_a,
        space_a,
        title=f"Spotkanie {SECRET_WORD}",
        mode=MeetingMode.IN_PERSON,
        starts_at=in_days(14, 10),
        ends_at=in_days(14, 14),
        venue="Urząd Gminy",
        address="ul. Teatralna 1a",
        agenda="1. Diagnoza",
        capacity=None,
        registration_deadline=None,
        link_visible_minutes_before=60,
    )
    meetings.register_for_meeting(member, meeting)
    w["meeting"] = meeting
    w["material"] = meetings.attach_material(
        coord_a,
        meeting,
        title="Prezentacja",
        file=SimpleUploadedFile("prezentacja.pdf", PDF_BYTES, "application/pdf"),
        now=in_days(14, 15),
    )
    feed, token = calendars.create_calendar_feed(member)
    w["feed_token"] = token

    # Cycle: a published questionnaire and a work-plan item.
    questionnaire, questions = build_questionnaire(space_a, coord_a)
    w["questionnaire"] = questionnaire
    w["question"] = questions["single"]
    w["choice"] = questions["single"].choices.first()
    w["plan_item"] = planning.add_work_plan_item(coord_a, space_a, kind="spotkanie", title="Spotkanie otwierające")

    # Library: a file resource.
    w["resource"] = library.add_resource(
        coord_a,
        space_a,
        kind=ResourceKind.FILE,
        title="Raport matrycy",
        file=SimpleUploadedFile("raport.pdf", PDF_BYTES, "application/pdf"),
    )

    # Forum of A: a topic with an attachment.
    forum = forum_services.ensure_forum(space_a)
    category = forum.categories.get()
    topic = forum_services.create_topic(
        member,
        category,
        TOPIC_TITLE,
        f"Tekst o {SECRET_WORD} w budżecie.",
        attachments=[SimpleUploadedFile("zalacznik.pdf", PDF_BYTES, "application/pdf")],
    )
    w.update(forum=forum, category=category, topic=topic, post=topic.posts.first())
    w["attachment"] = w["post"].attachments.first()

    _course(w)
    from learning import services as learning_services

    enrolment, _ = learning_services.enrol(w["course"], member)
    w["enrolment"] = enrolment
    w["attempt"] = learning_services.start_attempt(member, w["lesson"], "quiz1")
    # The course's completion rules are tested elsewhere: here the enrolment is simply marked completed.
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
        params={"post_id": w["post"].pk, "topic_id": topic.pk, "actor_name": "Anna Uczestniczka"},
    )
    w["notification"] = Notification.objects.get(recipient=member, dedupe_key="matrix:reply")
    w["unsubscribe_token"] = notification_services.unsubscribe_token(member, "mention")

    # --- forum moderation: a silenced participant of A (their sanction), and A's public moderation log on ---
    import datetime

    from forums import moderation

    silenced = consenting(UserFactory(first_name="Sylwia", last_name="Wyciszona"))
    membership.add_member(admin, space_a, silenced, SpaceRole.PARTICIPANT, notify=False)
    w["sanction"] = moderation.sanction_member(
        mod_a, forum, silenced, "silence", "Zaczepki", timezone.now() + datetime.timedelta(days=1)
    )
    moderation.update_forum_settings(
        coord_a, forum, slow_mode_seconds=0, report_threshold=None, public_moderation_log=True
    )

    # --- debates: a closed debate in A moderated by mod_a, with a published summary citing the member's post ---
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
        owner=w["admin"],
    )
    index.add_child(instance=debate)
    debate.target_spaces.set([w["space_a"]])
    DebateModerator.objects.create(page=debate, user=w["mod_a"], sort_order=0)
    with scheduling_suppressed():
        debate.save_revision(user=w["admin"]).publish()
    debate = DebatePage.objects.get(pk=debate.pk)
    debate_services.open_debate(debate, now=debate.opens_at)
    debate_services.close_debate(DebatePage.objects.get(pk=debate.pk), now=debate.closes_at)
    debate = DebatePage.objects.get(pk=debate.pk)
    debate_services.save_summary(w["mod_a"], debate, body="Wnioski z debaty.", cited_post_ids=[])
    w["debate"] = debate


# Recorded behaviour where it differs from the generic rule of the row's kind (each checked by hand against the
# rules in the module docstring of test_permission_matrix.py): confirmation forms answering a GET with 200, views
# that redirect (302) a GET of a POST-only address back to the page, 403 for insiders without the coordinator's
# rights, and the learning and forum views' own rules. A change of any of these is a change of behaviour.
RECORDED = {
    "exchange_groups:register": {"plain": 302, "member": 302, "mod_a": 302, "mod_b": 302, "coord_a": 302, "admin": 302},
    "exchange_groups:confirm_email": {
        "anonymous": 400,
        "plain": 400,
        "member": 400,
        "mod_a": 400,
        "mod_b": 400,
        "coord_a": 400,
        "admin": 400,
    },
    "exchange_groups:login": {"plain": 302, "member": 302, "mod_a": 302, "mod_b": 302, "coord_a": 302, "admin": 302},
    # Withdrawing a required consent first shows a page explaining the consequence, with a POST button.
    "exchange_groups:consent_withdraw": {
        "plain": 200,
        "member": 200,
        "mod_a": 200,
        "mod_b": 200,
        "coord_a": 200,
        "admin": 200,
    },
    "exchange_groups:space_join": {"member": 302, "mod_a": 302, "coord_a": 302, "admin": 200},
    "exchange_groups:space_leave": {"member": 200, "mod_a": 200, "coord_a": 200, "admin": 302},
    "exchange_groups:space_manage_invite": {"member": 403, "mod_a": 403, "coord_a": 200, "admin": 200},
    "exchange_groups:space_manage_add": {"member": 403, "mod_a": 403, "coord_a": 200, "admin": 200},
    "exchange_groups:space_manage_request_accept": {"member": 403, "mod_a": 403},
    "exchange_groups:space_manage_request_decline": {"member": 403, "mod_a": 403, "coord_a": 200, "admin": 200},
    "exchange_groups:space_manage_invitation_revoke": {"member": 403, "mod_a": 403},
    "exchange_groups:space_manage_member_role": {"member": 403, "mod_a": 403, "coord_a": 200, "admin": 200},
    "exchange_groups:space_manage_member_remove": {"member": 403, "mod_a": 403, "coord_a": 200, "admin": 200},
    "exchange_groups:meeting_material_add": {"coord_a": 405, "admin": 405},
    "exchange_groups:meeting_material_remove": {"member": 403, "mod_a": 403},
    "exchange_groups:cycle_work_plan_item_remove": {"member": 403, "mod_a": 403, "coord_a": 200, "admin": 200},
    "exchange_groups:cycle_work_plan_item_move": {"member": 403, "mod_a": 403},
    "exchange_groups:cycle_questionnaire_edit": {"coord_a": 302, "admin": 302},
    "exchange_groups:cycle_question_add": {"coord_a": 302, "admin": 302},
    "exchange_groups:cycle_question_edit": {"coord_a": 302, "admin": 302},
    "exchange_groups:cycle_question_remove": {"member": 403, "mod_a": 403, "coord_a": 302, "admin": 302},
    "exchange_groups:cycle_question_move": {"member": 403, "mod_a": 403, "coord_a": 302, "admin": 302},
    "exchange_groups:cycle_choice_add": {"member": 403, "mod_a": 403, "coord_a": 302, "admin": 302},
    "exchange_groups:cycle_choice_remove": {"member": 403, "mod_a": 403, "coord_a": 302, "admin": 302},
    "exchange_groups:cycle_questionnaire_publish": {"member": 403, "mod_a": 403},
    "exchange_groups:cycle_questionnaire_close": {"member": 403, "mod_a": 403},
    "exchange_groups:cycle_questionnaire_copy": {"member": 403, "mod_a": 403},
    "exchange_groups:practice_submit": {
        "plain": 403,
        "member": 403,
        "mod_a": 403,
        "mod_b": 403,
        "coord_a": 403,
        "admin": 403,
    },
    "learning:catalogue": {
        "anonymous": 302,
        "plain": 302,
        "member": 302,
        "mod_a": 302,
        "mod_b": 302,
        "coord_a": 302,
        "admin": 302,
    },
    "learning:my_course": {"plain": 403, "mod_a": 403, "mod_b": 403, "coord_a": 403, "admin": 403},
    "learning:course_enrol": {"plain": 302, "member": 302, "mod_a": 302, "mod_b": 302, "coord_a": 302, "admin": 302},
    "learning:course_enrol_others": {"admin": 200},
    "learning:pre_test": {"plain": 403, "member": 404, "mod_a": 403, "mod_b": 403, "coord_a": 403, "admin": 403},
    "learning:post_test": {"plain": 403, "member": 404, "mod_a": 403, "mod_b": 403, "coord_a": 403, "admin": 403},
    "learning:report": {"admin": 200},
    "learning:report_csv": {"admin": 200},
    "learning:report_list": {"admin": 200},
    "learning:attempt": {"plain": 405, "member": 405, "mod_a": 405, "mod_b": 405, "coord_a": 405, "admin": 405},
    "learning:certificate_pdf": {"admin": 200},
    "forums:space_forum": {"member": 302, "mod_a": 302, "coord_a": 302, "admin": 302},
    "forums:topic_new": {"admin": 403},
    "forums:post_edit": {"mod_a": 403, "coord_a": 403, "admin": 403},
    "forums:post": {"coord_a": 302, "admin": 302},
}
