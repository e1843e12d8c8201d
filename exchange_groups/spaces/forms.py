"""Forms of the space pages: asking to join, and the coordinators' management forms."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from exchange_groups.models import SpaceRole
from oswiata_kit.forms import AccessibleFormMixin


class JoinRequestForm(AccessibleFormMixin, forms.Form):
    message = forms.CharField(
        label=_("Message to the coordinators (optional)"),
        help_text=_("For example: which JST you represent and what you expect from the space."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ReasonForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("The person will see this reason on the site and in an e-mail."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give the reason: the person will see it.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason: the person will see it."), code="required")
        return reason


class RoleForm(AccessibleFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=SpaceRole.choices)


class InviteForm(AccessibleFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The person receives a link that works once and expires. They may register first."),
        max_length=254,
        error_messages={
            "required": _("Enter the e-mail address of the person you want to invite."),
            "invalid": _("Enter a valid e-mail address, for example jan.kowalski@gmina.pl."),
        },
    )
    role = forms.ChoiceField(label=_("Role"), choices=SpaceRole.choices, initial=SpaceRole.PARTICIPANT)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class AddMemberForm(AccessibleFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of a registered person"),
        help_text=_("The person must already have an account; otherwise send an invitation."),
        max_length=254,
        error_messages={
            "required": _("Enter the e-mail address of the person you want to add."),
            "invalid": _("Enter a valid e-mail address, for example jan.kowalski@gmina.pl."),
        },
    )
    role = forms.ChoiceField(label=_("Role"), choices=SpaceRole.choices, initial=SpaceRole.PARTICIPANT)

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("Nobody with this e-mail address has an account. Send an invitation instead."), code="unknown"
            )
        self.person = user
        return email.lower()
