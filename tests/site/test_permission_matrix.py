"""The permission matrix (issue 7): every URL pattern and WebSocket route, visited by seven personas.

Personas (tests/world.py): anonymous, plain (logged in, no membership), member (participant of the private
space A), moderator (of A), outsider (coordinator of the public space B, a stranger to A), coordinator (of A)
and administrator (superuser).

Rules checked (exchange_groups/spaces/permissions.py, forums/permissions.py, learning/permissions.py):
- every URL of the private space A is 404 for outsiders (anonymous, plain, outsider), never 403 and never a
  login redirect that would reveal it exists; member pages are 200 for members; coordinator pages are 403 for
  members and 200 for the coordinator and the superuser;
- login-required personal pages send the anonymous visitor to the login page (302);
- POST-only endpoints answer a GET with 405, or with a confirmation form; a GET never changes the database.

Excluded explicitly (not enumerated as rows): the Wagtail admin's internal routes (namespaces starting with
"wagtailadmin", "wagtail" admin sub-apps, and every pattern under /admin/ apart from /admin/ itself, which has
its own test), Wagtail documents' internal routes (namespace "wagtaildocs"), and Wagtail's catch-all
`wagtail_serve` page route (covered by the home page and the course pages instead). `test_every_route_has_a_row`
fails when a route is added without a row here.
"""

import asyncio
import contextlib
import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from exchange_groups.models import SpaceRole
from tests.site import matrix_data
from tests.site.matrix_data import OUTSIDERS, PERSONAS, RECORDED, SECRET_WORD, SPACE_A_NAME
from tests.world import world_for_module

LOGIN = "/konto/logowanie/"
ADMIN_LOGIN = "/konto/logowanie/"  # the Wagtail admin sends people to the one login page

# --- the world, built once per module -----------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once inside an outer transaction that is rolled back when the module ends (tests/world.py)."""
    with world_for_module(matrix_data.build_world, django_db_blocker, tmp_path_factory.mktemp("matrix-media")) as w:
        yield w


PERSONA_USER = {
    "redaktor": "redaktor",
    "koordynator_group": "koordynator_group",
    "anonymous": None,
    "plain": "plain",
    "member": "member",
    "moderator": "moderator",
    "outsider": "outsider",
    "coordinator": "coordinator",
    "administrator": "administrator",
}


def client_for(world, persona: str) -> Client:
    client = Client()
    key = PERSONA_USER.get(persona, persona)
    if key is not None:
        client.force_login(world[key])
    return client


# --- expectations ----------------------------------------------------------------------------------------

OK, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 302, 403, 404, 405


def everyone(status):
    return dict.fromkeys(PERSONAS, status)


def login_required(status=OK):
    return {**everyone(status), "anonymous": REDIRECT}


def space_a(member=OK, moderator=None, coordinator=OK, administrator=OK, outsiders=NOT_FOUND):
    """A URL of the private space A: outsiders 404, the rest as given (moderator like a member by default)."""
    return {
        **dict.fromkeys(OUTSIDERS, outsiders),
        "member": member,
        "moderator": member if moderator is None else moderator,
        "coordinator": coordinator,
        "administrator": administrator,
    }


def a_member_page():
    return space_a()


def a_coordinator_page():
    return space_a(member=FORBIDDEN)


def a_post_only():
    """A POST-only URL of A: outsiders still 404; insiders 405 on GET."""
    return space_a(member=NOT_ALLOWED, coordinator=NOT_ALLOWED, administrator=NOT_ALLOWED)


@dataclass
class Row:
    route: str
    kwargs: object  # callable(world) -> dict
    expected: dict
    query: str = ""
    label: str = ""

    @property
    def id(self):
        return self.label or self.route


def no_kwargs(world):
    return {}


def slug_a(world):
    return {"slug": world["private_space"].slug}


def slug_b(world):
    return {"slug": world["public_space"].slug}


