"""Wagtail loads only this module of an app: it imports the admin hooks of each area."""

from exchange_groups.accounts import wagtail_hooks as accounts_hooks  # noqa: F401
from exchange_groups.cycle import wagtail_hooks as cycle_hooks  # noqa: F401
from exchange_groups.meetings import wagtail_hooks as meetings_hooks  # noqa: F401
from exchange_groups.practices import wagtail_hooks as practices_hooks  # noqa: F401
from exchange_groups.spaces import wagtail_hooks as spaces_hooks  # noqa: F401
