"""What every page's chrome needs: the accessibility statement link and the funding note."""

from django.conf import settings


def site_chrome(request):
    from .models import AccessibilityStatementPage

    statement = AccessibilityStatementPage.objects.live().only("url_path", "path").first()
    return {
        "accessibility_statement_url": statement.get_url(request) if statement else None,
        "funding_note": settings.OSWIATA_FUNDING_NOTE,
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
