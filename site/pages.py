"""What the site's own Wagtail pages show: the home page's spaces.

The rule of the house: what a page shows is built in `<app>/pages.py`; the model's `get_context` imports its
function from here inside the method. The home page shows a few spaces, not all of them: its cost stays the same
with 300 spaces as with 10 (two queries: the count and the cards), and the full list is one link away.
"""

from django.db.models import Exists, OuterRef

from exchange_groups.models import Membership
from exchange_groups.spaces.permissions import spaces_visible_to

HOME_SPACES = 6


def home_context(request) -> dict:
    """HomePage: the number of spaces the visitor may see, and at most HOME_SPACES of them to show as cards, the
    person's own spaces first, then the others in the list's order (kind, name); shown grouped by kind."""
    user = request.user
    visible = spaces_visible_to(user)
    if user.is_authenticated:
        mine = Membership.objects.active().filter(space_id=OuterRef("pk"), user_id=user.pk)
        chosen = visible.annotate(mine=Exists(mine)).order_by("-mine", "kind", "name")
    else:
        chosen = visible.order_by("kind", "name")
    spaces = list(chosen[:HOME_SPACES])
    spaces.sort(key=lambda space: (space.kind, not getattr(space, "mine", False), space.name))
    return {"spaces": spaces, "space_count": visible.count()}