def meeting_a(world):
    return {"slug": world["private_space"].slug, "pk": world["meeting"].pk}


def questionnaire_a(world):
    return {"slug": world["private_space"].slug, "pk": world["questionnaire"].pk}


def question_a(world):
    return {**questionnaire_a(world), "question_pk": world["question"].pk}


def course(world):
    return {"course_id": world["course"].pk}


def lesson(world):
    return {"lesson_id": world["lesson"].pk}


def topic(world):
    return {"topic_id": world["topic"].pk}


def topic_post(world):
    return {"topic_id": world["topic"].pk, "post_id": world["post"].pk}


EG = "exchange_groups:"

ROWS: list[Row] = [
    # --- site ---
    Row("health", no_kwargs, everyone(OK)),
    Row("set_language", no_kwargs, everyone(REDIRECT)),
    # Wagtail's own front-end utilities (the page catch-all itself is excluded, see the docstring).
    Row("wagtailcore_login", no_kwargs, everyone(OK)),
    Row(
        "wagtailcore_authenticate_with_password",
        lambda w: {"page_view_restriction_id": 999999, "page_id": w["course"].pk},
        everyone(NOT_FOUND),
    ),
    # --- accounts ---
    Row(EG + "register", no_kwargs, everyone(OK)),
    Row(EG + "register_done", no_kwargs, everyone(OK)),
    Row(EG + "confirm_email", lambda w: {"token": "zly-token"}, everyone(OK)),
    Row(EG + "resend_confirmation", no_kwargs, everyone(OK)),
    Row(EG + "resend_confirmation_done", no_kwargs, everyone(OK)),
    Row(EG + "login", no_kwargs, everyone(OK)),
    Row(EG + "logout", no_kwargs, everyone(NOT_ALLOWED)),
    Row(EG + "password_reset", no_kwargs, everyone(OK)),
    Row(EG + "password_reset_done", no_kwargs, everyone(OK)),
    Row(EG + "password_reset_complete", no_kwargs, everyone(OK)),
    Row(EG + "password_reset_confirm", lambda w: {"uidb64": "MQ", "token": "zly-token"}, everyone(OK)),
    Row(EG + "password_change", no_kwargs, login_required()),
    Row(EG + "profile", no_kwargs, login_required()),
    Row(EG + "consent_withdraw", lambda w: {"purpose": "terms"}, login_required(NOT_ALLOWED)),
    Row(EG + "consent_give", lambda w: {"purpose": "terms"}, login_required(NOT_ALLOWED)),
    Row(EG + "privacy_notice", no_kwargs, everyone(OK)),
    Row(EG + "terms", no_kwargs, everyone(OK)),
    # --- registry ---
    Row(EG + "unit_search", no_kwargs, everyone(OK)),
    # --- spaces ---
    Row(EG + "space_list", no_kwargs, everyone(OK)),
    Row(EG + "my_spaces", no_kwargs, login_required()),
    Row(EG + "invitation", lambda w: {"token": w["invitation"].raw_token}, everyone(OK)),
    Row(EG + "space_detail", slug_a, a_member_page()),
    Row(EG + "space_detail", slug_b, everyone(OK), label=EG + "space_detail[B]"),
    Row(EG + "space_members", slug_a, a_member_page()),
    Row(
        EG + "space_members",
        slug_b,
        {**everyone(FORBIDDEN), "anonymous": REDIRECT, "outsider": OK, "administrator": OK},
        label=EG + "space_members[B]",
    ),
    Row(EG + "space_join", slug_a, a_post_only()),
    Row(EG + "space_join_withdraw", slug_a, a_post_only()),
    Row(EG + "space_leave", slug_a, a_post_only()),
    Row(EG + "space_manage", slug_a, a_coordinator_page()),
    Row(EG + "space_manage_history", slug_a, a_coordinator_page()),
    Row(EG + "space_manage_invite", slug_a, a_post_only()),
    Row(EG + "space_manage_add", slug_a, a_post_only()),
    Row(EG + "space_manage_request_accept", lambda w: {**slug_a(w), "pk": w["join_request"].pk}, a_post_only()),
    Row(EG + "space_manage_request_decline", lambda w: {**slug_a(w), "pk": w["join_request"].pk}, a_post_only()),
    Row(EG + "space_manage_invitation_revoke", lambda w: {**slug_a(w), "pk": w["invitation"].pk}, a_post_only()),
    Row(EG + "space_manage_member_role", lambda w: {**slug_a(w), "pk": w["membership_member"].pk}, a_post_only()),
    Row(EG + "space_manage_member_remove", lambda w: {**slug_a(w), "pk": w["membership_member"].pk}, a_post_only()),
    # --- meetings ---
    Row(EG + "meeting_list", slug_a, a_member_page()),
    Row(EG + "meeting_create", slug_a, a_coordinator_page()),
    Row(EG + "meeting_detail", meeting_a, a_member_page()),
    Row(EG + "meeting_register", meeting_a, a_post_only()),
    Row(EG + "meeting_unregister", meeting_a, a_post_only()),
    Row(EG + "meeting_edit", meeting_a, a_coordinator_page()),
    Row(EG + "meeting_cancel", meeting_a, a_coordinator_page()),
    Row(EG + "meeting_attendance", meeting_a, a_coordinator_page()),
    Row(EG + "meeting_minutes", meeting_a, a_coordinator_page()),
    Row(EG + "meeting_material_add", meeting_a, a_coordinator_page()),
    Row(
        EG + "meeting_material_download",
        lambda w: {**meeting_a(w), "material_pk": w["material"].pk},
        a_member_page(),
    ),
    Row(
        EG + "meeting_material_remove",
        lambda w: {**meeting_a(w), "material_pk": w["material"].pk},
        a_post_only(),
    ),
    Row(EG + "meeting_ics", meeting_a, a_member_page()),
    Row(EG + "my_meetings", no_kwargs, login_required()),
    Row(EG + "calendar_feed_create", no_kwargs, login_required(NOT_ALLOWED)),
    Row(EG + "calendar_feed_revoke", no_kwargs, login_required(NOT_ALLOWED)),
    Row(EG + "calendar_feed", lambda w: {"token": w["feed_token"]}, everyone(OK)),
    Row(EG + "calendar_feed", lambda w: {"token": "zly-token"}, everyone(NOT_FOUND), label=EG + "calendar_feed[bad]"),
    # --- cycle ---
    Row(EG + "cycle_work_plan", slug_a, a_member_page()),
    Row(EG + "cycle_work_plan_item_add", slug_a, a_coordinator_page()),
    Row(EG + "cycle_work_plan_item_edit", lambda w: {**slug_a(w), "item_pk": w["plan_item"].pk}, a_coordinator_page()),
    Row(EG + "cycle_work_plan_item_remove", lambda w: {**slug_a(w), "item_pk": w["plan_item"].pk}, a_post_only()),
    Row(EG + "cycle_work_plan_item_move", lambda w: {**slug_a(w), "item_pk": w["plan_item"].pk}, a_post_only()),
    Row(EG + "cycle_questionnaires", slug_a, a_member_page()),
    Row(EG + "cycle_questionnaire_new", slug_a, a_coordinator_page()),
    Row(EG + "cycle_questionnaire", questionnaire_a, a_member_page()),
    Row(EG + "cycle_questionnaire_edit", questionnaire_a, a_coordinator_page()),
    Row(EG + "cycle_question_add", questionnaire_a, a_coordinator_page()),
    Row(EG + "cycle_question_edit", question_a, a_coordinator_page()),
    Row(EG + "cycle_question_remove", question_a, a_post_only()),
    Row(EG + "cycle_question_move", question_a, a_post_only()),
    Row(EG + "cycle_choice_add", question_a, a_post_only()),
    Row(EG + "cycle_choice_remove", lambda w: {**questionnaire_a(w), "choice_pk": w["choice"].pk}, a_post_only()),
    Row(EG + "cycle_questionnaire_publish", questionnaire_a, a_post_only()),
    Row(EG + "cycle_questionnaire_close", questionnaire_a, a_post_only()),
    Row(EG + "cycle_questionnaire_copy", questionnaire_a, a_post_only()),
    Row(EG + "cycle_results", questionnaire_a, a_coordinator_page()),
    Row(EG + "cycle_results_csv", questionnaire_a, a_coordinator_page()),
    Row(EG + "cycle_comparison", slug_a, a_coordinator_page()),
    # --- library ---
    Row(EG + "library", slug_a, a_member_page()),
    Row(EG + "resource_add", slug_a, a_member_page()),
    Row(EG + "resource_edit", lambda w: {**slug_a(w), "pk": w["resource"].pk}, a_coordinator_page()),
    Row(EG + "resource_delete", lambda w: {**slug_a(w), "pk": w["resource"].pk}, a_coordinator_page()),
    Row(EG + "resource_download", lambda w: {**slug_a(w), "pk": w["resource"].pk}, a_member_page()),
    # --- good practices ---
    Row(EG + "practice_submit", no_kwargs, login_required()),
    Row(EG + "my_practice_submissions", no_kwargs, login_required()),
    # --- learning ---
    Row("learning:catalogue", no_kwargs, everyone(OK)),
    Row("learning:my_learning", no_kwargs, login_required()),
    Row("learning:my_course", course, {**login_required(NOT_FOUND), "member": OK}),
    Row("learning:course_enrol", course, login_required(NOT_ALLOWED)),
    Row("learning:course_enrol_others", course, login_required(FORBIDDEN)),
    Row("learning:course_finish", course, login_required(NOT_ALLOWED)),
    Row("learning:pre_test", course, login_required()),
    Row("learning:post_test", course, login_required()),
    Row("learning:report", course, login_required(FORBIDDEN)),
    Row("learning:report_csv", course, login_required(FORBIDDEN)),
    Row("learning:report_list", no_kwargs, login_required(FORBIDDEN)),
    Row("learning:lesson_complete", lesson, login_required(NOT_ALLOWED)),
    Row("learning:reflection_save", lambda w: {**lesson(w), "block_id": "r1"}, login_required(NOT_ALLOWED)),
    Row("learning:quiz_start", lambda w: {**lesson(w), "quiz_id": "quiz1"}, login_required(NOT_ALLOWED)),
    Row("learning:attempt", lambda w: {"attempt_id": w["attempt"].pk}, {**login_required(NOT_FOUND), "member": OK}),
    Row("learning:certificate_pdf", lambda w: {"pk": w["certificate"].pk}, {**login_required(NOT_FOUND), "member": OK}),
    Row("learning:verify", no_kwargs, everyone(OK)),
    Row("learning:verify_code", lambda w: {"code": w["certificate"].code}, everyone(OK)),
    # --- forums ---
    Row("forums:index", no_kwargs, login_required()),
    Row("forums:search", no_kwargs, login_required()),
    Row("forums:space_forum", slug_a, a_member_page()),
    Row("forums:forum", lambda w: {"forum_id": w["forum"].pk}, a_member_page()),
    Row("forums:mentions", lambda w: {"forum_id": w["forum"].pk}, a_member_page()),
    Row("forums:category", lambda w: {"forum_id": w["forum"].pk, "category_slug": w["category"].slug}, a_member_page()),
    Row(
        "forums:topic_new",
        lambda w: {"forum_id": w["forum"].pk, "category_slug": w["category"].slug},
        a_member_page(),
    ),
    Row(
        "forums:category_watch",
        lambda w: {"forum_id": w["forum"].pk, "category_slug": w["category"].slug},
        a_post_only(),
    ),
    Row("forums:topic", topic, a_member_page()),
    Row("forums:reply", topic, a_post_only()),
    Row("forums:topic_watch", topic, a_post_only()),
    Row("forums:topic_mark_read", topic, a_post_only()),
    Row("forums:topic_since", lambda w: {**topic(w), "seq": 0}, a_member_page()),
    Row("forums:post_edit", topic_post, space_a(moderator=OK, member=OK)),
    Row("forums:post_history", topic_post, a_member_page()),
    Row("forums:post_like", topic_post, a_post_only()),
    Row("forums:post", lambda w: {"post_id": w["post"].pk}, space_a(member=REDIRECT)),
    Row("forums:attachment", lambda w: {"attachment_id": w["attachment"].pk}, a_member_page()),
    # --- forum moderation ---
    Row("forums:my_reports", no_kwargs, login_required()),
    Row("forums:deleted_topics", no_kwargs, {**login_required(FORBIDDEN), "administrator": OK}),
    Row("forums:topic_pin", topic, a_post_only()),
    Row("forums:topic_lock", topic, space_a(member=FORBIDDEN, moderator=OK)),
    Row("forums:topic_move", topic, space_a(member=FORBIDDEN, moderator=OK)),
    Row("forums:topic_delete", topic, space_a(member=FORBIDDEN, moderator=OK)),
    Row("forums:topic_restore", topic, a_post_only()),
    Row("forums:topic_slow_mode", topic, space_a(member=FORBIDDEN, moderator=OK)),
    Row("forums:post_hide", topic_post, space_a(member=FORBIDDEN, moderator=OK)),
    Row("forums:post_restore", topic_post, a_post_only()),
    Row("forums:post_moderate", topic_post, space_a(member=FORBIDDEN, moderator=OK)),
    # the member wrote the post: reporting one's own post is refused
    Row("forums:post_report", topic_post, space_a(member=FORBIDDEN, moderator=OK)),
    Row("forums:report_queue", lambda w: {"forum_id": w["forum"].pk}, space_a(member=FORBIDDEN, moderator=OK)),
    Row(
        "forums:report_decide",
        lambda w: {"forum_id": w["forum"].pk, "post_id": w["post"].pk},
        a_post_only(),
    ),
    Row("forums:moderation_log", lambda w: {"forum_id": w["forum"].pk}, space_a(member=FORBIDDEN, moderator=OK)),
    Row("forums:public_log", lambda w: {"forum_id": w["forum"].pk}, a_member_page()),
    Row("forums:forum_settings", lambda w: {"forum_id": w["forum"].pk}, space_a(member=FORBIDDEN, moderator=FORBIDDEN)),
    Row("forums:sanctions", lambda w: {"forum_id": w["forum"].pk}, space_a(member=FORBIDDEN, moderator=OK)),
    Row(
        "forums:sanction_lift",
        lambda w: {"forum_id": w["forum"].pk, "sanction_id": w["sanction"].pk},
        a_post_only(),
    ),
    # --- debates ---
    # The summary form: the debate is public, so a refusal is a 403 with the reason (moderator of the debate:
    # the moderator; editors: the superuser); the print view and the PDF of a published summary are public.
    Row(
        "debates:summary_edit",
        lambda w: {"debate_id": w["debate"].pk},
        {**login_required(FORBIDDEN), "moderator": OK, "administrator": OK},
    ),
    Row("debates:summary_print", lambda w: {"debate_id": w["debate"].pk}, everyone(OK)),
    Row("debates:summary_pdf", lambda w: {"debate_id": w["debate"].pk}, everyone(OK)),
    # --- notifications ---
    Row("notifications:list", no_kwargs, login_required()),
    Row("notifications:unread", no_kwargs, login_required()),
    Row("notifications:mark_all_read", no_kwargs, login_required(NOT_ALLOWED)),
    Row("notifications:preferences", no_kwargs, login_required()),
    Row("notifications:detail", lambda w: {"pk": w["notification"].pk}, {**login_required(NOT_FOUND), "member": OK}),
    Row("notifications:open", lambda w: {"pk": w["notification"].pk}, login_required(NOT_ALLOWED)),
    Row("notifications:unsubscribe", lambda w: {"token": w["unsubscribe_token"]}, everyone(OK)),
    Row(
        "notifications:unsubscribe",
        lambda w: {"token": "zly-token"},
        everyone(400),
        label="notifications:unsubscribe[bad]",
    ),
]

