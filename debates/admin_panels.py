"""Admin panels of the debates: the target spaces follow the editor's right to see a space.

The form side (choices offered and accepted) is `models.DebatePageForm`; this panel keeps the revision
comparison ("Compare" in the page history) from naming a private space the editor may not see.
"""

import functools

from wagtail.admin.compare import M2MFieldComparison
from wagtail.admin.panels import FieldPanel

from exchange_groups.spaces.permissions import spaces_visible_to


class VisibleSpacesComparison(M2MFieldComparison):
    """Compares only the spaces in `visible_ids` (the others are left out, unnamed)."""

    visible_ids: frozenset = frozenset()

    def get_items(self):
        items_a, items_b = super().get_items()
        return (
            [space for space in items_a if space.pk in self.visible_ids],
            [space for space in items_b if space.pk in self.visible_ids],
        )


class TargetSpacesPanel(FieldPanel):
    class BoundPanel(FieldPanel.BoundPanel):
        def get_comparison(self):
            if not self.is_shown():
                return []
            user = getattr(self.request, "user", None)
            visible = frozenset(spaces_visible_to(user).values_list("pk", flat=True))
            comparison = type("VisibleTargetSpacesComparison", (VisibleSpacesComparison,), {"visible_ids": visible})
            return [functools.partial(comparison, self.panel.db_field)]
