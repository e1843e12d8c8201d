"""The summary as a PDF (ReportLab, DejaVu Sans for the Polish letters: `oswiata_kit.pdf`, as the certificates)."""

from html import escape
from html.parser import HTMLParser
from io import BytesIO

from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from forums.sanitize import render_markdown
from oswiata_kit.pdf import register_fonts
from oswiata_kit.urls import absolute_url

BLOCK_TAGS = {"p", "li", "h3", "h4", "blockquote", "pre"}


class _Blocks(HTMLParser):
    """The text of each block element of the cleaned HTML: (tag, text) pairs, list items with a bullet."""

    def __init__(self):
        super().__init__()
        self.blocks: list[tuple[str, str]] = []
        self._stack: list[str] = []
        self._text: list[str] = []
        self._lists: list[list] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self._lists.append([tag, 0])
        if tag in BLOCK_TAGS:
            self._flush()
            self._stack.append(tag)
            if tag == "li" and self._lists:
                self._lists[-1][1] += 1
                kind, number = self._lists[-1]
                self._text.append("• " if kind == "ul" else f"{number}. ")
        if tag == "br":
            self._text.append("\n")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self._flush(tag)
            if self._stack:
                self._stack.pop()
        if tag in ("ul", "ol") and self._lists:
            self._lists.pop()

    def handle_data(self, data):
        self._text.append(data)

    def _flush(self, tag=None):
        text = "".join(self._text).strip()
        if text:
            self.blocks.append((tag or (self._stack[-1] if self._stack else "p"), text))
        self._text = []

    def close(self):
        super().close()
        self._flush()


def markdown_blocks(source: str) -> list[tuple[str, str]]:
    parser = _Blocks()
    parser.feed(render_markdown(source or ""))
    parser.close()
    return parser.blocks


def summary_pdf_bytes(debate, summary, language: str | None = None) -> bytes:
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    register_fonts()
    base = ParagraphStyle("base", fontName="DejaVuSans", fontSize=10.5, leading=15, alignment=TA_LEFT, spaceAfter=6)
    small = ParagraphStyle("small", parent=base, fontSize=9, leading=12, textColor="#444444")
    h1 = ParagraphStyle("h1", parent=base, fontName="DejaVuSans-Bold", fontSize=17, leading=22, spaceAfter=8)
    h2 = ParagraphStyle("h2", parent=base, fontName="DejaVuSans-Bold", fontSize=13, leading=17, spaceBefore=8)
    quote = ParagraphStyle("quote", parent=base, leftIndent=8 * mm, fontSize=10, leading=14, textColor="#222222")

    buffer = BytesIO()
    with translation.override(language or settings.LANGUAGE_CODE):
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=22 * mm,
            rightMargin=22 * mm,
            topMargin=20 * mm,
            bottomMargin=20 * mm,
            title=summary.title,
            author=_("Association of Polish Cities (ZMP)"),
            lang=translation.get_language(),
            invariant=True,
        )
        story = [
            Paragraph(escape(summary.title), h1),
            Paragraph(
                escape(
                    _("Debate: %(title)s. Discussion from %(opens)s to %(closes)s.")
                    % {
                        "title": debate.title,
                        "opens": formats.date_format(debate.opened_at or debate.opens_at, "j E Y"),
                        "closes": formats.date_format(debate.closed_at or debate.closes_at, "j E Y"),
                    }
                ),
                small,
            ),
            Spacer(1, 4 * mm),
        ]
        for child in summary.public_blocks:  # never a quote the public may not see
            if child.block_type in ("text", "paragraph"):
                source = child.value if child.block_type == "text" else ""
                blocks = markdown_blocks(source) if source else _rich_text_blocks(child.value)
                for tag, text in blocks:
                    style = h2 if tag in ("h3", "h4") else quote if tag == "blockquote" else base
                    story.append(Paragraph(escape(text).replace("\n", "<br/>"), style))
            elif child.block_type == "cited_post":
                value = child.value
                url = absolute_url(reverse("forums:post", kwargs={"post_id": value["post_id"]}))
                story.append(Paragraph(escape(f"„{value['excerpt']}”"), quote))
                story.append(
                    Paragraph(
                        escape(
                            _("— %(author)s, post in the debate's forum: %(url)s")
                            % {"author": value.get("author_name") or _("a former participant"), "url": url}
                        ),
                        ParagraphStyle("cite", parent=small, leftIndent=8 * mm, spaceAfter=8),
                    )
                )
        story.append(Spacer(1, 6 * mm))
        story.append(Paragraph(escape(_("Published at %(url)s") % {"url": absolute_url(summary.url or "")}), small))
        doc.build(story)
    return buffer.getvalue()


def _rich_text_blocks(value) -> list[tuple[str, str]]:
    parser = _Blocks()
    parser.feed(str(getattr(value, "source", value) or ""))
    parser.close()
    return parser.blocks
