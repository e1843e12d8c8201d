"""The site's additions to the Wagtail admin."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_global_admin_js")
def field_names_for_assistive_technology():
    """Names for the rich-text editors and simple StreamField blocks Wagtail leaves unnamed (see the file)."""
    return format_html('<script src="{}" defer></script>', static("oswiata_site/js/admin_field_names.js"))