# --- enumeration of the routes ---------------------------------------------------------------------------

EXCLUDED_NAMESPACE_PREFIXES = ("wagtailadmin", "wagtaildocs", "wagtailsnippets", "wagtailimages", "wagtailusers")
EXCLUDED_NAMES = {"wagtail_serve", "wagtailsearch_admin"}


def _walk(patterns, namespace="", prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith(("admin/", "dokumenty/")):
                continue  # the Wagtail admin and documents: excluded (see the module docstring)
            ns = pattern.namespace
            if ns and ns.startswith(EXCLUDED_NAMESPACE_PREFIXES):
                continue
            inner = f"{namespace}{ns}:" if ns else namespace
            yield from _walk(pattern.url_patterns, inner, route)
        elif isinstance(pattern, URLPattern):
            if pattern.name in EXCLUDED_NAMES or route.startswith(settings.MEDIA_URL.lstrip("/")):
                continue
            yield f"{namespace}{pattern.name}" if pattern.name else route


def enumerated_routes() -> set[str]:
    return set(_walk(get_resolver().url_patterns))


def websocket_routes() -> set[str]:
    from oswiata_site.routing import websocket_urlpatterns

    return {str(pattern.pattern) for pattern in websocket_urlpatterns}


# A socket of space A (private): members, its moderators, its coordinator and administrators are accepted.
SPACE_A_SOCKET = {**dict.fromkeys(PERSONAS, True), **dict.fromkeys(OUTSIDERS, 4403), "anonymous": 4401}

WEBSOCKET_ROWS = {
    # route pattern -> expected per persona: True (accepted) or a close code
    "ws/konto/": {**dict.fromkeys(PERSONAS, True), "anonymous": 4401},
    "ws/fora/watki/<int:topic_id>/": SPACE_A_SOCKET,
    "ws/fora/<int:forum_id>/": SPACE_A_SOCKET,
}


def test_every_route_has_a_row():
    assert enumerated_routes() == {row.route for row in ROWS}


def test_every_websocket_route_has_a_row():
    assert websocket_routes() <= set(WEBSOCKET_ROWS)


# --- the HTTP matrix -------------------------------------------------------------------------------------


def _cases():
    for row in ROWS:
        for persona in PERSONAS:
            yield pytest.param(row, persona, id=f"{row.id}-{persona}")


WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE")


# Wagtail's own bookkeeping, not ours: the user bar on every page creates an administrator's admin profile
# (preferences for the Wagtail admin) the first time it is shown.
BOOKKEEPING_TABLES = ('"wagtailusers_userprofile"',)


def _writes(queries) -> list[str]:
    """The statements among captured queries that change a table, whichever app owns it."""
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(WRITE_VERBS)
        and not any(table in q["sql"].split("(")[0] for table in BOOKKEEPING_TABLES)
    ]


