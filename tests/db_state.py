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
