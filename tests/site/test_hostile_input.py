"""Hostile input on every text field users fill (issue 7).

Each case POSTs one payload into one field of a form (all other fields valid), as the persona allowed to use the
form, and expects either a validation error re-rendered (the error summary) or the value stored; a stored value
is then fetched on the page that shows it, which must show it escaped: no raw <script>, no event handler
attribute, no javascript: link, template syntax shown as typed, never a NUL byte in the database. Search
queries (GET) are echoed back escaped. No case may answer 500.

Run once on PostgreSQL as well (it refuses NUL bytes in text):
DATABASE_URL=postgres://postgres@127.0.0.1:5432/oswiata_hostile .venv/bin/pytest -q tests/site/test_hostile_input.py
"""

import datetime
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from exchange_groups.accounts import services
from exchange_groups.library import services as library
from exchange_groups.models import (
    Answer,
    JoinRequest,
    Meeting,
    MeetingMode,
    PositionCategory,
    Profile,
    Question,
    Questionnaire,
    QuestionnaireKind,
    Resource,
    ResourceKind,
    SpaceRole,
    UnitKind,
    User,
    WorkPlan,
    WorkPlanItem,
    WorkPlanItemKind,
)
from exchange_groups.models import Choice as QuestionChoice
from tests import world as shared
from tests.exchange_groups.cycle_support import build_questionnaire
from tests.exchange_groups.meetings_helpers import in_days
from tests.factories import TerritorialUnitFactory

# --- payloads ---------------------------------------------------------------------------------------------

PAYLOADS = {
    "long": ("Zażółć gęślą jaźń. " * 211)[:4000],
    "control": "\x00\x07\x1b",
    "zero_width": "\u200b\u200d\ufeff",
    "rtl_override": "\u202eabc.exe",
    "diacritics": "Zażółć gęślą jaźń ŻÓŁĆ",
    "template": "{{ 7*7 }} {% now 'Y' %} ${7*7}",
    "script": "<script>alert(1)</script>",
    "img_onerror": "<img src=x onerror=alert(1)>",
    "svg_onload": '"><svg onload=alert(1)>',
    "js_url": "javascript:alert(1)",
}