@contextlib.contextmanager
def no_writes(what: str):
    """Fails if anything inside writes to the database (any INSERT/UPDATE/DELETE of any app).

    Captured queries replace row counts of chosen tables: every app is watched (sessions included: a GET must
    not even refresh a session), and nothing is counted twice per case."""
    with CaptureQueriesContext(connection) as captured:
        yield
    writes = _writes(captured.captured_queries)
    assert writes == [], f"{what} changed the database: {writes[:3]}"


@pytest.mark.django_db
def test_no_writes_catches_a_write_of_any_app(world):
    """The write detector itself: a session row (an app no list names) written inside it fails the check."""
    from django.contrib.sessions.backends.db import SessionStore

    with pytest.raises(AssertionError, match="changed the database"), no_writes("saving a session"):
        SessionStore().create()


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "persona"), list(_cases()))
def test_route_answers_persona_as_expected(world, row, persona):
    url = reverse(row.route, kwargs=row.kwargs(world)) + row.query
    client = client_for(world, persona)
    with no_writes(f"GET {url} as {persona}"):
        response = client.get(url)
    expected = {**row.expected, **RECORDED.get(row.id, {})}[persona]
    assert response.status_code == expected, f"GET {url} as {persona}"
    if persona == "anonymous" and row.expected["anonymous"] == REDIRECT and row.route != "set_language":
        assert response["Location"].startswith(LOGIN)


