from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import views

# The one refusal path: every PermissionDenied (a `check_*` that says no) is answered here.
handler403 = "oswiata_site.views.permission_denied"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("dokumenty/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("zdrowie/", views.health, name="health"),
    # Each app brings its own URLs; later apps plug in here without touching the rest.
    path("", include("exchange_groups.urls")),
    path("", include("learning.urls")),
    path("", include("forums.urls")),
    path("", include("debates.urls")),
    path("", include("notifications.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
