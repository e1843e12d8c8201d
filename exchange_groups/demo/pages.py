"""Demo content of exchange_groups that lives in the Wagtail page tree; loaded after the site's home page."""

from exchange_groups.demo import load_pages as load

__all__ = ["load"]
