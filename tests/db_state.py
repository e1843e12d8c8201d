"""Row counts of every project model, for tests whose writes happen in another process (a browser test's daphne).

Within the test process, prefer `CaptureQueriesContext` (see tests/site/test_permission_matrix.py: `no_writes`):
it sees every write of every app, not only a change in a count."""

from django.apps import apps

PROJECT_APPS = ("exchange_groups", "forums", "learning", "debates", "notifications", "oswiata_site")


def row_counts() -> dict[str, int]:
    """Row counts of the project's own models (Wagtail's bookkeeping, e.g. admin user profiles, is ignored)."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS and not model._meta.proxy
    }


def page_queries(client, url: str) -> int:
    """The queries one page runs in the steady state: the request before the counted one fills the caches
    (content types, site root paths, cached fragments), so the count does not flake on a shared Redis cache."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)
