"""URLs of exchange_groups, namespace "exchange_groups". Each area keeps its own list."""

from .account_urls import urlpatterns as account_urlpatterns
from .cycle_urls import urlpatterns as cycle_urlpatterns
from .library_urls import urlpatterns as library_urlpatterns
from .meetings_urls import urlpatterns as meetings_urlpatterns
from .practices_urls import urlpatterns as practices_urlpatterns
from .registry_urls import urlpatterns as registry_urlpatterns
from .space_urls import urlpatterns as space_urlpatterns

app_name = "exchange_groups"

urlpatterns = [
    *account_urlpatterns,
    *registry_urlpatterns,
    *space_urlpatterns,
    *meetings_urlpatterns,
    *cycle_urlpatterns,
    *library_urlpatterns,
    *practices_urlpatterns,
]