# Rows of the private space A: 404 for every outsider, something else for its member.
PRIVATE_SPACE_ROWS = [
    r for r in ROWS if all(r.expected[p] == NOT_FOUND for p in OUTSIDERS) and r.expected["member"] != NOT_FOUND
]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", OUTSIDERS)
@pytest.mark.parametrize("row", PRIVATE_SPACE_ROWS, ids=lambda r: r.id)
def test_outsiders_post_to_private_space_gets_404_and_changes_nothing(world, row, persona):
    url = reverse(row.route, kwargs=row.kwargs(world))
    client = client_for(world, persona)
    data = {"role": SpaceRole.COORDINATOR, "reason": "x", "title": "x", "body": "x"}
    with no_writes(f"POST {url} as {persona}"):
        response = client.post(url, data)
    assert response.status_code == NOT_FOUND


@pytest.mark.django_db
def test_lists_show_space_a_to_its_member(world):
    """The control of the test below: the markers it looks for do appear to someone allowed to see them."""
    client = client_for(world, "member")
    assert SPACE_A_NAME in client.get(reverse("exchange_groups:my_spaces")).content.decode()
    assert matrix_data.TOPIC_TITLE in client.get(reverse("forums:search") + f"?q={SECRET_WORD}").content.decode()


# --- WebSocket routes --------------------------------------------------------------------------------------


