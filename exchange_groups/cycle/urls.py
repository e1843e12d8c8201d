"""URLs of the yearly cycle of a space: the work plan, questionnaires (diagnosis, evaluation), results."""

from django.urls import path

from exchange_groups.cycle import views

SPACE = "przestrzenie/<slug:slug>/"
QUESTIONNAIRE = SPACE + "ankiety/<int:pk>/"

urlpatterns = [
    path(SPACE + "plan-pracy/", views.work_plan, name="cycle_work_plan"),
    path(SPACE + "plan-pracy/pozycje/dodaj/", views.work_plan_item_add, name="cycle_work_plan_item_add"),
    path(
        SPACE + "plan-pracy/pozycje/<int:item_pk>/edycja/", views.work_plan_item_edit, name="cycle_work_plan_item_edit"
    ),
    path(
        SPACE + "plan-pracy/pozycje/<int:item_pk>/usun/",
        views.work_plan_item_remove,
        name="cycle_work_plan_item_remove",
    ),
    path(
        SPACE + "plan-pracy/pozycje/<int:item_pk>/przesun/", views.work_plan_item_move, name="cycle_work_plan_item_move"
    ),
    path(SPACE + "ankiety/", views.questionnaire_list, name="cycle_questionnaires"),
    path(SPACE + "ankiety/nowa/", views.questionnaire_new, name="cycle_questionnaire_new"),
    path(QUESTIONNAIRE, views.questionnaire_answer, name="cycle_questionnaire"),
    path(QUESTIONNAIRE + "edycja/", views.questionnaire_edit, name="cycle_questionnaire_edit"),
    path(QUESTIONNAIRE + "edycja/pytania/dodaj/", views.question_add, name="cycle_question_add"),
    path(QUESTIONNAIRE + "edycja/pytania/<int:question_pk>/", views.question_edit, name="cycle_question_edit"),
    path(QUESTIONNAIRE + "edycja/pytania/<int:question_pk>/usun/", views.question_remove, name="cycle_question_remove"),
    path(QUESTIONNAIRE + "edycja/pytania/<int:question_pk>/przesun/", views.question_move, name="cycle_question_move"),
    path(QUESTIONNAIRE + "edycja/pytania/<int:question_pk>/opcje/dodaj/", views.choice_add, name="cycle_choice_add"),
    path(QUESTIONNAIRE + "edycja/opcje/<int:choice_pk>/usun/", views.choice_remove, name="cycle_choice_remove"),
    path(QUESTIONNAIRE + "publikuj/", views.questionnaire_publish, name="cycle_questionnaire_publish"),
    path(QUESTIONNAIRE + "zamknij/", views.questionnaire_close, name="cycle_questionnaire_close"),
    path(QUESTIONNAIRE + "kopiuj-jako-ewaluacje/", views.questionnaire_copy, name="cycle_questionnaire_copy"),
    path(QUESTIONNAIRE + "wyniki/", views.results, name="cycle_results"),
    path(QUESTIONNAIRE + "wyniki.csv", views.results_csv, name="cycle_results_csv"),
    path(SPACE + "ewaluacja/porownanie/", views.comparison, name="cycle_comparison"),
]