UNSAFE_PATTERNS = [
    re.compile(r"<script>alert\(1\)", re.I),
    re.compile(r"<img\b[^>]*\bonerror\s*=", re.I),
    re.compile(r"<svg\b[^>]*\bonload\s*=", re.I),
    re.compile(r"""\b(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I),
]


def marker_for(form: str, name: str, payload_id: str) -> str:
    """A word that finds the stored row again (letters only, so no form strips or changes it)."""
    return "Wrogi" + re.sub(r"[^A-Za-z]", "", f"{form}{name}{payload_id}".title())


def assert_safe_html(html: str, where: str, *, nul_allowed: bool = False):
    """`nul_allowed`: a re-rendered invalid form gives back what was typed (the browser shows U+FFFD)."""
    if not nul_allowed:
        assert "\x00" not in html, f"{where}: a NUL byte is in the page"
    for pattern in UNSAFE_PATTERNS:
        match = pattern.search(html)
        assert match is None, f"{where}: unescaped payload {match.group(0)!r} in the page"


def assert_shown_as_typed(html: str, payload_id: str, stored_texts: list[str], where: str):
    """Template syntax that was stored is shown as text, never evaluated (Markdown may still turn `*7*` into
    emphasis, so only the braces are looked for)."""
    if payload_id == "template" and any("{{ 7*7 }}" in text for text in stored_texts):
        assert "{{ 7" in html, f"{where}: the template syntax was evaluated or dropped"
        assert "{% now" in html, f"{where}: the template tag was evaluated or dropped"


# --- the world ----------------------------------------------------------------------------------------------

# tests/world.py's personas, and the newcomer who registers (logged in as the account a REGISTER case made).
PERSONAS = (*shared.PERSONAS, "newcomer")


def build_world() -> dict:
    """The shared world (tests/world.py) and what the forms need besides: a JST in everyone's profile, a meeting
    already held (its minutes), a draft questionnaire, the member's library link and the good-practice base."""
    from exchange_groups.practices import services as practice_services

    w = shared.build_world()
    space, coordinator = w["private_space"], w["coordinator"]
    w["unit"] = TerritorialUnitFactory(code="0619032", kind=UnitKind.RURAL_GMINA, name="Hańsk")
    for persona in ("coordinator", "moderator", "member", "outsider", "plain"):
        Profile.objects.filter(user=w[persona]).update(
            unit=w["unit"],
            position_category=PositionCategory.EDUCATION_DEPARTMENT,
            job_title="Inspektor ds. oświaty",
        )
    # A meeting already held: its minutes can be written.
    w["held_meeting"] = shared.make_meeting(coordinator, space, title="Spotkanie odbyte", days=10, agenda="")
    Meeting.objects.filter(pk=w["held_meeting"].pk).update(starts_at=in_days(-3, 10), ends_at=in_days(-3, 14))
    w["draft"], w["draft_questions"] = build_questionnaire(space, coordinator, publish=False, title="Szkic ankiety")
    w["resource"] = library.add_resource(
        w["member"], space, kind=ResourceKind.LINK, title="Raport NIK", url="https://www.nik.gov.pl/raport"
    )
    w["practice_index"] = practice_services.ensure_good_practice_index(Site.objects.get(is_default_site=True).root_page)
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once inside an outer transaction rolled back at the end; each test nests in a savepoint."""
    with shared.world_for_module(build_world, django_db_blocker, tmp_path_factory.mktemp("hostile-media")) as w:
        yield w


def client_for(world, persona: str | None) -> Client:
    client = Client()
    if persona in world and persona != "anonymous":
        client.force_login(world[persona])
    return client


# --- the forms ----------------------------------------------------------------------------------------------


@dataclass
class Form:
    """A user-filled form: where it posts, as whom, its valid data and where a stored value shows."""

    name: str
    persona: str
    url: Callable[[dict], str]
    data: Callable[[dict], dict]
    model: type
    # A stored object (found by the marker) -> the page showing it, and who looks at it.
    show: Callable[[dict, object], str] | None = None
    show_persona: str | None = None
    method: str = "post"
    # Statuses that count as a clear refusal of the input besides a re-rendered form (e.g. 400 with a message).
    refusal_statuses: tuple = ()
    # Shown as HTML after sanitizing (Markdown, rich text): the stored HTML column to check as well.
    html_column: str | None = None


@dataclass
class FieldCase:
    form: Form
    field: str
    column: str = ""  # model lookup path of the stored text; "" for GET searches
    is_url: bool = False
    shown: bool = True  # the page `show` shows this field (the marker must appear in it)
    # Ordinary Polish text is accepted (proves the rest of the form's data is valid, so that a refusal of a
    # hostile payload is a refusal of that payload).
    takes_text: bool = True
    extra: dict = field(default_factory=dict)


def _space(w):
    return w["private_space"].slug


def _meeting_data(w):
    return {
        "title": "Spotkanie robocze",
        "mode": MeetingMode.IN_PERSON,
        "starts_at": (timezone.now() + datetime.timedelta(days=20)).strftime("%Y-%m-%dT10:00"),
        "ends_at": (timezone.now() + datetime.timedelta(days=20)).strftime("%Y-%m-%dT12:00"),
        "venue": "Urząd Gminy",
        "address": "ul. Długa 1, 22-540 Hańsk",
        "online_link": "",
        "link_visible_minutes_before": "60",
        "agenda": "1. Otwarcie",
        "capacity": "",
        "registration_deadline": "",
    }


def _meeting_detail(w, obj):
    return reverse("exchange_groups:meeting_detail", kwargs={"slug": _space(w), "pk": obj.pk})


def _registration_data(w):
    return {
        "email": f"nowa.osoba.{uuid.uuid4().hex[:8]}@gmina.example.pl",
        "password1": "Inne-Bezpieczne-Haslo-2026!",
        "password2": "Inne-Bezpieczne-Haslo-2026!",
        "first_name": "Jan",
        "last_name": "Nowakowski",
        "unit": str(w["unit"].pk),
        "position_category": PositionCategory.EDUCATION_DEPARTMENT,
        "job_title": "Naczelnik wydziału oświaty",
        "organisation": "",
        "consent_privacy_notice": "on",
        "consent_terms": "on",
        "consent_project_reporting": "on",
    }


def _profile_data(w):
    data = _registration_data(w)
    return {
        name: data[name]
        for name in ("first_name", "last_name", "unit", "position_category", "job_title", "organisation")
    }


def _questionnaire_edit(w, obj):
    return reverse("exchange_groups:cycle_questionnaire_edit", kwargs={"slug": _space(w), "pk": w["draft"].pk})


def _work_plan(w, obj):
    return reverse("exchange_groups:cycle_work_plan", kwargs={"slug": _space(w)})


def _library(w, obj):
    return reverse("exchange_groups:library", kwargs={"slug": _space(w)})


def _topic_page(w, obj):
    topic = obj if obj.__class__.__name__ == "Topic" else obj.topic
    return reverse("forums:topic", kwargs={"topic_id": topic.pk})


def _practice_data(w):
    return {
        "title": "Centrum usług wspólnych dla szkół",
        "unit": w["unit"].code,
        "period_start": "2018/2019",
        "period_end": "",
        "summary": "Księgowość i kadry szkół w jednym miejscu.",
        "local_context": "Siedem szkół podstawowych.",
        "problem": "Dyrektorzy zajmowali się administracją.",
        "solution": "Centrum usług wspólnych.",
        "who_did_what": "",
        "effects": "",
        "cost": "",
        "why_promote": "",
        "replication_advice": "",
        "contact_name": "Anna Nowak",
        "contact_role": "",
        "contact_email": "anna.nowak@gmina.example.pl",
        "contact_phone": "",
        "publication_consent": "on",
        "submission_key": str(uuid.uuid4()),
    }


def _answer_data(w):
    questions = w["questions"]
    return {
        f"q{questions['single'].pk}": str(questions["single"].choices.first().pk),
        f"q{questions['multiple'].pk}": str(questions["multiple"].choices.first().pk),
        f"q{questions['scale'].pk}": "3",
        f"q{questions['open'].pk}": "Więcej spotkań.",
    }


REGISTER = Form(
    "register",
    "anonymous",
    lambda w: reverse("exchange_groups:register"),
    _registration_data,
    User,
    show=lambda w, obj: reverse("exchange_groups:profile"),
    show_persona="newcomer",
)
PROFILE = Form(
    "profile",
    "member",
    lambda w: reverse("exchange_groups:profile"),
    _profile_data,
    User,
    show=lambda w, obj: reverse("exchange_groups:profile"),
)
JOIN = Form(
    "join",
    "plain",
    lambda w: reverse("exchange_groups:space_join", kwargs={"slug": w["public_space"].slug}),
    lambda w: {"message": "Proszę o przyjęcie."},
    JoinRequest,
    show=lambda w, obj: reverse("exchange_groups:space_manage", kwargs={"slug": w["public_space"].slug}),
    show_persona="outsider",
)
INVITE = Form(
    "invite",
    "coordinator",
    lambda w: reverse("exchange_groups:space_manage_invite", kwargs={"slug": _space(w)}),
    lambda w: {"email": "zaproszona@gmina.example.pl", "role": SpaceRole.PARTICIPANT},
    User,
)
MEETING_NEW = Form(
    "meeting_create",
    "coordinator",
    lambda w: reverse("exchange_groups:meeting_create", kwargs={"slug": _space(w)}),
    _meeting_data,
    Meeting,
    show=_meeting_detail,
)
MEETING_EDIT = Form(
    "meeting_edit",
    "coordinator",
    lambda w: reverse("exchange_groups:meeting_edit", kwargs={"slug": _space(w), "pk": w["meeting"].pk}),
    _meeting_data,
    Meeting,
    show=_meeting_detail,
)
MINUTES = Form(
    "minutes",
    "coordinator",
    lambda w: reverse("exchange_groups:meeting_minutes", kwargs={"slug": _space(w), "pk": w["held_meeting"].pk}),
    lambda w: {"minutes": "Ustalono terminy."},
    Meeting,
    show=_meeting_detail,
    show_persona="member",
)
WORK_PLAN = Form(
    "work_plan",
    "coordinator",
    lambda w: reverse("exchange_groups:cycle_work_plan", kwargs={"slug": _space(w)}),
    lambda w: {"goals": "Diagnoza potrzeb", "themes": "Finansowanie"},
    WorkPlan,
    show=_work_plan,
    show_persona="member",
)
WORK_PLAN_ITEM = Form(
    "work_plan_item",
    "coordinator",
    lambda w: reverse("exchange_groups:cycle_work_plan_item_add", kwargs={"slug": _space(w)}),
    lambda w: {
        "kind": WorkPlanItemKind.MEETING,
        "title": "Spotkanie otwierające",
        "description": "",
        "month": "",
        "link": "",
    },
    WorkPlanItem,
    show=_work_plan,
    show_persona="member",
)
QUESTIONNAIRE_NEW = Form(
    "questionnaire_new",
    "coordinator",
    lambda w: reverse("exchange_groups:cycle_questionnaire_new", kwargs={"slug": _space(w)}),
    lambda w: {
        "kind": QuestionnaireKind.DIAGNOSIS,
        "title": "Diagnoza potrzeb",
        "intro": "",
        "opens_at": "",
        "closes_at": "",
    },
    Questionnaire,
    show=lambda w, obj: reverse("exchange_groups:cycle_questionnaire_edit", kwargs={"slug": _space(w), "pk": obj.pk}),
)
QUESTION_ADD = Form(
    "question_add",
    "coordinator",
    lambda w: reverse("exchange_groups:cycle_question_add", kwargs={"slug": _space(w), "pk": w["draft"].pk}),
    lambda w: {
        "kind": "single",
        "text": "Czy gmina ma strategię?",
        "help_text": "",
        "key": "",
        "required": "on",
        "choices": "Tak\nNie",
        "scale_min": "1",
        "scale_max": "5",
        "scale_min_label": "",
        "scale_max_label": "",
    },
    Question,
    show=_questionnaire_edit,
)
QUESTION_SCALE = Form(
    "question_scale",
    "coordinator",
    QUESTION_ADD.url,
    lambda w: {
        "kind": "scale",
        "text": "Jak ocenia Pan/Pani wiedzę?",
        "help_text": "",
        "key": "",
        "required": "on",
        "choices": "",
        "scale_min": "1",
        "scale_max": "5",
        "scale_min_label": "słabo",
        "scale_max_label": "dobrze",
    },
    Question,
    show=_questionnaire_edit,
)
CHOICE_ADD = Form(
    "choice_add",
    "coordinator",
    lambda w: reverse(
        "exchange_groups:cycle_choice_add",
        kwargs={"slug": _space(w), "pk": w["draft"].pk, "question_pk": w["draft_questions"]["single"].pk},
    ),
    lambda w: {"text": "Nie wiem"},
    QuestionChoice,
    show=_questionnaire_edit,
)
ANSWER = Form(
    "answer",
    "member",
    lambda w: reverse("exchange_groups:cycle_questionnaire", kwargs={"slug": _space(w), "pk": w["questionnaire"].pk}),
    _answer_data,
    Answer,
    show=lambda w, obj: reverse(
        "exchange_groups:cycle_results", kwargs={"slug": _space(w), "pk": w["questionnaire"].pk}
    ),
    show_persona="coordinator",
)
RESOURCE_ADD = Form(
    "resource_add",
    "member",
    lambda w: reverse("exchange_groups:resource_add", kwargs={"slug": _space(w)}),
    lambda w: {
        "kind": ResourceKind.LINK,
        "title": "Poradnik finansowania",
        "description": "",
        "url": "https://www.gov.pl/web/edukacja",
        "tags": "budżet",
        "submission_key": str(uuid.uuid4()),
    },
    Resource,
    show=_library,
)
RESOURCE_EDIT = Form(
    "resource_edit",
    "member",
    lambda w: reverse("exchange_groups:resource_edit", kwargs={"slug": _space(w), "pk": w["resource"].pk}),
    lambda w: {"title": "Raport NIK", "description": "", "url": "https://www.nik.gov.pl/raport", "tags": ""},
    Resource,
    show=_library,
)
PRACTICE = Form(
    "practice",
    "member",
    lambda w: reverse("exchange_groups:practice_submit"),
    _practice_data,
    None,  # set below (a Wagtail page model)
    show=lambda w, obj: reverse("exchange_groups:my_practice_submissions"),
)
REFLECTION = Form(
    "reflection",
    "member",
    lambda w: reverse("learning:reflection_save", kwargs={"lesson_id": w["lesson"].pk, "block_id": "r1"}),
    lambda w: {"r-r1-text": "Moja odpowiedź."},
    None,  # set below
    show=lambda w, obj: w["lesson"].url,
    refusal_statuses=(400,),
)
TOPIC_NEW = Form(
    "topic_new",
    "member",
    lambda w: reverse(
        "forums:topic_new", kwargs={"forum_id": w["category"].forum_id, "category_slug": w["category"].slug}
    ),
    lambda w: {
        "title": "Dowozy uczniów",
        "body": "Jak liczą Państwo koszty?",
        "tags": "dowozy",
        "client_msg_id": str(uuid.uuid4()),
    },
    None,  # set below
    show=_topic_page,
    html_column="body_html",
)
REPLY = Form(
    "reply",
    "coordinator",
    lambda w: reverse("forums:reply", kwargs={"topic_id": w["topic"].pk}),
    lambda w: {"body": "Dziękuję za pytanie.", "client_msg_id": str(uuid.uuid4())},
    None,
    show=_topic_page,
    html_column="body_html",
)
POST_EDIT = Form(
    "post_edit",
    "member",
    lambda w: reverse("forums:post_edit", kwargs={"topic_id": w["topic"].pk, "post_id": w["post"].pk}),
    lambda w: {"body": "Poprawiony post."},
    None,
    show=_topic_page,
    html_column="body_html",
)
FORUM_SEARCH = Form("forum_search", "member", lambda w: reverse("forums:search"), lambda w: {}, None, method="get")
PRACTICE_SEARCH = Form(
    "practice_search", "anonymous", lambda w: w["practice_index"].url, lambda w: {}, None, method="get"
)
UNIT_SEARCH = Form(
    "unit_search", "anonymous", lambda w: reverse("exchange_groups:unit_search"), lambda w: {}, None, method="get"
)
LIBRARY_SEARCH = Form(
    "library_search",
    "member",
    lambda w: reverse("exchange_groups:library", kwargs={"slug": _space(w)}),
    lambda w: {},
    None,
    method="get",
)


def _late_models():
    from exchange_groups.models import GoodPracticePage
    from forums.models import Post, Topic
    from learning.models import ReflectionAnswer

    PRACTICE.model = GoodPracticePage
    REFLECTION.model = ReflectionAnswer
    TOPIC_NEW.model = Topic
    REPLY.model = Post
    POST_EDIT.model = Post


_late_models()

CASES = [
    FieldCase(REGISTER, "first_name", "first_name"),
    FieldCase(REGISTER, "last_name", "last_name"),
    FieldCase(REGISTER, "job_title", "profile__job_title"),
    FieldCase(PROFILE, "first_name", "first_name"),
    FieldCase(PROFILE, "last_name", "last_name"),
    FieldCase(PROFILE, "job_title", "profile__job_title"),
    FieldCase(PROFILE, "organisation", "profile__organisation"),
    # The JST picker's text (a name, label or TERYT code): never stored as typed, found or refused.
    FieldCase(PROFILE, "unit", takes_text=False),
    FieldCase(JOIN, "message", "message"),
    FieldCase(INVITE, "email", "email", shown=False, takes_text=False),
    FieldCase(MEETING_NEW, "title", "title"),
    FieldCase(MEETING_NEW, "venue", "venue"),
    FieldCase(MEETING_NEW, "address", "address"),
    FieldCase(MEETING_NEW, "agenda", "agenda"),
    FieldCase(MEETING_EDIT, "title", "title"),
    FieldCase(MEETING_EDIT, "agenda", "agenda"),
    FieldCase(MINUTES, "minutes", "minutes"),
    FieldCase(WORK_PLAN, "goals", "goals"),
    FieldCase(WORK_PLAN, "themes", "themes"),
    FieldCase(WORK_PLAN_ITEM, "title", "title"),
    FieldCase(WORK_PLAN_ITEM, "description", "description"),
    FieldCase(WORK_PLAN_ITEM, "link", "link", is_url=True),
    FieldCase(QUESTIONNAIRE_NEW, "title", "title"),
    FieldCase(QUESTIONNAIRE_NEW, "intro", "intro"),
    FieldCase(QUESTION_ADD, "text", "text"),
    FieldCase(QUESTION_ADD, "help_text", "help_text"),
    FieldCase(QUESTION_ADD, "choices", "choices__text"),
    FieldCase(QUESTION_SCALE, "scale_min_label", "scale_min_label"),
    FieldCase(CHOICE_ADD, "text", "text"),
    FieldCase(ANSWER, "open", "text"),
    FieldCase(RESOURCE_ADD, "title", "title"),
    FieldCase(RESOURCE_ADD, "description", "description"),
    FieldCase(RESOURCE_ADD, "tags", "tags__name"),
    FieldCase(RESOURCE_ADD, "url", "url", is_url=True),
    FieldCase(RESOURCE_EDIT, "title", "title"),
    FieldCase(RESOURCE_EDIT, "description", "description"),
    FieldCase(PRACTICE, "title", "title"),
    FieldCase(PRACTICE, "summary", "summary", shown=False),
    FieldCase(PRACTICE, "solution", "solution", shown=False),
    FieldCase(PRACTICE, "contact_name", "contact_name", shown=False),
    FieldCase(PRACTICE, "unit", takes_text=False),
    FieldCase(REFLECTION, "r-r1-text", "text"),
    FieldCase(TOPIC_NEW, "title", "title"),
    FieldCase(TOPIC_NEW, "body", "posts__body_source"),
    FieldCase(TOPIC_NEW, "tags", "tags__name"),
    FieldCase(REPLY, "body", "body_source"),
    FieldCase(POST_EDIT, "body", "body_source"),
    FieldCase(FORUM_SEARCH, "q"),
    FieldCase(PRACTICE_SEARCH, "q"),
    FieldCase(UNIT_SEARCH, "q"),
    FieldCase(LIBRARY_SEARCH, "q"),
]


def _params():
    for case in CASES:
        for payload_id in PAYLOADS:
            yield pytest.param(case, payload_id, id=f"{case.form.name}-{case.field}-{payload_id}")


def _value(case: FieldCase, payload_id: str, marker: str) -> str:
    payload = PAYLOADS[payload_id]
    if case.is_url:
        return payload if payload_id == "js_url" else f"https://przyklad.example.pl/{marker}/{payload}"
    return f"{marker} {payload}"


def _post_data(world, case: FieldCase, value: str) -> dict:
    data = case.form.data(world)
    if case.form is ANSWER:
        data[f"q{world['questions']['open'].pk}"] = value
    elif case.form is QUESTION_ADD and case.field == "choices":
        data["choices"] = f"{value}\nDruga opcja"  # one option per line; two are needed
    else:
        data[case.field] = value
    return data


def _stored(case: FieldCase, payload_id: str, marker: str):
    model = case.form.model
    if case.is_url and payload_id == "js_url":
        found = model.objects.filter(**{f"{case.column}__icontains": "javascript:"})
    else:
        found = model.objects.filter(**{f"{case.column}__contains": marker})
    return found.distinct().first()


def _preview_html(page) -> str:
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    page = page.specific
    response = page.serve_preview(request, page.default_preview_mode)
    if hasattr(response, "render"):
        response.render()
    return response.content.decode()


def _stored_text(obj, column: str) -> list[str]:
    """The stored text of a lookup path (through relations, e.g. tags__name), as a list of values."""
    values = [obj]
    for part in column.split("__"):
        nxt = []
        for value in values:
            attr = getattr(value, part)
            if hasattr(attr, "all"):
                nxt.extend(attr.all())
            else:
                nxt.append(attr)
        values = nxt
    return [str(value) for value in values]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "payload_id"), list(_params()))
def test_hostile_input_is_refused_or_stored_and_shown_escaped(
    world, case, payload_id, django_capture_on_commit_callbacks
):
    form = case.form
    marker = marker_for(form.name, case.field, payload_id)
    value = _value(case, payload_id, marker)
    client = client_for(world, form.persona)
    where = f"{form.name}.{case.field}[{payload_id}]"

    if form.method == "get":
        response = client.get(form.url(world), {case.field: value})
        assert response.status_code == 200, where
        html = response.content.decode()
        assert_safe_html(html, where, nul_allowed=True)  # the query typed is given back, never stored
        return

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form.url(world), _post_data(world, case, value))
    html = response.content.decode()
    assert response.status_code in (200, 302, 303, 400, *form.refusal_statuses), f"{where}: {response.status_code}"
    refused = response.status_code in (200, 400, *form.refusal_statuses)
    assert_safe_html(html, where, nul_allowed=refused)
    stored = _stored(case, payload_id, marker) if case.column else None
    if payload_id == "diacritics" and case.takes_text and not case.is_url:
        assert not refused, f"{where}: ordinary Polish text was refused ({response.status_code})"
    if refused:
        # The form again with its error summary (some views answer 400), or a view's own refusal message.
        if response.status_code not in form.refusal_statuses:
            assert 'class="error-summary"' in html, f"{where}: {response.status_code} without an error summary"
        assert stored is None, f"{where}: the form was refused but the value was stored"
        return

    if stored is None:
        # Accepted but normalised away (e.g. a URL refused by the service with a message): nothing to show.
        assert case.is_url or case.column == "", f"{where}: redirected but nothing stored under the marker"
        return
    texts = _stored_text(stored, case.column)
    assert all("\x00" not in text for text in texts), f"{where}: a NUL byte reached the database"
    if case.is_url:
        assert all(not text.lower().lstrip().startswith("javascript:") for text in texts), (
            f"{where}: javascript: URL stored"
        )
    if form.html_column:
        holder = stored.posts.first() if form is TOPIC_NEW else stored
        assert_safe_html(getattr(holder, form.html_column), f"{where} (stored HTML)")
    if form is PRACTICE:
        from exchange_groups.practices.services import SUBMISSION_TEXT_FIELDS

        if case.column in SUBMISSION_TEXT_FIELDS:  # stored as rich text, rendered as HTML
            for text in texts:
                assert_safe_html(text, f"{where} (stored HTML)")
        # The draft as the editors preview it: every section of the page template.
        preview = _preview_html(stored)
        assert_safe_html(preview, f"{where} (preview)")
        assert marker in preview, f"{where}: not in the preview of the practice"
    if form.show is None:
        return
    viewer = client_for(world, form.show_persona or form.persona)
    if form.show_persona == "newcomer":
        services.confirm_email(stored)  # only a confirmed account has a session
        viewer.force_login(stored)
    page = viewer.get(form.show(world, stored))
    assert page.status_code == 200, f"{where}: the page showing it answered {page.status_code}"
    page_html = page.content.decode()
    assert_safe_html(page_html, f"{where} (shown)")
    if case.shown and not case.is_url:
        assert marker in page_html, f"{where}: the stored value is not shown on {form.show(world, stored)}"
        assert_shown_as_typed(page_html, payload_id, texts, f"{where} (shown)")