def _websocket_path(pattern: str, world) -> str:
    path = re.sub(r"<int:topic_id>", str(world["topic"].pk), pattern)
    return "/" + re.sub(r"<int:forum_id>", str(world["forum"].pk), path).lstrip("/")


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", sorted(WEBSOCKET_ROWS))
def test_websocket_route_closes_anonymous_socket_with_4401(world, pattern):
    """Logged-in personas of the WebSocket rows need a transactional database (see tests/site/test_websockets.py);
    the module's shared world lives in one transaction, so here only the anonymous column is exercised."""
    from channels.testing import WebsocketCommunicator

    from oswiata_site.asgi import application

    assert pattern in websocket_routes(), f"{pattern} has a row but is not routed: remove the row"

    async def connect():
        headers = [(b"origin", b"http://127.0.0.1:8000"), (b"host", b"127.0.0.1:8000")]
        communicator = WebsocketCommunicator(application, _websocket_path(pattern, world), headers=headers)
        connected, code = await communicator.connect(timeout=3)
        if connected:
            await communicator.disconnect()
        return connected, code

    connected, code = asyncio.run(connect())
    assert (connected, code) == (False, WEBSOCKET_ROWS[pattern]["anonymous"])


# --- the Wagtail admin's front door ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 302), ("plain", 302), ("redaktor", 200), ("koordynator_group", 200), ("administrator", 200)],
)
def test_admin_front_door_answers_persona_as_expected(world, persona, expected):
    response = client_for(world, persona).get("/admin/")
    assert response.status_code == expected
    if persona == "anonymous":
        assert response["Location"].startswith(ADMIN_LOGIN)


