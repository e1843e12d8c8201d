"""URLs of exchange_groups, namespace "exchange_groups". Each area keeps its own list."""

from .account_urls import urlpatterns as account_urlpatterns
from .registry_urls import urlpatterns as registry_urlpatterns
from .space_urls import urlpatterns as space_urlpatterns

app_name = "exchange_groups"

urlpatterns = [*account_urlpatterns, *registry_urlpatterns, *space_urlpatterns]
