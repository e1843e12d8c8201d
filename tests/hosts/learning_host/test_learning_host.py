"""Run by tests/hosts/test_hosts.py in a subprocess with DJANGO_SETTINGS_MODULE=tests.hosts.learning_host.settings:
a Wagtail site with oswiata_kit, exchange_groups and learning only. A person enrols in a course, passes its quiz,
gets a certificate, and anyone verifies it — all through this host's URLconf (/szkolenia/, /ludzie/, /portal/)."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page

from exchange_groups.accounts.permissions import REQUIRED_CONSENTS
from exchange_groups.accounts.services import give_consent
from learning.models import Certificate, CourseIndexPage, CoursePage, Enrolment, LessonPage, ModulePage, QuizAttempt
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOST_MARK = 'data-host="learning_host"'
QUIZ = {
    "type": "quiz",
    "id": "quiz1",
    "value": {
        "title": "Sprawdź swoją wiedzę",
        "intro": "",
        "pass_mark": 100,
        "max_attempts": 2,
        "questions": [
            {
                "type": "single",
                "id": "q1",
                "value": {
                    "prompt": "Kto prowadzi szkołę podstawową?",
                    "feedback_correct": "",
                    "feedback_incorrect": "",
                    "options": [
                        {"type": "item", "id": "q1a", "value": {"text": "Gmina", "correct": True, "feedback": ""}},
                        {"type": "item", "id": "q1b", "value": {"text": "Powiat", "correct": False, "feedback": ""}},
                    ],
                },
            }
        ],
    },
}


@pytest.fixture
def course(db):
    home = Page.objects.get(depth=2)  # the page Wagtail's own migrations make the site's root
    catalogue = home.add_child(instance=CourseIndexPage(title="Szkolenia", slug="szkolenia-kursy"))
    course = catalogue.add_child(
        instance=CoursePage(title="Subwencja oświatowa", slug="subwencja", summary="Kurs.", duration_hours=2)
    )
    course.save_revision().publish()
    module = course.add_child(instance=ModulePage(title="Moduł 1", slug="modul-1"))
    module.add_child(instance=LessonPage(title="Lekcja z quizem", slug="lekcja", body=[QUIZ]))
    return CoursePage.objects.get(pk=course.pk)


@pytest.fixture
def learner_client(client):
    learner = UserFactory(first_name="Zofia", last_name="Żółkiewska")
    for purpose in REQUIRED_CONSENTS:
        give_consent(learner, purpose)
    client.force_login(learner)
    client.learner = learner
    return client


def test_host_has_only_the_reduced_set_of_apps():
    for app in ("oswiata_kit", "exchange_groups", "learning"):
        assert apps.is_installed(app)
    for app in ("oswiata_site", "forums", "debates", "notifications", "channels", "axes"):
        assert not apps.is_installed(app), app


def test_migrations_of_the_reduced_set_are_complete():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_course_enrol_quiz_certificate_and_verification_through_the_hosts_urls(learner_client, course):
    client = learner_client
    lesson = LessonPage.objects.get(slug="lekcja")

    page = client.get(course.get_url())
    assert course.get_url().startswith("/portal/")
    assert page.status_code == 200
    html = page.content.decode()
    assert HOST_MARK in html
    enrol_url = reverse("learning:course_enrol", kwargs={"course_id": course.pk})
    assert enrol_url.startswith("/szkolenia/")
    assert f'action="{enrol_url}"' in html

    assert client.post(enrol_url).status_code == 302
    assert Enrolment.objects.filter(course=course, user=client.learner).exists()

    lesson_page = client.get(lesson.get_url())
    assert lesson_page.status_code == 200
    assert HOST_MARK in lesson_page.content.decode()
    start_url = reverse("learning:quiz_start", kwargs={"lesson_id": lesson.pk, "quiz_id": "quiz1"})
    assert start_url.startswith("/szkolenia/")
    assert client.post(start_url).status_code == 302
    attempt = QuizAttempt.objects.get(user=client.learner, lesson=lesson)
    answered = client.post(
        reverse("learning:attempt", kwargs={"attempt_id": attempt.pk}), {"action": "submit", "q-q1": "q1a"}
    )
    assert answered.status_code == 302
    attempt.refresh_from_db()
    assert attempt.passed

    certificate = Certificate.objects.get(enrolment__user=client.learner, enrolment__course=course)
    mine = client.get(reverse("learning:my_course", kwargs={"course_id": course.pk}))
    assert mine.status_code == 200
    assert certificate.code in mine.content.decode()
    pdf = client.get(reverse("learning:certificate_pdf", kwargs={"pk": certificate.pk}))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"

    client.logout()
    verified = client.get(reverse("learning:verify"), {"kod": certificate.code}, follow=True)
    assert verified.status_code == 200
    assert verified.redirect_chain[-1][0].startswith("/szkolenia/")
    html = verified.content.decode()
    assert HOST_MARK in html
    assert "Żółkiewska" in html


def test_exchange_groups_pages_work_without_notifications_under_the_hosts_prefix(learner_client):
    profile_url = reverse("exchange_groups:profile")
    assert profile_url.startswith("/ludzie/")
    response = learner_client.get(profile_url)
    assert response.status_code == 200
    assert HOST_MARK in response.content.decode()


def test_unknown_certificate_code_is_not_verified(client):
    response = client.get(reverse("learning:verify_code", kwargs={"code": "ZJST-AAAA-BBBB-CCCC"}))
    assert response.status_code == 404
    assert HOST_MARK in response.content.decode()


def test_password_reset_and_login_work_without_django_axes(client, mailoutbox, django_capture_on_commit_callbacks):
    person = UserFactory(email="sekretarz@gmina.example.pl")
    reset_url = reverse("exchange_groups:password_reset")
    assert reset_url.startswith("/ludzie/")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reset_url, {"email": person.email}).status_code == 302
    (message,) = mailoutbox
    link = next(word for word in message.body.split() if "/ludzie/konto/haslo/reset/" in word)
    form_page = client.get(link[link.index("/ludzie/") :], follow=True)
    assert form_page.status_code == 200
    new_password = "Nowe-Haslo-Gminy-2026!"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302
    assert done["Location"] == reverse("exchange_groups:password_reset_complete")

    logged_in = client.post(reverse("exchange_groups:login"), {"username": person.email, "password": new_password})
    assert logged_in.status_code == 302
    assert client.get(reverse("exchange_groups:profile")).status_code == 200


def test_lesson_refusals_go_through_the_hosts_handler403(learner_client, course):
    """The host names the kit's handler403: an anonymous visitor is sent to the host's login page with `next`, a
    person not enrolled gets the learning's refusal page, in the host's frame, with the enrol form."""
    from django.test import Client

    lesson_url = LessonPage.objects.get(slug="lekcja").get_url()
    anonymous = Client().get(lesson_url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(f"{reverse('exchange_groups:login')}?next=/portal/")
    refused = learner_client.get(lesson_url)
    assert refused.status_code == 403
    html = refused.content.decode()
    assert HOST_MARK in html
    assert f'action="{reverse("learning:course_enrol", kwargs={"course_id": course.pk})}"' in html
