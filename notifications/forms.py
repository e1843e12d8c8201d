"""The preferences form (on /powiadomienia/ustawienia/, linked from the profile)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DigestFrequency


class PreferencesForm(forms.Form):
    inapp_reply = forms.BooleanField(label=_("Replies in topics and categories I watch"), required=False)
    inapp_mention = forms.BooleanField(label=_("Mentions of me (@name)"), required=False)
    inapp_debate = forms.BooleanField(label=_("Debates opening in my networks and groups"), required=False)
    inapp_moderation = forms.BooleanField(
        label=_("Moderators' decisions about my posts and my reports"), required=False
    )
    inapp_meeting = forms.BooleanField(label=_("Changes of meetings I am registered for"), required=False)
    site_debates = forms.BooleanField(
        label=_("Debates of the nationwide forum"),
        required=False,
        help_text=_("Debates open to everybody taking part in the project, not only to your networks and groups."),
    )
    email_mentions = forms.BooleanField(label=_("Send me an e-mail at once when somebody mentions me"), required=False)
    digest = forms.ChoiceField(
        label=_("E-mail summary of what is new in my networks, groups and watched topics"),
        choices=[
            (DigestFrequency.NONE, _("Do not send summaries")),
            (DigestFrequency.DAILY, _("Every day (at 7:00)")),
            (DigestFrequency.WEEKLY, _("Every week (on Monday at 7:00)")),
        ],
        widget=forms.RadioSelect,
    )

    IN_APP = ("inapp_reply", "inapp_mention", "inapp_debate", "site_debates", "inapp_moderation", "inapp_meeting")
    EMAIL = ("email_mentions", "digest")

    @classmethod
    def for_preferences(cls, prefs, data=None):
        initial = {name: getattr(prefs, name) for name in cls.base_fields}
        return cls(data=data, initial=initial)

    def in_app_fields(self):
        return [self[name] for name in self.IN_APP]

    def email_fields(self):
        return [self[name] for name in self.EMAIL]
