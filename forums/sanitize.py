"""The one place where user text becomes HTML: Markdown (markdown-it-py) → HTML → nh3 with one allow-list.

Policy (DESIGN.md, "Sanitizing user content"):
- tags `p br strong em s blockquote code pre ul ol li a h3 h4 hr`; attributes `a[href,title]` only;
  URL schemes http, https and mailto (relative links stay); every link gets
  `rel="nofollow ugc noopener noreferrer"`; no svg, math, iframe, style or on* handlers;
- raw HTML in the Markdown source is shown as text (`html=False`), images are not rendered (the
  `![alt](src)` syntax stays text), Markdown headings of every level become h3 or h4;
- before parsing: control characters except newline and tab are removed, line ends become "\n", the text
  is normalised to NFC, and a body longer than `FORUMS_MAX_POST_CHARS` (default 20,000) is refused;
- `clean_html` is idempotent: cleaning its own output changes nothing. The stored HTML carries
  `SANITIZER_VERSION`, so when this policy changes the posts can be re-cleaned from their source.

Mentions: `@Handle` where the handle is a person's forum handle (see `forums.mentions`), for example
`@Anna.Nowak` or `@Anna.Nowak.17` when two people share a name. A mention that resolves renders as
`<strong>@Anna.Nowak</strong>`; anything else stays plain text. Mentions inside code are not mentions.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import nh3
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

from .conf import forums_settings

SANITIZER_VERSION = 1

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "s", "blockquote", "code", "pre", "ul", "ol", "li", "a", "h3", "h4", "hr"}
)
ALLOWED_ATTRIBUTES = {"a": frozenset({"href", "title"})}
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener noreferrer"

# C0 controls except \t and \n (\r is handled as a line end first), DEL, and C1 controls.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A handle: letters/digits, then groups of letters/digits separated by single dots, hyphens or underscores.
MENTION_HANDLE = re.compile(r"[^\W_](?:[\w]|[.\-](?=[^\W_]))*", re.UNICODE)


class PostBodyError(ValueError):
    """The body cannot be accepted (empty or too long); `message` is translated, for the person."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def max_post_chars() -> int:
    return forums_settings.MAX_POST_CHARS


def normalize_source(source: str) -> str:
    """The text as it is stored: unified line ends, no control characters, NFC."""
    text = str(source or "").replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_CHARS.sub("", text)
    return unicodedata.normalize("NFC", text)


def check_length(source: str) -> None:
    """Refuse an empty or over-long body (checked before any parsing)."""
    limit = max_post_chars()
    if len(source) > limit:
        raise PostBodyError(
            _("The post is too long: %(length)s characters. The limit is %(limit)s characters; shorten it or split it.")
            % {"length": len(source), "limit": limit},
            "too_long",
        )
    if not source.strip():
        raise PostBodyError(_("Write the content of the post."), "empty")


def clean_html(html: str) -> str:
    """Clean HTML with the forums' allow-list (idempotent)."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


@dataclass
class Rendered:
    html: str
    mentioned: list = field(default_factory=list)  # whatever the resolver returned, in order, no repeats


def _heading_levels(state) -> None:
    """h1/h2 → h3, h3..h6 → h4: posts sit inside a page that already has its own headings."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = "h3" if token.tag in ("h1", "h2") else "h4"


def _mention_rule(state, silent: bool) -> bool:
    if state.src[state.pos] != "@":
        return False
    resolve = state.env.get("resolve_mention")
    if resolve is None:
        return False
    if state.pos > 0 and (state.src[state.pos - 1].isalnum() or state.src[state.pos - 1] in "._-@"):
        return False  # part of an e-mail address or a word
    match = MENTION_HANDLE.match(state.src, state.pos + 1, state.posMax)
    if not match:
        return False
    handle = match.group(0)
    target = resolve(handle)
    if target is None:
        return False
    if not silent:
        mentioned = state.env.setdefault("mentioned", [])
        if target not in mentioned:
            mentioned.append(target)
        state.push("strong_open", "strong", 1)
        text = state.push("text", "", 0)
        text.content = "@" + handle
        state.push("strong_close", "strong", -1)
    state.pos = match.end()
    return True


def _build_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("strikethrough")
    md.disable("image")
    md.core.ruler.push("forums_heading_levels", _heading_levels)
    md.inline.ruler.before("emphasis", "forums_mention", _mention_rule)
    return md


_MARKDOWN = _build_markdown()


def render(source: str, resolve_mention: Callable[[str], object] | None = None) -> Rendered:
    """Normalise, check the length, render Markdown and clean it. `resolve_mention(handle)` returns
    the mentioned person (anything not None) or None when the handle is not a mention."""
    text = normalize_source(source)
    check_length(text)
    env: dict = {"resolve_mention": resolve_mention}
    html = _MARKDOWN.render(text, env)
    return Rendered(html=clean_html(html), mentioned=list(env.get("mentioned", [])))


def render_markdown(source: str) -> str:
    """Markdown source → clean HTML (no mentions)."""
    return render(source).html


def quote_markdown(author_name: str, source: str) -> str:
    """The Markdown of a quote of another post, put into the reply form."""
    lines = normalize_source(source).strip().split("\n")
    header = _("%(name)s wrote:") % {"name": author_name}
    quoted = "\n".join(f"> {line}" if line else ">" for line in [header, "", *lines])
    return quoted + "\n\n"
