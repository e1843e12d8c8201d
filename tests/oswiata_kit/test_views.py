"""The one refusal path and the view helpers of the bottom layer (oswiata_kit/views.py)."""

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory, override_settings

from oswiata_kit.views import Refusal, call_service, post_only, refusal_page, refusal_response, submit_form

PAGES = {
    "generic.html": "generic: {{ message }}",
    "own.html": "own: {{ thing }} / {{ message }}",
}
LOCMEM_TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", PAGES)]},
    }
]


class RuleBroken(Exception):
    def __init__(self, message, code="rule", field=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


class NoteForm(forms.Form):
    title = forms.CharField()
    body = forms.CharField()


class Person:
    is_authenticated = True


def request_for(user=None, path="/przestrzenie/siec/spotkania/?strona=2", method="get"):
    request = getattr(RequestFactory(), method)(path)
    request.user = user or Person()
    request._messages = CookieStorage(request)
    return request


def texts(request) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(request)]


# --- refusal_response: the answer the host's handler403 gives ----------------------------------------------


def test_refusal_response_sends_an_anonymous_visitor_to_log_in_with_next():
    request = request_for(AnonymousUser())
    response = refusal_response(request, PermissionDenied("Tylko dla członków."), template="generic.html")
    assert response.status_code == 302
    assert response["Location"] == "/konto/logowanie/?next=/przestrzenie/siec/spotkania/%3Fstrona%3D2"


@override_settings(TEMPLATES=LOCMEM_TEMPLATES)
def test_refusal_response_shows_a_logged_in_person_the_reason_with_403():
    response = refusal_response(request_for(), PermissionDenied("Tylko dla członków."), template="generic.html")
    assert (response.status_code, response.content.decode()) == (403, "generic: Tylko dla członków.")


@override_settings(TEMPLATES=LOCMEM_TEMPLATES)
def test_refusal_response_uses_a_refusals_own_page_and_context():
    refusal = Refusal("Tylko koordynatorzy.", template="own.html", context={"thing": "sieć"})
    response = refusal_response(request_for(), refusal, template="generic.html")
    assert (response.status_code, response.content.decode()) == (403, "own: sieć / Tylko koordynatorzy.")


@override_settings(TEMPLATES=LOCMEM_TEMPLATES)
def test_refusal_response_without_a_reason_shows_the_generic_page():
    response = refusal_response(request_for(), PermissionDenied(), template="generic.html")
    assert (response.status_code, response.content.decode()) == (403, "generic: ")


def test_refusal_page_gives_a_permission_denied_raised_inside_its_page_and_keeps_the_reason():
    with pytest.raises(Refusal) as raised, refusal_page("own.html", thing="debata"):
        raise PermissionDenied("Najpierw debata musi się zakończyć.")
    assert (raised.value.template, raised.value.context, raised.value.message) == (
        "own.html",
        {"thing": "debata"},
        "Najpierw debata musi się zakończyć.",
    )


def test_refusal_page_leaves_a_refusal_with_its_own_page_alone():
    with pytest.raises(Refusal) as raised, refusal_page("own.html"):
        raise Refusal("Inny powód.", template="inner.html")
    assert raised.value.template == "inner.html"


# --- post_only -----------------------------------------------------------------------------------------------


def test_post_only_answers_anything_but_post_with_405_and_allow_post():
    view = post_only(lambda request: "called")
    response = view(request_for())
    assert (response.status_code, response["Allow"]) == (405, "POST")
    assert view(request_for(method="post")) == "called"


# --- call_service --------------------------------------------------------------------------------------------


def test_call_service_success_adds_the_message_and_redirects():
    request = request_for(method="post")
    calls = []
    response = call_service(
        request,
        lambda *args, **kwargs: calls.append((args, kwargs)),
        "a",
        errors=RuleBroken,
        b=1,
        success_message="Zapisano.",
        redirect_to="/gotowe/",
    )
    assert calls == [(("a",), {"b": 1})]
    assert (response.status_code, response["Location"]) == (302, "/gotowe/")
    assert texts(request) == [("success", "Zapisano.")]


def test_call_service_message_and_target_may_depend_on_the_result():
    request = request_for(method="post")
    response = call_service(
        request,
        lambda: "Spotkanie sieci",
        errors=RuleBroken,
        success_message=lambda title: f"Dodano „{title}”.",
        redirect_to=lambda title: f"/spotkania/#{len(title)}",
    )
    assert response["Location"] == "/spotkania/#15"
    assert texts(request) == [("success", "Dodano „Spotkanie sieci”.")]


def test_call_service_adds_no_message_when_the_message_function_gives_none():
    """A service whose success is sometimes worth no word (a repeated submission that changed nothing)."""
    request = request_for(method="post")
    response = call_service(
        request,
        lambda: ("wpis", False),
        errors=RuleBroken,
        success_message=lambda result: "Dodano." if result[1] else None,
        redirect_to="/wpisy/",
    )
    assert response["Location"] == "/wpisy/"
    assert texts(request) == []


