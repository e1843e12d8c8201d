"""The permission matrix's world for the browser tests (tests/e2e/conftest.py:matrix_server builds it once).

The world of tests/site/matrix_data.py, committed so that the server sees it, with what only a browser shows:
a lesson with an image and a video, a member whose profile is complete, and the good-practice base.
"""

from tests.e2e.conftest import session_cookies
from tests.site import matrix_data
from tests.site.test_permission_matrix import PERSONA_USER


def build_world() -> dict:
    """The matrix's world, a lesson with media, a complete profile for the member and a good-practice base.

    Its files go to the private storage beside MEDIA_ROOT, which the browser tests share with the server."""
    world = matrix_data.build_world()
    world["media_lesson"] = add_lesson_with_media(world["module"])
    complete_profile(world["member"])
    add_good_practice_index()
    return world


def complete_profile(user):
    """The matrix's people have no JST yet (the matrix records the refusals that follow); the member of these
    browser tests completes it, so that the pages open only to complete profiles are checked too."""
    from exchange_groups.models import PositionCategory, Profile
    from tests.factories import TerritorialUnitFactory

    Profile.objects.filter(user=user).update(
        unit=TerritorialUnitFactory(name="Bolesławiec"),
        position_category=PositionCategory.EDUCATION_DEPARTMENT,
        job_title="Inspektor ds. oświaty",
    )


def add_good_practice_index():
    """The good-practice base (the matrix has none): where submitted practices go."""
    from wagtail.models import Page

    from exchange_groups.models import GoodPracticeIndexPage

    home = Page.objects.filter(depth=2).first()
    home.add_child(instance=GoodPracticeIndexPage(title="Dobre praktyki", slug="dobre-praktyki"))


def add_lesson_with_media(module):
    """A lesson with what needs a text alternative: an image (alt text, caption), a video (title, transcript)."""
    import io

    from django.core.files.images import ImageFile
    from PIL import Image
    from wagtail.images import get_image_model

    from learning.models import LessonPage

    buffer = io.BytesIO()
    Image.new("RGB", (320, 180), (18, 80, 140)).save(buffer, format="PNG")
    image = get_image_model().objects.create(title="Mapa szkół gminy", file=ImageFile(buffer, name="mapa-szkol.png"))
    lesson = LessonPage(
        title="Lekcja z mapą i nagraniem",
        slug="lekcja-z-mapa",
        body=[
            {"type": "paragraph", "value": "<p>Sieć szkół w gminie.</p>"},
            {
                "type": "image",
                "value": {
                    "image": image.pk,
                    "alt_text": "Mapa gminy z zaznaczonymi trzema szkołami podstawowymi",
                    "caption": "Sieć szkół w 2026 r.",
                },
            },
            {
                "type": "video",
                "value": {
                    "title": "Rozmowa o subwencji oświatowej",
                    "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                    "transcript": "<p>Skarbnik gminy omawia podział subwencji.</p>",
                },
            },
        ],
    )
    module.add_child(instance=lesson)
    return lesson


def session_cookie(world, persona: str, base_url: str) -> list[dict]:
    """The cookies of a persona of the world (none for the anonymous visitor)."""
    if persona == "anonymous":
        return []
    return session_cookies(world[PERSONA_USER[persona]], base_url)
