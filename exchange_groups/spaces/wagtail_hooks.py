"""Spaces and their memberships in the Wagtail admin.

Administrators create and edit spaces here. Memberships and their history are read-only in the admin:
changes go through the services in `spaces/services.py` (the space's "Manage members" page, which site
administrators may use in every space), so that each one is recorded and announced.

Private means private here too: staff who are not site administrators see (in lists) and open only the
spaces they could see on the site — public ones and private ones they belong to — and only their
memberships and history.
"""

import django_filters
from django import forms
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import chooser as snippet_chooser_views
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from exchange_groups.models import Membership, MembershipEvent, Space, UnitKind
from exchange_groups.spaces.permissions import can_view_space, is_site_admin, spaces_visible_to
from oswiata_kit.admin import ReadOnlyPermissionPolicy

# Registered before any viewset asks for a policy (Wagtail requires it early).
register_permission_policy(Membership, ReadOnlyPermissionPolicy(Membership))
register_permission_policy(MembershipEvent, ReadOnlyPermissionPolicy(MembershipEvent))


def _space_of(obj) -> Space:
    return obj if isinstance(obj, Space) else obj.space


class VisibleSpaceObjectMixin:
    """A space (or a row of a space) the person may not see on the site does not exist here either."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not can_view_space(self.request.user, _space_of(obj)):
            raise Http404
        return obj


class SpaceEditView(VisibleSpaceObjectMixin, snippet_views.EditView):
    pass


class SpaceDeleteView(VisibleSpaceObjectMixin, snippet_views.DeleteView):
    pass


class SpaceUsageView(VisibleSpaceObjectMixin, snippet_views.UsageView):
    pass


class SpaceHistoryView(VisibleSpaceObjectMixin, snippet_views.HistoryView):
    pass


class SpaceInspectView(VisibleSpaceObjectMixin, snippet_views.InspectView):
    pass


class VisibleSpacesViewSetMixin:
    edit_view_class = SpaceEditView
    delete_view_class = SpaceDeleteView
    usage_view_class = SpaceUsageView
    history_view_class = SpaceHistoryView
    inspect_view_class = SpaceInspectView
    space_lookup = "pk"

    def get_queryset(self, request):
        queryset = self.model._default_manager.all()
        if is_site_admin(request.user):
            return queryset
        return queryset.filter(**{f"{self.space_lookup}__in": spaces_visible_to(request.user).values("pk")})


def _visible_spaces(request):
    return spaces_visible_to(request.user) if request is not None else Space.objects.none()


class MembershipFilterSet(WagtailFilterSet):
    space = django_filters.ModelChoiceFilter(label=_("space"), queryset=_visible_spaces)

    class Meta:
        model = Membership
        fields = ["space", "role"]


class MembershipEventFilterSet(WagtailFilterSet):
    space = django_filters.ModelChoiceFilter(label=_("space"), queryset=_visible_spaces)

    class Meta:
        model = MembershipEvent
        fields = ["space", "kind"]


class SpaceAdminForm(WagtailAdminModelForm):
    audience = forms.MultipleChoiceField(
        label=_("JST kinds it is meant for"),
        help_text=_("Kinds of territorial units the space is meant for."),
        choices=UnitKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean_cycle(self):
        cycle = self.cleaned_data["cycle"].strip()
        first, _sep, second = cycle.partition("/")
        if not (first.isdigit() and second.isdigit() and len(first) == 4 and int(second) == int(first) + 1):
            raise forms.ValidationError(_("Write the school year as two consecutive years, for example 2019/2020."))
        return cycle


class _VisibleSpacesInChooser:
    """The space picker (used by other editors, e.g. a course's meeting space) lists only visible spaces."""

    def get_object_list(self):
        spaces = super().get_object_list()
        if is_site_admin(self.request.user):
            return spaces
        return spaces.filter(pk__in=spaces_visible_to(self.request.user).values("pk"))


class SpaceChooseView(_VisibleSpacesInChooser, snippet_chooser_views.ChooseView):
    pass


class SpaceChooseResultsView(_VisibleSpacesInChooser, snippet_chooser_views.ChooseResultsView):
    pass


class SpaceChosenView(snippet_chooser_views.SnippetChosenView):
    def get_object(self, pk):
        space = super().get_object(pk)
        if not (is_site_admin(self.request.user) or can_view_space(self.request.user, space)):
            raise Http404
        return space


class SpaceChosenMultipleView(snippet_chooser_views.SnippetChosenMultipleView):
    def get_objects(self, pks):
        spaces = super().get_objects(pks)
        if is_site_admin(self.request.user):
            return spaces
        return spaces.filter(pk__in=spaces_visible_to(self.request.user).values("pk"))


class SpaceChooserViewSet(snippet_chooser_views.SnippetChooserViewSet):
    choose_view_class = SpaceChooseView
    choose_results_view_class = SpaceChooseResultsView
    chosen_view_class = SpaceChosenView
    chosen_multiple_view_class = SpaceChosenMultipleView


class SpaceViewSet(VisibleSpacesViewSetMixin, SnippetViewSet):
    model = Space
    chooser_viewset_class = SpaceChooserViewSet
    icon = "group"
    menu_label = _("Spaces")
    list_display = ["name", "kind", "cycle", "status", "visibility"]
    list_filter = ["kind", "status", "visibility"]
    search_fields = ["name", "description"]
    search_backend_name = None
    ordering = ["kind", "name"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel("kind"), FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")],
                heading=_("The space"),
            ),
            MultiFieldPanel(
                [FieldPanel("audience"), FieldPanel("cycle"), FieldPanel("status"), FieldPanel("visibility")],
                heading=_("Audience, cycle and access"),
            ),
        ],
        base_form_class=SpaceAdminForm,
    )


class MembershipViewSet(VisibleSpacesViewSetMixin, SnippetViewSet):
    model = Membership
    space_lookup = "space"
    icon = "user"
    menu_label = _("Memberships")
    list_display = ["user", "space", "role", "since", "until"]
    filterset_class = MembershipFilterSet
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    search_backend_name = None
    ordering = ["space", "-since"]
    inspect_view_enabled = True
    copy_view_enabled = False


class MembershipEventViewSet(VisibleSpacesViewSetMixin, SnippetViewSet):
    model = MembershipEvent
    space_lookup = "space"
    icon = "history"
    menu_label = _("Membership history")
    list_display = ["at", "space", "user", "kind", "role", "actor"]
    filterset_class = MembershipEventFilterSet
    search_fields = ["user__email", "user__last_name", "email", "note"]
    search_backend_name = None
    ordering = ["-at"]
    inspect_view_enabled = True
    copy_view_enabled = False


class SpacesGroup(SnippetViewSetGroup):
    items = (SpaceViewSet, MembershipViewSet, MembershipEventViewSet)
    menu_icon = "group"
    menu_label = _("Networks and groups")
    menu_name = "spaces"


register_snippet(SpacesGroup)
