"""The sanitizer: hostile inputs come out with only the allowed tags, attributes and URL schemes, and
cleaning is idempotent. Payloads come from public XSS and naughty-string lists (see data/README.md) and from
hand-written tricky cases."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from forums.sanitize import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_SCHEMES,
    ALLOWED_TAGS,
    LINK_REL,
    PostBodyError,
    clean_html,
    normalize_source,
    render,
    render_markdown,
)

DATA = Path(__file__).parent / "data"
CORPUS_FILES = ["IntrudersXSS.txt", "RSNAKE_XSS.txt", "XSS_Polyglots.txt", "BRUTELOGIC-XSS-STRINGS.txt", "blns.txt"]


def corpus() -> list:
    params = []
    for name in CORPUS_FILES:
        for number, line in enumerate((DATA / name).read_text(encoding="utf-8").split("\n"), start=1):
            if not line.strip() or (name == "blns.txt" and line.startswith("#")):
                continue
            params.append(pytest.param(line, id=f"{name}:{number}"))
    return params


TRICKY = [
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java\u200bscript:alert(1)">x</a>',
    '<a href="java\x00script:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "[x](javascript:alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<img src=x onerror=alert(1)>",
    "<scr<script>ipt>alert(1)</script>",
    "<<script>script>alert(1)<</script>/script>",
    "<p><strong><em>nested <a href='https://ok.pl'>link <b>unclosed",
    "<div><p><blockquote><ul><li>unclosed",
    "<a href='https://x.pl' onclick='alert(1)' style='color:red' rel='opener' target='_blank'>x</a>",
    "<iframe src='https://evil.example'></iframe>",
    "<style>body{display:none}</style>",
    "<object data='x.swf'></object><embed src='x.swf'>",
    "<form action='https://evil.example'><input name=a><button>go</button></form>",
    "<!-- <script>alert(1)</script> -->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<a href="https://ok.pl" title="&quot; onmouseover=alert(1) x=&quot;">t</a>',
    "<h1 id=x>h</h1><h6>h</h6><table><tr><td>t</td></tr></table>",
    "<p>\u202eevil\u202c</p>",
    "<base href='javascript:alert(1)//'>",
    "<meta http-equiv='refresh' content='0;url=javascript:alert(1)'>",
    "<a href='mailto:a@b.pl'>m</a><a href='https://x.pl/?q=<script>'>s</a>",
    "```\n<script>alert(1)</script>\n```",
    "`<img src=x onerror=alert(1)>`",
    "> <svg/onload=alert(1)>",
    "* [x](javascript&colon;alert(1))",
    '[a](https://ok.pl "title" onclick=alert(1))',
]


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))


_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def browser_scheme(url: str) -> str | None:
    """The scheme a browser would see (WHATWG URL: trim C0 and spaces, drop tabs and newlines)."""
    url = url.strip("".join(chr(n) for n in range(0x21)))
    url = re.sub(r"[\t\n\r]", "", url)
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else None


def assert_only_allowed(html: str) -> None:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    for tag, attrs in collector.tags:
        assert tag in ALLOWED_TAGS, f"tag <{tag}> in {html!r}"
        allowed = set(ALLOWED_ATTRIBUTES.get(tag, ())) | ({"rel"} if tag == "a" else set())
        for name, value in attrs:
            assert name in allowed, f"attribute {name} on <{tag}> in {html!r}"
            if name == "rel":
                assert value == LINK_REL
            if name == "href":
                scheme = browser_scheme(value or "")
                assert scheme is None or scheme in ALLOWED_SCHEMES, f"scheme {scheme} in {html!r}"
        if tag == "a" and any(name == "href" for name, _ in attrs):
            assert ("rel", LINK_REL) in attrs


def check(payload: str) -> None:
    outputs = [clean_html(payload)]
    if normalize_source(payload).strip():  # a blank body is refused, not rendered
        outputs.append(render_markdown(payload))
    for html in outputs:
        assert_only_allowed(html)
        assert clean_html(html) == html


@pytest.mark.parametrize("payload", corpus())
def test_sanitizer_corpus_payload_keeps_only_allowed_markup(payload):
    check(payload)


@pytest.mark.parametrize("payload", TRICKY)
def test_sanitizer_tricky_payload_keeps_only_allowed_markup(payload):
    check(payload)


def test_sanitizer_whole_mario_vectors_file_as_one_document(settings):
    settings.FORUMS_MAX_POST_CHARS = 100_000
    check((DATA / "MarioXSSVectors.txt").read_text(encoding="utf-8"))


MARIO_VECTORS = re.split(r'<div id="\d+">', (DATA / "MarioXSSVectors.txt").read_text(encoding="utf-8"))[1:]


@pytest.mark.parametrize("vector", MARIO_VECTORS)
def test_sanitizer_each_mario_vector_keeps_only_allowed_markup(vector):
    check(vector)


def test_sanitizer_entity_encoded_javascript_link_loses_its_href():
    html = clean_html('<a href="&#106;avascript:alert(1)">x</a>')
    assert "href" not in html
    assert "x" in html


def test_sanitizer_tab_split_javascript_link_is_not_a_javascript_link():
    html = clean_html('<a href="jav&#x09;ascript:alert(1)">x</a>')
    assert "javascript" not in re.sub(r"\s", "", html.lower())


def test_sanitizer_script_content_is_dropped_not_shown():
    assert clean_html("<p>a<script>alert(1)</script>b</p>") == "<p>ab</p>"


def test_sanitizer_event_handler_is_removed():
    assert clean_html('<p onclick="alert(1)">t</p>') == "<p>t</p>"


def test_sanitizer_svg_is_removed():
    assert "svg" not in clean_html('<svg onload="alert(1)"><circle r="5"/></svg>ok')


def test_sanitizer_links_get_the_rel_of_the_policy():
    html = render_markdown("[gov](https://www.gov.pl)")
    assert html == f'<p><a href="https://www.gov.pl" rel="{LINK_REL}">gov</a></p>\n'


def test_sanitizer_markdown_formatting_is_kept():
    html = render_markdown(
        "# Tytuł\n\n**gruby** *kursywa* ~~skreślony~~\n\n> cytat\n\n- a\n- b\n\n1. x\n\n`kod`\n\n---"
    )
    for fragment in (
        "<h3>Tytuł</h3>",
        "<strong>gruby</strong>",
        "<em>kursywa</em>",
        "<s>skreślony</s>",
        "<blockquote>",
        "<ul>",
        "<ol>",
        "<li>a</li>",
        "<code>kod</code>",
        "<hr>",
    ):
        assert fragment in html


def test_sanitizer_raw_html_in_markdown_is_shown_as_text():
    html = render_markdown("<b>bold</b> <script>alert(1)</script>")
    assert "&lt;script&gt;" in html
    assert "<b>" not in html


def test_sanitizer_control_characters_are_removed_except_newline_and_tab():
    assert normalize_source("a\x00b\x07c\x1b\td\r\ne\x85f") == "abc\td\nef"


def test_sanitizer_text_is_normalised_to_nfc():
    assert normalize_source("z\u0307o\u0301") == "żó"


def test_sanitizer_body_over_the_limit_is_refused(settings):
    settings.FORUMS_MAX_POST_CHARS = 100
    with pytest.raises(PostBodyError) as caught:
        render("a" * 101)
    assert caught.value.code == "too_long"
    assert "100" in caught.value.message


def test_sanitizer_body_at_the_limit_is_accepted(settings):
    settings.FORUMS_MAX_POST_CHARS = 100
    assert render("a" * 100).html == "<p>" + "a" * 100 + "</p>\n"


def test_sanitizer_huge_body_is_refused_before_parsing(settings, monkeypatch):
    settings.FORUMS_MAX_POST_CHARS = 10
    from forums import sanitize

    def parse(*args, **kwargs):
        raise AssertionError("parsed")

    monkeypatch.setattr(sanitize._MARKDOWN, "render", parse)
    with pytest.raises(PostBodyError):
        render("[" * 1_000_000)


def test_sanitizer_mention_that_resolves_becomes_strong():
    rendered = render("Pytanie do @Anna.Nowak: ile?", lambda handle: "anna" if handle == "Anna.Nowak" else None)
    assert "<strong>@Anna.Nowak</strong>:" in rendered.html
    assert rendered.mentioned == ["anna"]


def test_sanitizer_mention_in_code_or_email_is_not_a_mention():
    rendered = render("`@Anna.Nowak` i anna@Anna.Nowak", lambda handle: "anna")
    assert rendered.mentioned == []
    assert "<strong>" not in rendered.html
