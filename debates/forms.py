"""The summary form of the front end: the text (Markdown), its kind, and the posts it cites."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forums.sanitize import max_post_chars
from oswiata_kit.forms import AccessibleFormMixin

from .models import SummaryKind


class SummaryForm(AccessibleFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of text"), choices=SummaryKind.choices, widget=forms.RadioSelect, initial=SummaryKind.SUMMARY
    )
    body = forms.CharField(
        label=_("Summary or position paper"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Markdown is allowed. It is published on the debate's summary page."),
        error_messages={"required": _("Write the summary before publishing it.")},
    )
    cited_posts = forms.TypedMultipleChoiceField(
        label=_("Posts to cite"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The first 300 characters of each chosen post are quoted with its author's name, publicly, "
            "with a link to the post (which only the forum's readers can open)."
        ),
        error_messages={
            "invalid_choice": _(
                "Cite only the posts offered on this form: posts of this debate that you may read and quote. "
                "Posts of a space's forum can be quoted only by the moderators of that forum."
            )
        },
    )

    def __init__(self, *args, posts=(), **kwargs):
        """`posts`: the posts the writer may quote (`services.quotable_posts`); no other id is accepted."""
        super().__init__(*args, **kwargs)
        self.posts = list(posts)
        self.fields["cited_posts"].choices = [(post.pk, str(post.pk)) for post in self.posts]
        self.fields["body"].max_length = max_post_chars()
