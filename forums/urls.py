"""URLs of the forums app, included by oswiata_site.urls under the namespace "forums"."""

from django.urls import path

from . import moderation_views as mod
from . import views

app_name = "forums"
urlpatterns = [
    path("fora/", views.index, name="index"),
    path("fora/szukaj/", views.search, name="search"),
    path("fora/przestrzen/<slug:slug>/", views.space_forum, name="space_forum"),
    path("fora/moje-zgloszenia/", mod.my_reports, name="my_reports"),
    path("fora/usuniete-watki/", mod.deleted_topics, name="deleted_topics"),
    path("fora/<int:forum_id>/", views.forum_detail, name="forum"),
    path("fora/<int:forum_id>/wzmianki/", views.mentions, name="mentions"),
    path("fora/<int:forum_id>/moderacja/zgloszenia/", mod.report_queue, name="report_queue"),
    path("fora/<int:forum_id>/moderacja/zgloszenia/<int:post_id>/", mod.report_decide, name="report_decide"),
    path("fora/<int:forum_id>/moderacja/dziennik/", mod.moderation_log, name="moderation_log"),
    path("fora/<int:forum_id>/moderacja/dziennik-publiczny/", mod.public_log, name="public_log"),
    path("fora/<int:forum_id>/moderacja/ustawienia/", mod.forum_settings, name="forum_settings"),
    path("fora/<int:forum_id>/moderacja/sankcje/", mod.sanctions, name="sanctions"),
    path(
        "fora/<int:forum_id>/moderacja/sankcje/<int:sanction_id>/zniesienie/", mod.sanction_lift, name="sanction_lift"
    ),
    path("fora/<int:forum_id>/<slug:category_slug>/", views.category_detail, name="category"),
    path("fora/<int:forum_id>/<slug:category_slug>/nowy-watek/", views.topic_new, name="topic_new"),
    path("fora/<int:forum_id>/<slug:category_slug>/obserwuj/", views.category_watch, name="category_watch"),
    path("watki/<int:topic_id>/", views.topic_detail, name="topic"),
    path("watki/<int:topic_id>/odpowiedz/", views.topic_reply, name="reply"),
    path("watki/<int:topic_id>/obserwuj/", views.topic_watch, name="topic_watch"),
    path("watki/<int:topic_id>/przeczytane/", views.topic_mark_read, name="topic_mark_read"),
    path("watki/<int:topic_id>/od/<int:seq>/", views.topic_since, name="topic_since"),
    path("watki/<int:topic_id>/edycja/<int:post_id>/", views.post_edit, name="post_edit"),
    path("watki/<int:topic_id>/historia/<int:post_id>/", views.post_history, name="post_history"),
    path("watki/<int:topic_id>/polub/<int:post_id>/", views.post_like, name="post_like"),
    path("watki/<int:topic_id>/przypnij/", mod.topic_pin, name="topic_pin"),
    path("watki/<int:topic_id>/zamknij/", mod.topic_lock, name="topic_lock"),
    path("watki/<int:topic_id>/przenies/", mod.topic_move, name="topic_move"),
    path("watki/<int:topic_id>/usun/", mod.topic_delete, name="topic_delete"),
    path("watki/<int:topic_id>/przywroc/", mod.topic_restore, name="topic_restore"),
    path("watki/<int:topic_id>/tryb-powolny/", mod.topic_slow_mode, name="topic_slow_mode"),
    path("watki/<int:topic_id>/ukryj/<int:post_id>/", mod.post_hide, name="post_hide"),
    path("watki/<int:topic_id>/odkryj/<int:post_id>/", mod.post_restore, name="post_restore"),
    path("watki/<int:topic_id>/moderuj/<int:post_id>/", mod.post_moderate, name="post_moderate"),
    path("watki/<int:topic_id>/zglos/<int:post_id>/", mod.post_report, name="post_report"),
    path("posty/<int:post_id>/", views.post_permalink, name="post"),
    path("zalaczniki/<int:attachment_id>/", views.attachment_download, name="attachment"),
]
