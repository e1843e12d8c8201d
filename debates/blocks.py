"""StreamField blocks of the debates: the background material, the questions, and the summary's body.

The background reuses the lesson blocks of `learning` (video with a transcript, document, image with alt text).
The summary written in the front end is Markdown (cleaned by the forums' sanitizer when rendered) plus cited
posts: the post's id, the excerpt, and the author's name as they were when the moderator cited the post.
"""

from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from forums.sanitize import render_markdown
from learning.blocks import RICH_TEXT_FEATURES, DocumentBlock, ImageWithAltBlock, VideoBlock


class BackgroundBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), form_classname="title", template="learning/blocks/heading.html")
    paragraph = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)
    image = ImageWithAltBlock()
    video = VideoBlock()
    document = DocumentBlock()


class QuestionsBlock(blocks.StreamBlock):
    question = blocks.TextBlock(label=_("Question for discussion"))


class MarkdownBlock(blocks.TextBlock):
    """Text in Markdown, rendered through the forums' sanitizer (the same allow-list as posts)."""

    class Meta:
        icon = "doc-full"
        label = _("Text (Markdown)")

    def render_basic(self, value, context=None):
        return mark_safe(render_markdown(value or ""))  # noqa: S308 — cleaned by nh3 in render_markdown


class CitedPostBlock(blocks.StructBlock):
    post_id = blocks.IntegerBlock(label=_("post number"), min_value=1)
    excerpt = blocks.TextBlock(label=_("excerpt"))
    author_name = blocks.CharBlock(label=_("author (at the time of citing)"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Cited post")
        template = "debates/blocks/cited_post.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        try:
            context["post_url"] = reverse("forums:post", kwargs={"post_id": value.get("post_id")})
        except NoReverseMatch:
            context["post_url"] = ""
        return context


class SummaryBlock(blocks.StreamBlock):
    text = MarkdownBlock()
    paragraph = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)
    cited_post = CitedPostBlock()
