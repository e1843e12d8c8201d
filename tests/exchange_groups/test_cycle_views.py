"""Pages of the yearly cycle: who reaches what (404 for outsiders of a private space on every URL, 403 for
members on coordinator pages, the login page for anonymous visitors of a public space), answering once
through the form, accessible errors, results, the CSV download, the comparison and the work plan."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from exchange_groups.cycle import planning
from exchange_groups.cycle import services as cycle
from exchange_groups.models import (
    Answer,
    Choice,
    Question,
    Questionnaire,
    QuestionnaireKind,
    QuestionnaireStatus,
    Response,
    WorkPlan,
    WorkPlanItem,
    WorkPlanItemKind,
)
from tests.exchange_groups.cycle_support import SPACE_NAME, answers, build_questionnaire, build_world, form_data

pytestmark = pytest.mark.django_db

# URL name -> the objects its arguments come from ("published" and "draft" are questionnaires).
URLS = {
    "cycle_work_plan": (),
    "cycle_work_plan_item_add": (),
    "cycle_work_plan_item_edit": ("item",),
    "cycle_work_plan_item_remove": ("item",),
    "cycle_work_plan_item_move": ("item",),
    "cycle_questionnaires": (),
    "cycle_questionnaire_new": (),
    "cycle_questionnaire": ("published",),
    "cycle_questionnaire_edit": ("draft",),
    "cycle_question_add": ("draft",),
    "cycle_question_edit": ("draft", "question"),
    "cycle_question_remove": ("draft", "question"),
    "cycle_question_move": ("draft", "question"),
    "cycle_choice_add": ("draft", "question"),
    "cycle_choice_remove": ("draft", "choice"),
    "cycle_questionnaire_publish": ("draft",),
    "cycle_questionnaire_close": ("published",),
    "cycle_questionnaire_copy": ("published",),
    "cycle_results": ("published",),
    "cycle_results_csv": ("published",),
    "cycle_comparison": (),
}
MEMBER_URLS = ["cycle_work_plan", "cycle_questionnaires", "cycle_questionnaire"]
COORDINATOR_URLS = [name for name in URLS if name not in MEMBER_URLS]
POST_ONLY = {
    "cycle_work_plan_item_move",
    "cycle_question_add",
    "cycle_question_remove",
    "cycle_question_move",
    "cycle_choice_add",
    "cycle_choice_remove",
    "cycle_questionnaire_publish",
    "cycle_questionnaire_close",
    "cycle_questionnaire_copy",
}
OUTSIDERS = ["anonymous", "non_member", "other_coordinator"]
INSIDERS = ["member", "coordinator", "site_admin", "superuser"]


def build(private: bool) -> dict:
    world = build_world(private=private)
    space, coordinator = world["space"], world["coordinator"]
    published, published_questions = build_questionnaire(space, coordinator)
    draft, draft_questions = build_questionnaire(
        space, coordinator, kind=QuestionnaireKind.EVALUATION, publish=False, title="Ewaluacja sieci"
    )
    planning.update_work_plan(coordinator, space, goals="Cel: lepsze planowanie sieci szkół", themes="Demografia")
    item = planning.add_work_plan_item(
        coordinator,
        space,
        kind=WorkPlanItemKind.MEETING,
        title="Spotkanie otwierające sieć",
        date=datetime.date(2019, 9, 24),
    )
    planning.add_work_plan_item(
        coordinator, space, kind=WorkPlanItemKind.ONLINE_TASK, title="Analiza prognozy demograficznej"
    )
    world["objects"] = {
        "published": published,
        "published_questions": published_questions,
        "draft": draft,
        "question": draft_questions["single"],
        "choice": draft_questions["single"].choices.first(),
        "item": item,
    }
    return world


@pytest.fixture
def private_world():
    return build(private=True)


@pytest.fixture
def world():
    return build(private=False)


def url_of(world, name) -> str:
    kwargs = {"slug": world["space"].slug}
    arg_names = {"published": "pk", "draft": "pk", "question": "question_pk", "choice": "choice_pk", "item": "item_pk"}
    for source in URLS[name]:
        kwargs[arg_names[source]] = world["objects"][source].pk
    return reverse(f"exchange_groups:{name}", kwargs=kwargs)


def client_for(world, who) -> Client:
    client = Client()
    user = world.get(who) if who != "anonymous" else None
    if user is not None:
        client.force_login(user)
    return client


def state(world):
    """Everything a POST could change."""
    space = world["space"]
    return (
        list(Questionnaire.objects.filter(space=space).values_list("pk", "status", "title", "published_at")),
        list(Question.objects.filter(questionnaire__space=space).values_list("pk", "order", "text", "key")),
        list(Choice.objects.filter(question__questionnaire__space=space).values_list("pk", "order", "text")),
        Response.objects.count(),
        Answer.objects.count(),
        list(WorkPlan.objects.filter(space=space).values_list("goals", "themes", "updated_at")),
        list(WorkPlanItem.objects.filter(plan__space=space).values_list("pk", "order", "title", "month")),
    )


def post_data(world) -> dict:
    data = {
        "title": "Zmienione",
        "kind": WorkPlanItemKind.MEETING,
        "text": "Nowa opcja",
        "goals": "Nowe cele",
        "themes": "Nowe tematy",
        "direction": "up",
        "month": "2019-10",
    }
    data.update(form_data(world["objects"]["published_questions"]))
    return data


# --- privacy and permissions -------------------------------------------------------------------------


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("name", list(URLS))
def test_cycle_urls_of_a_private_space_answer_404_to_outsiders_on_get(private_world, who, name):
    response = client_for(private_world, who).get(url_of(private_world, name))
    assert response.status_code == 404
    assert SPACE_NAME not in response.content.decode()


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("name", list(URLS))
def test_cycle_urls_of_a_private_space_answer_404_to_outsiders_on_post_and_change_nothing(private_world, who, name):
    before = state(private_world)
    response = client_for(private_world, who).post(url_of(private_world, name), post_data(private_world))
    assert response.status_code == 404
    assert state(private_world) == before


@pytest.mark.parametrize("who", INSIDERS)
@pytest.mark.parametrize("name", list(URLS))
def test_cycle_urls_of_a_private_space_exist_for_members_and_site_admins(private_world, who, name):
    response = client_for(private_world, who).get(url_of(private_world, name))
    assert response.status_code != 404


@pytest.mark.parametrize("name", COORDINATOR_URLS)
def test_cycle_coordinator_pages_refuse_a_member_with_403_and_change_nothing(private_world, name):
    before = state(private_world)
    client = client_for(private_world, "member")
    assert client.get(url_of(private_world, name)).status_code == 403
    assert client.post(url_of(private_world, name), post_data(private_world)).status_code == 403
    assert state(private_world) == before


def test_cycle_work_plan_post_by_a_member_is_refused_with_403_and_changes_nothing(world):
    before = state(world)
    response = client_for(world, "member").post(url_of(world, "cycle_work_plan"), post_data(world))
    assert response.status_code == 403
    assert state(world) == before


@pytest.mark.parametrize("who", ["coordinator", "site_admin", "superuser"])
@pytest.mark.parametrize("name", COORDINATOR_URLS)
def test_cycle_coordinator_pages_open_to_coordinators_and_site_admins(private_world, who, name):
    response = client_for(private_world, who).get(url_of(private_world, name))
    assert response.status_code == (405 if name in POST_ONLY else 200)


@pytest.mark.parametrize("name", list(URLS))
def test_cycle_urls_of_a_public_space_send_anonymous_visitors_to_the_login_page(world, name):
    url = url_of(world, name)
    response = client_for(world, "anonymous").get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("exchange_groups:login"))
    assert "next=" in response["Location"]


@pytest.mark.parametrize("name", MEMBER_URLS)
def test_cycle_member_pages_of_a_public_space_refuse_a_non_member_with_403(world, name):
    response = client_for(world, "non_member").get(url_of(world, name))
    assert response.status_code == 403


def test_cycle_draft_does_not_exist_for_a_member(world):
    draft = world["objects"]["draft"]
    url = reverse("exchange_groups:cycle_questionnaire", kwargs={"slug": world["space"].slug, "pk": draft.pk})
    assert client_for(world, "member").get(url).status_code == 404


def test_cycle_questionnaire_of_another_space_is_not_found(world):
    other = build_world()
    foreign, _questions = build_questionnaire(other["space"], other["coordinator"])
    url = reverse("exchange_groups:cycle_results", kwargs={"slug": world["space"].slug, "pk": foreign.pk})
    assert client_for(world, "coordinator").get(url).status_code == 404


# --- answering through the form ----------------------------------------------------------------------


def answer_url(world) -> str:
    return url_of(world, "cycle_questionnaire")


def test_cycle_answer_form_labels_every_input_and_groups_choices_in_fieldsets(world):
    html = client_for(world, "member").get(answer_url(world)).content.decode()
    questions = world["objects"]["published_questions"]
    assert html.count("<fieldset") == 3
    assert html.count("<legend>") == 3
    for input_id in re.findall(r'<(?:input|textarea)[^>]*\bid="(q\d+[^"]*)"', html):
        assert f'for="{input_id}"' in html
    assert f'type="radio" name="q{questions["single"].pk}"' in html
    assert f'type="checkbox" name="q{questions["multiple"].pk}"' in html
    assert "1 – bardzo słabo" in html and "5 – bardzo dobrze" in html
    assert f'<textarea name="q{questions["open"].pk}"' in html
    assert "style=" not in html


def test_cycle_answer_form_says_answers_are_anonymous(world):
    from django.utils import translation

    with translation.override("en"):
        member_client = client_for(world, "member")
        member_client.cookies["django_language"] = "en"  # the language switch
        html = member_client.get(answer_url(world)).content.decode()
    assert "nobody sees who answered what" in html


def test_cycle_answer_form_saves_the_answers_once(world):
    questions = world["objects"]["published_questions"]
    response = client_for(world, "member").post(
        answer_url(world), form_data(questions, scale=4, text="Więcej praktyki")
    )
    assert response.status_code == 302
    saved = Response.objects.get(user=world["member"])
    assert saved.answers.get(question=questions["scale"]).scale_value == 4
    assert saved.answers.get(question=questions["open"]).text == "Więcej praktyki"


def test_cycle_answer_form_submitted_twice_keeps_the_first_answers(world):
    questions = world["objects"]["published_questions"]
    client = client_for(world, "member")
    client.post(answer_url(world), form_data(questions, scale=2))
    before = state(world)
    second = client.post(answer_url(world), form_data(questions, scale=5))
    assert second.status_code == 302
    assert state(world) == before
    assert Answer.objects.get(question=questions["scale"]).scale_value == 2
    assert [m.level_tag for m in get_messages(second.wsgi_request)][-1] == "info"


def test_cycle_answer_form_after_answering_shows_no_form(world):
    questions = world["objects"]["published_questions"]
    client = client_for(world, "member")
    client.post(answer_url(world), form_data(questions))
    html = client.get(answer_url(world)).content.decode()
    assert f'name="q{questions["single"].pk}"' not in html


def test_cycle_answer_form_with_bad_input_shows_linked_errors_and_saves_nothing(world):
    questions = world["objects"]["published_questions"]
    data = form_data(questions)
    data[f"q{questions['scale'].pk}"] = "9"
    del data[f"q{questions['single'].pk}"]
    data[f"q{questions['multiple'].pk}"] = [str(questions["multiple"].choices.first().pk)]
    response = client_for(world, "member").post(answer_url(world), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert Response.objects.count() == 0
    assert 'class="error-summary"' in html
    scale_id = f"q{questions['scale'].pk}"
    assert f'href="#{scale_id}-1"' in html
    assert f'id="{scale_id}-error"' in html
    assert f'aria-describedby="{scale_id}-error"' in html
    assert 'aria-invalid="true"' in html
    # What was chosen is kept.
    assert re.search(rf'value="{questions["multiple"].choices.first().pk}" checked', html)


def test_cycle_answer_form_of_a_closed_questionnaire_saves_nothing(world):
    published = world["objects"]["published"]
    cycle.close_questionnaire(world["coordinator"], published)
    response = client_for(world, "member").post(answer_url(world), form_data(world["objects"]["published_questions"]))
    assert response.status_code == 302
    assert Response.objects.count() == 0


def test_cycle_answer_post_by_a_site_admin_who_is_not_a_member_is_refused(world):
    response = client_for(world, "site_admin").post(answer_url(world), post_data(world))
    assert response.status_code == 403
    assert Response.objects.count() == 0


def test_cycle_questionnaire_list_moves_a_questionnaire_from_to_answer_to_answered(world):
    client = client_for(world, "member")
    published = world["objects"]["published"]
    link = f'href="{answer_url(world)}"'
    assert link in client.get(url_of(world, "cycle_questionnaires")).content.decode()
    client.post(answer_url(world), form_data(world["objects"]["published_questions"]))
    html = client.get(url_of(world, "cycle_questionnaires")).content.decode()
    assert link not in html
    assert published.title in html


def test_cycle_questionnaire_list_does_not_show_drafts_to_members(world):
    html = client_for(world, "member").get(url_of(world, "cycle_questionnaires")).content.decode()
    assert "Ewaluacja sieci" not in html


# --- coordinators: drafts, publishing, results ------------------------------------------------------


def test_cycle_coordinator_adds_a_question_with_options_to_a_draft(world):
    draft = world["objects"]["draft"]
    response = client_for(world, "coordinator").post(
        url_of(world, "cycle_question_add"),
        {
            "kind": "multiple",
            "text": "Z kim współpracuje gmina?",
            "key": "partnerzy",
            "choices": "NGO\nPoradnia\n\nNGO",
        },
    )
    assert response.status_code == 302
    question = draft.questions.get(key="partnerzy")
    assert list(question.choices.values_list("text", flat=True)) == ["NGO", "Poradnia"]


def test_cycle_question_add_without_options_shows_the_error_and_adds_nothing(world):
    before = state(world)
    response = client_for(world, "coordinator").post(
        url_of(world, "cycle_question_add"), {"kind": "single", "text": "Pytanie bez opcji?", "choices": "Tylko jedna"}
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert state(world) == before


def test_cycle_publishing_through_the_page_freezes_the_questions(world):
    client = client_for(world, "coordinator")
    draft = world["objects"]["draft"]
    assert client.post(url_of(world, "cycle_questionnaire_publish")).status_code == 302
    draft.refresh_from_db()
    assert draft.status == QuestionnaireStatus.OPEN
    before = state(world)
    response = client.post(url_of(world, "cycle_question_add"), {"kind": "open", "text": "Spóźnione pytanie?"})
    assert response.status_code == 302
    assert client.post(url_of(world, "cycle_choice_remove")).status_code == 302
    assert client.post(url_of(world, "cycle_question_remove")).status_code == 302
    assert state(world) == before


def test_cycle_results_page_shows_counts_and_percentages_without_names(world):
    published, questions = world["objects"]["published"], world["objects"]["published_questions"]
    for person, single in zip(world["members"][:3], ("Tak", "Tak", "Nie"), strict=True):
        cycle.submit_response(person, published, answers(questions, single=single, text=f"Uwaga od {single}"))
    response = client_for(world, "coordinator").get(url_of(world, "cycle_results"))
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<th scope=\"row\">Tak</th>\s*<td class=\"num\">2</td>", html)
    assert "66,7%" in html or "66.7%" in html
    assert '<meter class="share" min="0" max="100" value="66.7"' in html
    assert "Uwaga od Nie" in html
    assert "style=" not in html
    for person in world["members"]:
        assert person.last_name not in html
        assert person.email not in html


def test_cycle_results_csv_download_is_an_excel_friendly_attachment(world):
    published, questions = world["objects"]["published"], world["objects"]["published_questions"]
    cycle.submit_response(world["member"], published, answers(questions, text="Zażółć gęślą jaźń"))
    response = client_for(world, "coordinator").get(url_of(world, "cycle_results_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    assert "Zażółć gęślą jaźń" in text
    assert ";" in text.splitlines()[0]
    assert world["member"].email not in text


def test_cycle_comparison_page_shows_diagnosis_and_evaluation_side_by_side(world):
    published, questions = world["objects"]["published"], world["objects"]["published_questions"]
    cycle.submit_response(world["member"], published, answers(questions, scale=2))
    evaluation = world["objects"]["draft"]
    cycle.publish_questionnaire(world["coordinator"], evaluation)
    evaluation_questions = {q.key: q for q in evaluation.questions.all()}
    cycle.submit_response(
        world["members"][1],
        evaluation,
        {
            evaluation_questions["strategia"].pk: evaluation_questions["strategia"].choices.get(text="Tak").pk,
            evaluation_questions["wsparcie"].pk: [evaluation_questions["wsparcie"].choices.get(text="Doradztwo").pk],
            evaluation_questions["finansowanie"].pk: 5,
        },
    )
    response = client_for(world, "coordinator").get(url_of(world, "cycle_comparison"))
    html = response.content.decode()
    assert response.status_code == 200
    assert published.title in html and evaluation.title in html
    assert "+3" in html  # mean 2 → 5
    assert re.search(r"<th scope=\"row\">Tak</th>\s*<td>1 \(100[,.]0%\)</td>\s*<td>1 \(100[,.]0%\)</td>", html)


def test_cycle_copy_as_evaluation_through_the_page_opens_the_new_draft(world):
    world["objects"]["draft"].delete()
    response = client_for(world, "coordinator").post(url_of(world, "cycle_questionnaire_copy"))
    evaluation = Questionnaire.objects.get(kind=QuestionnaireKind.EVALUATION)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "exchange_groups:cycle_questionnaire_edit", kwargs={"slug": world["space"].slug, "pk": evaluation.pk}
    )
    assert evaluation.questions.count() == 4


# --- the work plan -----------------------------------------------------------------------------------


def test_cycle_work_plan_is_visible_to_members_without_edit_forms(world):
    html = client_for(world, "member").get(url_of(world, "cycle_work_plan")).content.decode()
    assert "Cel: lepsze planowanie sieci szkół" in html
    assert "Spotkanie otwierające sieć" in html
    assert 'datetime="2019-09-24"' in html
    assert 'name="goals"' not in html
    assert url_of(world, "cycle_work_plan_item_edit") not in html


def test_cycle_work_plan_shows_coordinators_the_edit_forms(world):
    html = client_for(world, "coordinator").get(url_of(world, "cycle_work_plan")).content.decode()
    assert 'name="goals"' in html
    assert url_of(world, "cycle_work_plan_item_edit") in html
    assert f'action="{url_of(world, "cycle_work_plan_item_add")}"' in html


def test_cycle_work_plan_goals_are_saved_by_a_coordinator(world):
    response = client_for(world, "coordinator").post(
        url_of(world, "cycle_work_plan"), {"goals": "Nowy cel", "themes": "Subwencja oświatowa"}
    )
    assert response.status_code == 302
    plan = WorkPlan.objects.get(space=world["space"])
    assert (plan.goals, plan.themes) == ("Nowy cel", "Subwencja oświatowa")


def test_cycle_work_plan_item_is_added_edited_moved_and_removed_through_the_pages(world):
    client = client_for(world, "coordinator")
    response = client.post(
        url_of(world, "cycle_work_plan_item_add"),
        {
            "kind": WorkPlanItemKind.MATERIAL,
            "title": "Raport: sieć szkół",
            "month": "2020-03",
            "link": "https://www.ore.edu.pl/",
        },
    )
    assert response.status_code == 302
    added = WorkPlanItem.objects.get(title="Raport: sieć szkół")
    assert added.month == datetime.date(2020, 3, 1)
    world["objects"]["item"] = added
    client.post(
        url_of(world, "cycle_work_plan_item_edit"), {"kind": WorkPlanItemKind.MATERIAL, "title": "Raport o sieci szkół"}
    )
    client.post(url_of(world, "cycle_work_plan_item_move"), {"direction": "up"})
    assert list(WorkPlanItem.objects.values_list("title", flat=True)) == [
        "Spotkanie otwierające sieć",
        "Raport o sieci szkół",
        "Analiza prognozy demograficznej",
    ]
    client.post(url_of(world, "cycle_work_plan_item_remove"))
    assert not WorkPlanItem.objects.filter(pk=added.pk).exists()


def test_cycle_work_plan_item_with_a_bad_link_shows_the_error_and_adds_nothing(world):
    before = state(world)
    response = client_for(world, "coordinator").post(
        url_of(world, "cycle_work_plan_item_add"),
        {"kind": WorkPlanItemKind.MATERIAL, "title": "Link", "link": "javascript:alert(1)"},
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert state(world) == before


def test_cycle_work_plan_item_month_outside_the_cycle_is_refused(world):
    before = state(world)
    response = client_for(world, "coordinator").post(
        url_of(world, "cycle_work_plan_item_add"),
        {"kind": WorkPlanItemKind.MEETING, "title": "Spotkanie", "month": "2025-01"},
    )
    assert response.status_code == 200
    assert state(world) == before


# --- the Wagtail admin ------------------------------------------------------------------------------

ADMIN_LIST = "/admin/snippets/exchange_groups/questionnaire/"


def test_cycle_admin_lists_questionnaires_to_a_site_admin_with_filters(world):
    client = client_for(world, "superuser")
    html = client.get(ADMIN_LIST).content.decode()
    assert "Diagnoza potrzeb sieci 2019/2020" in html and "Ewaluacja sieci" in html
    filtered = client.get(ADMIN_LIST, {"kind": QuestionnaireKind.DIAGNOSIS}).content.decode()
    assert "Diagnoza potrzeb sieci 2019/2020" in filtered
    assert "Ewaluacja sieci" not in filtered


def test_cycle_admin_is_read_only_even_for_a_superuser(world):
    client = client_for(world, "superuser")
    draft = world["objects"]["draft"]
    before = state(world)
    for response in (
        client.get(ADMIN_LIST + "add/"),
        client.post(ADMIN_LIST + f"edit/{draft.pk}/", {"title": "Zmieniona"}),
        client.post(ADMIN_LIST + f"delete/{draft.pk}/"),
    ):
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert state(world) == before
    assert client.get(ADMIN_LIST + f"inspect/{draft.pk}/").status_code == 200


def test_cycle_admin_list_is_closed_to_staff_who_are_not_site_admins(world):
    from django.contrib.auth.models import Permission

    staff = world["coordinator"]
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", "view_questionnaire"]))
    client = Client()
    client.force_login(staff)
    response = client.get(ADMIN_LIST)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
