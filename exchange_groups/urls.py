"""URLs of exchange_groups, namespace "exchange_groups". Each area keeps its own list."""

from exchange_groups.accounts.urls import urlpatterns as account_urlpatterns
from exchange_groups.cycle.urls import urlpatterns as cycle_urlpatterns
from exchange_groups.library.urls import urlpatterns as library_urlpatterns
from exchange_groups.meetings.urls import urlpatterns as meetings_urlpatterns
from exchange_groups.practices.urls import urlpatterns as practices_urlpatterns
from exchange_groups.registry.urls import urlpatterns as registry_urlpatterns
from exchange_groups.spaces.urls import urlpatterns as space_urlpatterns

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
