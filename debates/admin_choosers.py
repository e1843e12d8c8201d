"""The people chooser of the debate admin (moderators): search by name or e-mail, active accounts only.

Only debate editors (the editors' group and administrators) may open it: it lists people's addresses.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet


class PersonFilterForm(BaseFilterForm):
    q = forms.CharField(label=_("Name or e-mail"), required=False)

    def filter(self, objects):
        objects = super().filter(objects)
        query = " ".join((self.cleaned_data.get("q") or "").split())
        if query:
            self.is_searching = True
            self.search_query = query
            for word in query.split()[:5]:
                objects = objects.filter(
                    Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
                )
        return objects


class _EditorsOnly:
    def dispatch(self, request, *args, **kwargs):
        from .permissions import is_debate_editor

        if not is_debate_editor(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class _PersonColumns:
    filter_form_class = PersonFilterForm

    def get_object_list(self):
        return get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name", "email")

    @property
    def columns(self):
        return [*super().columns, Column("email", label=_("E-mail"))]


class PersonChooseView(_EditorsOnly, _PersonColumns, chooser_views.ChooseView):
    pass


class PersonChooseResultsView(_EditorsOnly, _PersonColumns, chooser_views.ChooseResultsView):
    pass


class PersonChosenView(_EditorsOnly, chooser_views.ChosenView):
    pass


class PersonChosenMultipleView(_EditorsOnly, chooser_views.ChosenMultipleView):
    pass


class PersonChooserViewSet(ChooserViewSet):
    model = "exchange_groups.User"
    icon = "user"
    choose_one_text = _("Choose a person")
    choose_another_text = _("Choose another person")
    edit_item_text = _("Change")
    register_widget = False
    choose_view_class = PersonChooseView
    choose_results_view_class = PersonChooseResultsView
    chosen_view_class = PersonChosenView
    chosen_multiple_view_class = PersonChosenMultipleView


person_chooser_viewset = PersonChooserViewSet("debates_person_chooser", url_prefix="debaty/osoby")
