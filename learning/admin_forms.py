"""The course editor's meeting requirements in the Wagtail admin follow the editor's right to see a space.

"Space whose meetings count" accepts only a space the editor may see (`spaces_visible_to`: public spaces, the
private ones they belong to; all for site administrators). A requirement whose space the editor may not see
keeps it: the field is left out of that row's form (not shown, not changed), and the revision comparison does
not name it either.
"""

import functools

from django.utils.translation import gettext_lazy as _
from wagtail.admin.compare import ForeignObjectComparison
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.admin.panels.base import get_form_for_model

from exchange_groups.spaces.permissions import spaces_visible_to


class MeetingRequirementForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("space")
        if field is None:
            return
        visible = spaces_visible_to(self.for_user)
        if self.instance.space_id and not visible.filter(pk=self.instance.space_id).exists():
            del self.fields["space"]  # chosen by somebody who may see it: kept as it is, unnamed
            return
        field.queryset = visible
        field.error_messages["invalid_choice"] = _("Choose only the spaces listed here.")


class MeetingRequirementsPanel(InlinePanel):
    """An InlinePanel whose rows are `MeetingRequirementForm`s that know the editor (`for_user`)."""

    def get_form_options(self):
        options = super().get_form_options()
        formset = options["formsets"][self.relation_name]
        defer = self.child_edit_handler.get_form_options().get("defer_required_on_fields")
        formset["form"] = (
            get_form_for_model(
                self.db_field.related_model, form_class=MeetingRequirementForm, defer_required_on_fields=defer
            )
            if defer
            else MeetingRequirementForm
        )
        formset["inherit_kwargs"] = ["for_user"]
        return options


class _VisibleSpaceComparison(ForeignObjectComparison):
    visible_ids: frozenset = frozenset()

    def get_objects(self):
        obj_a, obj_b = super().get_objects()
        return (
            obj_a if obj_a is not None and obj_a.pk in self.visible_ids else None,
            obj_b if obj_b is not None and obj_b.pk in self.visible_ids else None,
        )


class VisibleSpacePanel(FieldPanel):
    """A space field whose revision comparison names only the spaces the editor may see."""

    class BoundPanel(FieldPanel.BoundPanel):
        def get_comparison(self):
            if not self.is_shown():
                return []
            visible = frozenset(spaces_visible_to(getattr(self.request, "user", None)).values_list("pk", flat=True))
            comparison = type("VisibleSpaceComparison", (_VisibleSpaceComparison,), {"visible_ids": visible})
            return [functools.partial(comparison, self.panel.db_field)]