# --- lists agree with details -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["plain", "outsider"])
def test_lists_never_show_what_details_refuse(world, persona):
    client = client_for(world, persona)
    pages = [
        reverse("exchange_groups:space_list"),
        "/",
        reverse("exchange_groups:my_spaces"),
        reverse("exchange_groups:my_meetings"),
        reverse("forums:index"),
        reverse("forums:search") + f"?q={SECRET_WORD}",
        reverse("learning:catalogue"),
        "/dobre-praktyki/",
    ]
    # The search page repeats the query, so the markers are the space's name, the topic's title, the post's
    # sentence and the meeting's title, never the bare query word.
    markers = (SPACE_A_NAME, matrix_data.TOPIC_TITLE, f"Tekst o {SECRET_WORD}", f"Spotkanie {SECRET_WORD}")
    seen = {}
    for url in pages:
        response = client.get(url, follow=True)
        assert response.status_code in (200, 404), url
        text = response.content.decode()
        seen[url] = [marker for marker in markers if marker in text]
    assert seen == {url: [] for url in pages}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_wagtail_pages_home_and_course_answer_everyone(world, persona):
    """Wagtail's catch-all page route, excluded from the table, is covered by the home page and a course page."""
    client = client_for(world, persona)
    assert client.get("/").status_code == OK
    assert client.get(world["course"].url).status_code == OK


