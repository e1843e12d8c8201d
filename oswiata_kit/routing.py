"""Wagtail's page routing in one query for the whole path instead of two per level.

Wagtail routes `/kursy/kurs/modul/lekcja/` one level at a time: each page looks up its child by slug and then
loads that child's specific page (two queries per level: eight for a lesson). `OneQueryRouteMixin` on the
site's root page reads the pages along the path in one query (by `url_path`, inside its own subtree), and hands
over to Wagtail's own routing at the first page whose class routes differently (a `RoutablePageMixin`, any
`route` of its own) or at the last page; when anything does not match (a missing slug, a path that is not a
chain of children) it answers exactly as Wagtail does, by routing the usual way.
"""

from wagtail.models import Page


def route_in_one_query(root: Page, request, path_components: list[str]):
    """Route `path_components` below `root` as Wagtail would, reading the pages along the path in one query.

    None when they are not a chain of children of `root` named by the path (a slug that does not exist, for
    one): the caller then routes the usual way, which gives the answer (a 404) Wagtail gives."""
    prefixes = [f"{root.url_path}{'/'.join(path_components[: n + 1])}/" for n in range(len(path_components))]
    chain = list(
        Page.objects.filter(url_path__in=prefixes, path__startswith=root.path, depth__gt=root.depth).order_by("depth")
    )
    if len(chain) != len(path_components):
        return None
    parent = root
    for page in chain:
        if page.depth != parent.depth + 1 or not page.path.startswith(parent.path):
            return None
        parent = page
    parent = root
    for number, page in enumerate(chain):
        page._cached_parent_obj = parent  # as Wagtail's route does: get_parent() needs no query
        if page.specific_class is None or page.specific_class.route is not Page.route or number == len(chain) - 1:
            return page.specific.route(request, path_components[number + 1 :])
        parent = page
    return None


class OneQueryRouteMixin:
    def route(self, request, path_components):
        if len(path_components) > 1 and (found := route_in_one_query(self, request, path_components)) is not None:
            return found
        return super().route(request, path_components)