def _refuse(message, **kwargs):
    def service():
        raise RuleBroken(message, **kwargs)

    return service


def test_call_service_rule_error_goes_onto_the_form_field_the_error_names_and_nothing_is_redirected():
    request = request_for(method="post")
    form = NoteForm({"title": "x", "body": "y"})
    assert form.is_valid()
    answer = call_service(
        request, _refuse("Za krótki tytuł.", field="title"), errors=RuleBroken, on_error=form, redirect_to="/"
    )
    assert answer is None
    assert form.errors == {"title": ["Za krótki tytuł."]}
    assert texts(request) == []


def test_call_service_rule_error_of_a_field_the_form_lacks_goes_onto_the_whole_form():
    form = NoteForm({"title": "x", "body": "y"})
    form.is_valid()
    call_service(
        request_for(method="post"), _refuse("Błąd.", field="email"), errors=RuleBroken, on_error=form, redirect_to="/"
    )
    assert form.non_field_errors() == ["Błąd."]


def test_call_service_rule_error_goes_onto_the_field_the_view_names_or_maps_from_its_code():
    named = NoteForm({"title": "x", "body": "y"})
    named.is_valid()
    call_service(
        request_for(), _refuse("Zły tekst."), errors=RuleBroken, on_error=named, error_field="body", redirect_to="/"
    )
    mapped = NoteForm({"title": "x", "body": "y"})
    mapped.is_valid()
    unmapped = NoteForm({"title": "x", "body": "y"})
    unmapped.is_valid()
    call_service(
        request_for(),
        _refuse("Tytuł zajęty.", code="taken"),
        errors=RuleBroken,
        on_error=mapped,
        error_field={"taken": "title"},
        redirect_to="/",
    )
    call_service(
        request_for(),
        _refuse("Inny błąd.", code="other"),
        errors=RuleBroken,
        on_error=unmapped,
        error_field={"taken": "title"},
        redirect_to="/",
    )
    assert named.errors == {"body": ["Zły tekst."]}
    assert mapped.errors == {"title": ["Tytuł zajęty."]}
    assert unmapped.non_field_errors() == ["Inny błąd."]


def test_call_service_rule_error_without_a_form_becomes_an_error_message_and_the_same_redirect():
    request = request_for(method="post")
    response = call_service(
        request, _refuse("Zapisy są zamknięte."), errors=RuleBroken, success_message="Zapisano.", redirect_to="/lista/"
    )
    assert (response.status_code, response["Location"]) == (302, "/lista/")
    assert texts(request) == [("error", "Zapisy są zamknięte.")]


def test_call_service_by_default_catches_any_rule_error():
    from oswiata_kit.errors import RuleError

    def service():
        raise RuleError("Termin minął.", "too_late")

    request = request_for(method="post")
    response = call_service(request, service, redirect_to="/lista/")
    assert (response.status_code, texts(request)) == (302, [("error", "Termin minął.")])


def test_call_service_lets_other_exceptions_through():
    def broken():
        raise PermissionDenied("Nie wolno.")

    with pytest.raises(PermissionDenied):
        call_service(request_for(), broken, errors=RuleBroken, redirect_to="/")


# --- submit_form ---------------------------------------------------------------------------------------------


def test_submit_form_on_a_get_calls_nothing_and_lets_the_view_show_the_form():
    calls = []
    form = NoteForm()
    assert submit_form(request_for(), form, calls.append, redirect_to="/") is None
    assert calls == []


def test_submit_form_with_an_invalid_form_calls_nothing():
    calls = []
    form = NoteForm({"title": "x"})
    assert submit_form(request_for(method="post"), form, calls.append, redirect_to="/") is None
    assert calls == [] and "body" in form.errors


def test_submit_form_with_a_valid_form_gives_the_service_the_cleaned_data_and_redirects():
    request = request_for(method="post")
    form = NoteForm({"title": "Plan pracy", "body": "Cele na rok."})
    response = submit_form(
        request,
        form,
        lambda data: data["title"],
        success_message=lambda title: f"Zapisano „{title}”.",
        redirect_to="/plan/",
    )
    assert (response.status_code, response["Location"]) == (302, "/plan/")
    assert texts(request) == [("success", "Zapisano „Plan pracy”.")]


def test_submit_form_puts_a_refused_rule_on_the_form():
    form = NoteForm({"title": "x", "body": "y"})

    def act(data):
        raise RuleBroken("Tytuł zajęty.", field="title")

    assert submit_form(request_for(method="post"), form, act, errors=RuleBroken, redirect_to="/") is None
    assert form.errors == {"title": ["Tytuł zajęty."]}
