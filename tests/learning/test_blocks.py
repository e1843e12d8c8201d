"""Lesson blocks: videos only from the allowed players and always with a transcript; images need alt text."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from exchange_groups.models import PositionCategory
from learning.blocks import ImageWithAltBlock, VideoBlock, video_embed_url
from learning.models import CoursePage


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.youtube.com/watch?v=abcDEF12345", "https://www.youtube-nocookie.com/embed/abcDEF12345"),
        ("https://youtu.be/abcDEF12345", "https://www.youtube-nocookie.com/embed/abcDEF12345"),
        ("https://vimeo.com/123456", "https://player.vimeo.com/video/123456"),
        ("https://evil.example.com/watch?v=abc", None),
        ("javascript:alert(1)", None),
    ],
)
def test_video_embed_url_only_from_allowed_players(url, expected):
    assert video_embed_url(url) == expected


def test_video_block_refuses_other_hosts():
    block = VideoBlock()
    value = block.to_python({"title": "Film", "url": "https://example.com/film.mp4", "transcript": "<p>Tekst</p>"})
    with pytest.raises(ValidationError):
        block.clean(value)


def test_video_block_requires_a_transcript():
    block = VideoBlock()
    value = block.to_python({"title": "Film", "url": "https://youtu.be/abcDEF12345", "transcript": ""})
    with pytest.raises(ValidationError):
        block.clean(value)


def test_video_block_renders_the_transcript_and_the_nocookie_player():
    block = VideoBlock()
    value = block.to_python({"title": "Film", "url": "https://youtu.be/abcDEF12345", "transcript": "<p>Zapis</p>"})
    html = block.render(value)
    assert "<details" in html and "Zapis" in html
    assert 'src="https://www.youtube-nocookie.com/embed/abcDEF12345"' in html
    assert "style=" not in html


def test_image_block_requires_alt_text():
    assert ImageWithAltBlock().child_blocks["alt_text"].required


@pytest.mark.django_db
def test_course_audience_is_edited_as_checkboxes_of_position_categories():
    form_class = CoursePage.get_edit_handler().get_form_class()
    field = form_class.base_fields["audience"]
    assert isinstance(field, forms.MultipleChoiceField)
    assert PositionCategory.FINANCE in dict(field.choices)


@pytest.mark.django_db
def test_quiz_block_rendered_anywhere_else_shows_no_answers(course):
    from .conftest import SECRET_MARKERS

    lesson = course.lessons().first()
    html = str(lesson.body)  # what a generic template's {{ page.body }} would print
    assert "Sprawdź swoją wiedzę" in html
    for marker in SECRET_MARKERS:
        assert marker not in html
    assert "Gmina" not in html
    assert str(course.competence_test_a) == ""
