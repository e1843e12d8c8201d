"""URLs around the good-practice base: a member's submission and "Moje zgłoszenia".

The listing and the practices themselves are Wagtail pages under the index page (slug "dobre-praktyki");
these two addresses sit beside them, so a practice may not use the slugs "zglos" or "moje-zgloszenia".
"""

from django.urls import path

from exchange_groups.practices import views

urlpatterns = [
    path("dobre-praktyki/zglos/", views.practice_submit, name="practice_submit"),
    path("dobre-praktyki/moje-zgloszenia/", views.my_practice_submissions, name="my_practice_submissions"),
]
