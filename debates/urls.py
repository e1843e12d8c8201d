"""URLs of the debates app, included by oswiata_site.urls under the namespace "debates".

The listing and the debate and summary pages are Wagtail pages under /debaty/ (served by Wagtail); these are
the front-end summary form and the summary's print view and PDF.
"""

from django.urls import path

from . import views

app_name = "debates"
urlpatterns = [
    path("debaty/<int:debate_id>/podsumowanie/", views.summary_edit, name="summary_edit"),
    path("debaty/<int:debate_id>/podsumowanie/druk/", views.summary_print, name="summary_print"),
    path("debaty/<int:debate_id>/podsumowanie.pdf", views.summary_pdf, name="summary_pdf"),
]
