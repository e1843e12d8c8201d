"""Certificates: issued on completion, a PDF only for the owner (and coordinators), public verification."""

import pytest
from django.urls import reverse

from learning import services
from learning.certificates import ALPHABET, Verification, check_character, new_code, verify_code
from learning.models import Certificate

from .conftest import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(enrolment, course):
    services.record_competence_test(enrolment, "pre", {})
    for lesson in course.lessons():
        if lesson.required:
            services.mark_lesson_complete(enrolment, lesson)
    services.record_competence_test(enrolment, "post", {"b1": "b1a"})
    return Certificate.objects.get(enrolment=enrolment)


def _tamper(code: str) -> str:
    """Change one random character and recompute the check character: a well-formed code that was never issued."""
    chars = code.replace("-", "")[4:]
    payload = ("3" if chars[0] != "3" else "4") + chars[1:-1]
    full = payload + check_character(payload)
    return f"ZJST-{full[0:4]}-{full[4:8]}-{full[8:12]}"


def test_certificate_code_format_and_check_character():
    code = new_code()
    parts = code.split("-")
    assert parts[0] == "ZJST" and [len(p) for p in parts[1:]] == [4, 4, 4]
    assert all(ch in ALPHABET for ch in "".join(parts[1:]))
    assert not set("01IO") & set("".join(parts[1:]))


def test_certificate_snapshot_of_what_is_printed(certificate, learner, course):
    assert certificate.person_name == "Zofia Żółkiewska"
    assert certificate.course_title == course.title
    assert certificate.hours == 8
    assert certificate.outcomes == ["Analizuje wydatki na oświatę."]


def test_certificate_issued_once(certificate, enrolment):
    assert services.issue_certificate(enrolment).pk == certificate.pk
    assert services.complete_course_if_done(enrolment).pk == certificate.pk


def test_certificate_pdf_for_the_owner(learner_client, certificate):
    response = learner_client.get(reverse("learning:certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")
    assert b"DejaVuSans" in response.content


def test_certificate_pdf_of_another_person_is_not_found(client, certificate):
    client.force_login(make_person())
    assert client.get(reverse("learning:certificate_pdf", args=[certificate.pk])).status_code == 404


def test_certificate_pdf_anonymous_is_sent_to_login(client, certificate):
    assert client.get(reverse("learning:certificate_pdf", args=[certificate.pk])).status_code == 302


def test_certificate_pdf_for_a_coordinator(client, coordinator, certificate):
    client.force_login(coordinator)
    assert client.get(reverse("learning:certificate_pdf", args=[certificate.pk])).status_code == 200


def test_verify_good_code_shows_only_what_the_pdf_shows(client, certificate, learner):
    response = client.get(reverse("learning:verify_code", args=[certificate.code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Zofia Żółkiewska" in html
    assert certificate.course_title in html
    assert learner.email not in html


def test_verify_typed_code_is_normalised(client, certificate):
    typed = certificate.code.lower().replace("-", " ")
    response = client.get(reverse("learning:verify"), {"kod": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:verify_code", args=[certificate.code])


def test_verify_tampered_code_is_not_found(client, certificate):
    tampered = _tamper(certificate.code)
    assert verify_code(tampered) == (Verification.NOT_FOUND, None)
    response = client.get(reverse("learning:verify_code", args=[tampered]))
    assert response.status_code == 404
    assert "Zofia" not in response.content.decode()


def test_verify_mistyped_character_fails_the_check(client, certificate):
    code = certificate.code
    last = code[-1]
    mistyped = code[:-2] + ("A" if code[-2] != "A" else "B") + last
    assert verify_code(mistyped)[0] == Verification.BAD_CHECK
    response = client.get(reverse("learning:verify_code", args=[mistyped]))
    assert response.status_code == 404
    assert "check character" in response.content.decode() or "kontroln" in response.content.decode()


def test_verify_malformed_code_in_the_form_is_an_error(client):
    response = client.get(reverse("learning:verify"), {"kod": "ABC"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


def test_certificate_pdf_with_many_long_outcomes_still_renders(certificate):
    from learning.certificates import certificate_pdf

    certificate.course_title = "Bardzo długi tytuł kursu o zarządzaniu oświatą w samorządach " * 3
    certificate.outcomes = ["Zażółć gęślą jaźń — efekt uczenia się opisany bardzo szczegółowo " * 4] * 12
    assert certificate_pdf(certificate).startswith(b"%PDF")
