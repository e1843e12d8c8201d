"""StreamField blocks of lessons and of the competence tests.

Quiz questions and their correct answers live in the blocks (editors edit them in the admin). Templates never
render a question block directly: `quiz_questions()` turns a quiz into plain dicts for the server-side scorer,
and `public_questions()` strips every correct-answer flag and feedback text before anything reaches a page.
Questions are identified by their StreamField block id, options and items by their ListBlock item id, so stored
answers keep pointing at the right option when editors reorder or add options.
"""

import random
from urllib.parse import urlparse

from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "link", "document-link", "ol", "ul", "hr", "blockquote"]
SIMPLE_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]

# Embeds are loaded only from these hosts (the site's Content-Security-Policy allows them as frame-src).
VIDEO_HOSTS = {
    "www.youtube-nocookie.com": "youtube",
    "youtube-nocookie.com": "youtube",
    "www.youtube.com": "youtube",
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "vimeo.com": "vimeo",
    "player.vimeo.com": "vimeo",
}


def video_embed_url(url: str) -> str | None:
    """The privacy-friendly player address of a YouTube or Vimeo video, or None for any other address."""
    parsed = urlparse(url or "")
    host = (parsed.hostname or "").lower()
    provider = VIDEO_HOSTS.get(host)
    if parsed.scheme not in ("http", "https") or provider is None:
        return None
    path = parsed.path.strip("/")
    video_id = ""
    if provider == "youtube":
        if host == "youtu.be":
            video_id = path.split("/")[0]
        elif path.startswith("embed/"):
            video_id = path.split("/")[1] if "/" in path else ""
        elif path == "watch":
            from urllib.parse import parse_qs

            video_id = (parse_qs(parsed.query).get("v") or [""])[0]
        if video_id and video_id.replace("-", "").replace("_", "").isalnum():
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
        return None
    parts = [p for p in path.split("/") if p]
    if parts and parts[0] == "video":
        parts = parts[1:]
    if parts and parts[0].isdigit():
        return f"https://player.vimeo.com/video/{parts[0]}"
    return None


class ImageWithAltBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        max_length=250,
        help_text=_("Describe what the image shows for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "learning/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title of the video"))
    url = blocks.URLBlock(
        label=_("address of the video"),
        help_text=_("A YouTube or Vimeo address. The video is shown through the privacy-friendly player."),
    )
    transcript = blocks.RichTextBlock(
        label=_("transcript"),
        features=SIMPLE_TEXT_FEATURES,
        help_text=_("Required: the text of the recording for people who cannot hear or watch it."),
    )

    class Meta:
        icon = "media"
        label = _("Video with a transcript")
        template = "learning/blocks/video.html"

    def clean(self, value):
        value = super().clean(value)
        if video_embed_url(value.get("url")) is None:
            raise StructBlockValidationError(
                block_errors={"url": ValidationError(_("Give the address of a YouTube or Vimeo video."))}
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["embed_url"] = video_embed_url(value.get("url"))
        return context


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("title"), required=False)
    description = blocks.TextBlock(label=_("description"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Document to download (thematic study)")
        template = "learning/blocks/document.html"


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    text = blocks.RichTextBlock(label=_("text"), features=SIMPLE_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        label = _("Call-out")
        template = "learning/blocks/callout.html"


class ReflectionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(label=_("task"), help_text=_("The question the learner answers in their own words."))
    guidance = blocks.RichTextBlock(label=_("guidance"), features=SIMPLE_TEXT_FEATURES, required=False)

    class Meta:
        icon = "edit"
        label = _("Reflection task (kept in the portfolio)")


# --- questions ------------------------------------------------------------------------------------------


class OptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("answer option"))
    correct = blocks.BooleanBlock(label=_("correct"), required=False)
    feedback = blocks.CharBlock(
        label=_("feedback for this option"), required=False, help_text=_("Shown after the answers are submitted.")
    )

    class Meta:
        icon = "radio-full"
        label = _("Option")


class OrderingItemBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("item"))

    class Meta:
        icon = "list-ol"
        label = _("Item")


class _QuestionBase(blocks.StructBlock):
    prompt = blocks.TextBlock(label=_("question"))
    feedback_correct = blocks.CharBlock(label=_("feedback for a correct answer"), required=False)
    feedback_incorrect = blocks.CharBlock(label=_("feedback for a wrong answer"), required=False)


class SingleChoiceQuestionBlock(_QuestionBase):
    options = blocks.ListBlock(OptionBlock(), label=_("options"), min_num=2)

    class Meta:
        icon = "radio-full"
        label = _("Single choice")

    def clean(self, value):
        value = super().clean(value)
        if sum(1 for option in value["options"] if option["correct"]) != 1:
            raise StructBlockValidationError(
                block_errors={"options": ValidationError(_("Mark exactly one option as correct."))}
            )
        return value


class MultipleChoiceQuestionBlock(_QuestionBase):
    options = blocks.ListBlock(OptionBlock(), label=_("options"), min_num=2)

    class Meta:
        icon = "tick-inverse"
        label = _("Multiple choice")

    def clean(self, value):
        value = super().clean(value)
        if not any(option["correct"] for option in value["options"]):
            raise StructBlockValidationError(
                block_errors={"options": ValidationError(_("Mark at least one option as correct."))}
            )
        return value


class TrueFalseQuestionBlock(_QuestionBase):
    correct_answer = blocks.BooleanBlock(
        label=_("the statement is true"), required=False, help_text=_("Tick when the correct answer is “true”.")
    )

    class Meta:
        icon = "help"
        label = _("True or false")


class OrderingQuestionBlock(_QuestionBase):
    items = blocks.ListBlock(
        OrderingItemBlock(),
        label=_("items in the correct order"),
        min_num=2,
        help_text=_("Enter the items in the correct order; learners see them shuffled."),
    )

    class Meta:
        icon = "list-ol"
        label = _("Ordering")


class QuestionsBlock(blocks.StreamBlock):
    single = SingleChoiceQuestionBlock()
    multiple = MultipleChoiceQuestionBlock()
    true_false = TrueFalseQuestionBlock()
    ordering = OrderingQuestionBlock()


class QuizBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), default=_("Check your knowledge"))
    intro = blocks.TextBlock(label=_("introduction"), required=False)
    pass_mark = blocks.IntegerBlock(
        label=_("pass mark (%)"), min_value=0, max_value=100, default=70, help_text=_("Percentage of points needed.")
    )
    max_attempts = blocks.IntegerBlock(
        label=_("attempt limit"), min_value=0, default=3, help_text=_("0 means no limit.")
    )
    questions = QuestionsBlock(label=_("questions"), min_num=1)

    class Meta:
        icon = "form"
        label = _("Quiz")

    def render_basic(self, value, context=None):
        # Lesson pages render quizzes through their own template; anything else that renders the block (a
        # generic template, a search result) gets the title only, never the questions or the answers.
        return format_html("<p>{}</p>", value.get("title", ""))


class LessonBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), form_classname="title", template="learning/blocks/heading.html")
    paragraph = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)
    image = ImageWithAltBlock()
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    reflection = ReflectionBlock()
    quiz = QuizBlock()


# --- competence tests -------------------------------------------------------------------------------------


class _AreaMixin(blocks.StructBlock):
    area = SnippetChooserBlock("learning.CompetenceArea", label=_("competence area"))


class AreaSingleChoiceBlock(_AreaMixin, SingleChoiceQuestionBlock):
    class Meta:
        label = _("Single choice")


class AreaMultipleChoiceBlock(_AreaMixin, MultipleChoiceQuestionBlock):
    class Meta:
        label = _("Multiple choice")


class AreaTrueFalseBlock(_AreaMixin, TrueFalseQuestionBlock):
    class Meta:
        label = _("True or false")


class CompetenceTestBlock(blocks.StreamBlock):
    single = AreaSingleChoiceBlock()
    multiple = AreaMultipleChoiceBlock()
    true_false = AreaTrueFalseBlock()

    def render_basic(self, value, context=None):
        return ""  # a test is shown only by its own page, without the answers


# --- plain data for the scorer and the pages ----------------------------------------------------------------


def _child_id(child, fallback: str) -> str:
    return getattr(child, "original_id", None) or getattr(child, "id", None) or fallback


def question_dicts(stream) -> list[dict]:
    """The questions of a StreamValue (quiz questions or a competence test) as plain dicts, with answers."""
    questions = []
    for index, child in enumerate(stream or []):
        value = child.value
        qid = child.id or f"q{index}"
        question = {
            "id": str(qid),
            "type": child.block_type,
            "prompt": value.get("prompt", ""),
            "feedback_correct": value.get("feedback_correct", ""),
            "feedback_incorrect": value.get("feedback_incorrect", ""),
            "options": [],
        }
        area = value.get("area")
        if area is not None:
            question["area"] = area.pk
        if child.block_type in ("single", "multiple"):
            for n, option in enumerate(value["options"].bound_blocks):
                question["options"].append(
                    {
                        "id": str(_child_id(option, f"{qid}-o{n}")),
                        "text": option.value["text"],
                        "correct": bool(option.value["correct"]),
                        "feedback": option.value.get("feedback", ""),
                    }
                )
        elif child.block_type == "true_false":
            truth = bool(value.get("correct_answer"))
            question["options"] = [
                {"id": "true", "text": str(_("True")), "correct": truth, "feedback": ""},
                {"id": "false", "text": str(_("False")), "correct": not truth, "feedback": ""},
            ]
        elif child.block_type == "ordering":
            for n, item in enumerate(value["items"].bound_blocks):
                question["options"].append(
                    {"id": str(_child_id(item, f"{qid}-i{n}")), "text": item.value["text"], "position": n + 1}
                )
        questions.append(question)
    return questions


def quiz_questions(quiz_value) -> list[dict]:
    return question_dicts(quiz_value["questions"])


def public_questions(questions: list[dict], seed: str) -> list[dict]:
    """What a page may show of the questions: prompts and option texts, never which option is correct.

    Ordering items are shuffled (deterministically per `seed`, so a reload shows the same order) so that the
    order on the page does not give the answer away.
    """
    public = []
    for question in questions:
        options = [{"id": o["id"], "text": o["text"]} for o in question["options"]]
        if question["type"] == "ordering":
            rng = random.Random(f"{seed}:{question['id']}")
            shuffled = options[:]
            for _attempt in range(5):
                rng.shuffle(shuffled)
                if [o["id"] for o in shuffled] != [o["id"] for o in options] or len(options) < 2:
                    break
            options = shuffled
        public.append(
            {
                "id": question["id"],
                "type": question["type"],
                "prompt": question["prompt"],
                "options": options,
                "positions": list(range(1, len(options) + 1)) if question["type"] == "ordering" else [],
            }
        )
    return public