# --- CSRF on every state change ------------------------------------------------------------------------

# RFC 8058: a mail client posts "List-Unsubscribe=One-Click" without a session or a token.
CSRF_EXEMPT = {"notifications:unsubscribe"}
TYPED = "Wniosek o zwiększenie subwencji na dowozy – pisany przez godzinę"


def _csrf_exempt_routes() -> set[str]:
    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace
                if ns and ns.startswith(EXCLUDED_NAMESPACE_PREFIXES) or str(pattern.pattern).startswith("admin/"):
                    continue
                yield from walk(pattern.url_patterns, f"{namespace}{ns}:" if ns else namespace)
            elif getattr(pattern.callback, "csrf_exempt", False):
                yield f"{namespace}{pattern.name}"

    return set(walk(get_resolver().url_patterns))


def test_only_the_one_click_unsubscribe_is_exempt_from_csrf():
    assert _csrf_exempt_routes() == CSRF_EXEMPT


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["administrator", "anonymous"])
@pytest.mark.parametrize("row", [r for r in ROWS if r.route not in CSRF_EXEMPT], ids=lambda r: r.id)
def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(world, row, persona):
    url = reverse(row.route, kwargs=row.kwargs(world)) + row.query
    client = Client(enforce_csrf_checks=True)
    if persona != "anonymous":
        client.force_login(world[persona])
    with no_writes(f"POST {url} as {persona} without a token"):
        response = client.post(
            url, {"body": TYPED, "title": TYPED, "password": "Tajne-Haslo-2026"}, HTTP_ORIGIN="http://testserver"
        )
    assert response.status_code == 403, f"POST {url} as {persona} without a token"
    html = response.content.decode()
    assert 'id="typed-heading"' in html and TYPED in html, "the refusal page must give back what was typed"
    assert "Tajne-Haslo-2026" not in html


@pytest.mark.django_db
def test_the_refusal_page_names_the_fields_in_words(world):
    client = Client(enforce_csrf_checks=True)
    url = reverse("exchange_groups:login")
    response = client.post(
        url, {"username": "jan@gmina.example.pl", "body": TYPED}, HTTP_REFERER=f"http://testserver{url}"
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "jan@gmina.example.pl" in html and TYPED in html
    assert "„username”" not in html and "“username”" not in html
    assert "Adres e-mail" in html or "E-mail address" in html


@pytest.mark.django_db
def test_a_forged_post_from_another_site_is_refused_without_echo(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["member"])
    url = reverse("forums:reply", kwargs=topic(world))
    response = client.post(url, {"body": TYPED}, HTTP_ORIGIN="https://zlosliwa.example.com")
    assert response.status_code == 403
    html = response.content.decode()
    assert TYPED not in html
    assert "Nie udało się wysłać formularza" in html or "The form could not be sent" in html
