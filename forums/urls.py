"""URLs of the forums app, included by oswiata_site.urls under the namespace "forums"."""

from django.urls import path

from . import views

app_name = "forums"
urlpatterns = [
    path("fora/", views.index, name="index"),
    path("fora/szukaj/", views.search, name="search"),
    path("fora/przestrzen/<slug:slug>/", views.space_forum, name="space_forum"),
    path("fora/<int:forum_id>/", views.forum_detail, name="forum"),
    path("fora/<int:forum_id>/wzmianki/", views.mentions, name="mentions"),
    path("fora/<int:forum_id>/<slug:category_slug>/", views.category_detail, name="category"),
    path("fora/<int:forum_id>/<slug:category_slug>/nowy-watek/", views.topic_new, name="topic_new"),
    path("fora/<int:forum_id>/<slug:category_slug>/obserwuj/", views.category_watch, name="category_watch"),
    path("watki/<int:topic_id>/", views.topic_detail, name="topic"),
    path("watki/<int:topic_id>/odpowiedz/", views.topic_reply, name="reply"),
    path("watki/<int:topic_id>/obserwuj/", views.topic_watch, name="topic_watch"),
    path("watki/<int:topic_id>/od/<int:seq>/", views.topic_since, name="topic_since"),
    path("watki/<int:topic_id>/edycja/<int:post_id>/", views.post_edit, name="post_edit"),
    path("watki/<int:topic_id>/historia/<int:post_id>/", views.post_history, name="post_history"),
    path("watki/<int:topic_id>/polub/<int:post_id>/", views.post_like, name="post_like"),
    path("posty/<int:post_id>/", views.post_permalink, name="post"),
    path("zalaczniki/<int:attachment_id>/", views.attachment_download, name="attachment"),
]
