"""What the good-practice base's index page shows: the public listing with its filters and pages.

The rule of the house: what a page shows is built in `<app>/pages.py`; views serve URLs; services change state.
A page model's `get_context` (or `serve`) imports its function from here inside the method, as Wagtail does:
this module imports the models, so the models cannot import it at the top. A context of one line (one queryset,
as `CourseIndexPage` and `HomePage` have) may stay on the model. Nothing here writes.

The filters: voivodeship (`woj`, TERYT code), JST kind (`rodzaj`, a UnitKind code; the former Polish codes still
work), theme (`temat`, tag slug) and full text (`q`, every word, diacritics ignored, over a folded copy of the text,
so it works the same on SQLite and PostgreSQL); `strona` is the page number. The practices come with their unit,
voivodeship and themes, so the listing runs the same number of queries however many practices it shows.
"""

import hashlib
from functools import cache

from django.core.cache import cache as django_cache
from django.core.paginator import Paginator
from django.template.loader import get_template
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.safestring import mark_safe

from exchange_groups.models import (
    GoodPracticeIndexPage,
    GoodPracticePage,
    GoodPracticeTag,
    PracticeTheme,
    TerritorialUnit,
    UnitKind,
    fold,
)
from exchange_groups.practices.forms import PracticeFilterForm

PER_PAGE = 10
CARD_TEMPLATE = "exchange_groups/practices/_card.html"
CARD_TIMEOUT = 7 * 24 * 3600
VOIVODESHIPS_KEY = "practices:voivodeships"


def live_practices(index: GoodPracticeIndexPage | None = None):
    practices = GoodPracticePage.objects.live().public()
    if index is not None:
        practices = practices.child_of(index)
    return practices.select_related("unit__voivodeship", "unit__parent", "voivodeship")


def filter_practices(practices, *, voivodeship: str = "", kind: str = "", theme: str = "", q: str = ""):
    if voivodeship:
        practices = practices.filter(voivodeship__code=voivodeship)
    if kind:
        practices = practices.filter(unit_kind=kind)
    if theme:
        practices = practices.filter(tagged_themes__tag__slug=theme).distinct()
    for word in fold(q).split()[:10]:
        practices = practices.filter(search_text__contains=word)
    return practices


def voivodeship_choices() -> list[tuple[str, str]]:
    """The 16 voivodeships of the register, kept an hour in the cache: the listing's filter asks on every view."""
    choices = django_cache.get(VOIVODESHIPS_KEY)
    if choices is None:
        units = TerritorialUnit.objects.filter(kind=UnitKind.VOIVODESHIP).only("code", "name")
        choices = [(unit.code, unit.name.lower()) for unit in sorted(units, key=lambda unit: fold(unit.name))]
        django_cache.set(VOIVODESHIPS_KEY, choices, 3600)
    return choices


def kind_choices() -> list[tuple[str, str]]:
    return [(value, label) for value, label in UnitKind.choices if value != UnitKind.VOIVODESHIP]


def theme_choices(index: GoodPracticeIndexPage | None = None, practices=None) -> list[tuple[str, str]]:
    """The themes of the live practices (`practices`: `live_practices(index)` when the caller has it already)."""
    practices = live_practices(index) if practices is None else practices
    themes = PracticeTheme.objects.filter(tagged_practices__content_object__in=practices).distinct()
    return [(theme.slug, theme.name) for theme in themes.order_by("name")]


def practice_listing_context(index: GoodPracticeIndexPage, request) -> dict:
    """GoodPracticeIndexPage: the filter form, one page of the matching practices, and the query to keep."""
    live = live_practices(index)  # one look-up of the view restrictions for the themes and the list
    form = PracticeFilterForm(
        request.GET or None,
        voivodeships=voivodeship_choices(),
        kinds=kind_choices(),
        themes=theme_choices(index, live),
    )
    filters = {"voivodeship": "", "kind": "", "theme": "", "q": ""}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {"voivodeship": data["woj"], "kind": data["rodzaj"], "theme": data["temat"], "q": data["q"]}
    practices = filter_practices(live, **filters).order_by("-first_published_at", "-pk")
    page = Paginator(practices, PER_PAGE).get_page(request.GET.get("strona"))
    query = request.GET.copy()
    query.pop("strona", None)
    index_url = index.get_url(request)  # every practice's address and theme links start with it
    return {
        "filter_form": form,
        "practices_page": page,
        "practices": page.object_list,
        "practice_cards": practice_cards(list(page.object_list), index_url),
        "filtered": any(filters.values()),
        "query_string": query.urlencode(),
        "index_url": index_url,
    }


@cache
def _card_digest() -> str:
    """The card template's own text: a changed template (a new release) never shows cards of the old one."""
    return hashlib.sha256(get_template(CARD_TEMPLATE).template.source.encode()).hexdigest()[:12]


def practice_cards(practices: list, index_url: str) -> list[str]:
    """The listing's card of each practice (children of the index at `index_url`), the same for every visitor:
    one query for the themes of them all, one cache read, and only the cards not cached yet are rendered. The key
    holds what a card shows and may change without a new revision: the unit's and voivodeship's names and the
    themes' names, besides the page's own revision and publication, the language and the template's text."""
    themes = {practice.pk: [] for practice in practices}
    tagged = GoodPracticeTag.objects.filter(content_object_id__in=themes).order_by("tag__name")
    for practice_id, slug, name in tagged.values_list("content_object_id", "tag__slug", "tag__name"):
        themes[practice_id].append((slug, name))
    language = translation.get_language()
    keys = {}
    for practice in practices:
        unit, voivodeship = practice.unit, practice.voivodeship
        shown = (
            index_url,
            practice.slug,
            (unit.name, unit.kind) if unit else None,
            voivodeship.name if voivodeship else None,
            themes[practice.pk],
        )
        digest = hashlib.sha256(repr(shown).encode()).hexdigest()[:16]
        published = practice.last_published_at.isoformat() if practice.last_published_at else ""
        keys[practice.pk] = (
            f"practices:card:{practice.pk}:{practice.latest_revision_id}:{published}:{language}:"
            f"{_card_digest()}:{digest}"
        )
    found = django_cache.get_many(list(keys.values())) if keys else {}
    template = get_template(CARD_TEMPLATE)
    cards, missing = [], {}
    for practice in practices:
        key = keys[practice.pk]
        html = found.get(key)
        if html is None:
            url = f"{index_url}{iri_to_uri(practice.slug)}/"  # as Wagtail's reverse quotes it
            html = template.render(
                {"practice": practice, "url": url, "themes": themes[practice.pk], "index_url": index_url}
            )
            missing[key] = html
        cards.append(mark_safe(html))  # noqa: S308 - our template's output, every value escaped
    if missing:
        django_cache.set_many(missing, CARD_TIMEOUT)
    return cards
