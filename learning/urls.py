"""URLs of the learning app, included by oswiata_site.urls under the namespace "learning".

The course catalogue, courses, modules and lessons are Wagtail pages (for example /kursy/...); these are the
actions and personal pages around them.
"""

from django.urls import path

from . import views

app_name = "learning"
urlpatterns = [
    path("nauka/", views.catalogue, name="catalogue"),
    path("moja-nauka/", views.my_learning, name="my_learning"),
    path("moja-nauka/kursy/<int:course_id>/", views.my_course, name="my_course"),
    path("nauka/kursy/<int:course_id>/zapisz-sie/", views.course_enrol, name="course_enrol"),
    path("nauka/kursy/<int:course_id>/zapisz-osoby/", views.course_enrol_others, name="course_enrol_others"),
    path("nauka/kursy/<int:course_id>/zakoncz/", views.course_finish, name="course_finish"),
    path("nauka/kursy/<int:course_id>/test-wstepny/", views.competence_test, {"kind": "pre"}, name="pre_test"),
    path("nauka/kursy/<int:course_id>/test-koncowy/", views.competence_test, {"kind": "post"}, name="post_test"),
    path("nauka/kursy/<int:course_id>/raport/", views.report, name="report"),
    path("nauka/kursy/<int:course_id>/raport.csv", views.report_csv_view, name="report_csv"),
    path("nauka/raporty/", views.report_list, name="report_list"),
    path("nauka/lekcje/<int:lesson_id>/ukonczona/", views.lesson_complete, name="lesson_complete"),
    path("nauka/lekcje/<int:lesson_id>/refleksja/<str:block_id>/", views.reflection_save, name="reflection_save"),
    path("nauka/lekcje/<int:lesson_id>/quiz/<str:quiz_id>/rozpocznij/", views.quiz_start, name="quiz_start"),
    path("nauka/podejscia/<int:attempt_id>/", views.attempt_post, name="attempt"),
    path("nauka/zaswiadczenia/<int:pk>/pdf/", views.certificate_download, name="certificate_pdf"),
    path("zaswiadczenia/weryfikacja/", views.verify, name="verify"),
    path("zaswiadczenia/weryfikacja/<str:code>/", views.verify_code_view, name="verify_code"),
]
