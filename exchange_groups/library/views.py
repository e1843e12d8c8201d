"""Pages of a space's resource library: the list with search, adding, editing, removing, downloading.

Privacy (see `library.permissions`): `get_space_or_404` comes first everywhere (`space_view`, or
`resource_view` through `get_resource_or_404`), so a private space's library answers 404 to outsiders on
every URL and method; the method check (405) comes after it. Refusals go through the site's 403 handler
(spaces/shortcuts.py): the "members only" page, or the library's "not allowed" page with the reason.
Downloads are attachments with a content type from a safe map, `X-Content-Type-Options: nosniff` and a
sandboxing Content-Security-Policy (`oswiata_kit.uploads.safe_download_response`).
"""

import functools

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from exchange_groups.library import services
from exchange_groups.library.forms import LibrarySearchForm, ResourceEditForm, ResourceForm
from exchange_groups.library.permissions import (
    can_add_resource,
    can_edit_resource,
    check_can_add_resource,
    check_can_edit_resource,
    get_resource_or_404,
)
from exchange_groups.models import ResourceKind
from exchange_groups.spaces.shortcuts import MEMBER, refused_in_space, space_context, space_view
from oswiata_kit.uploads import safe_download_response
from oswiata_kit.views import submit_form

PER_PAGE = 25
NOT_ALLOWED = "exchange_groups/library/not_allowed.html"
# GET shows the form, POST sends it; anything else is 405 (after the privacy checks).
form_methods = require_http_methods(["GET", "HEAD", "POST"])


def resource_view(*, editing=False):
    """A page of one resource: the URL's `slug` and `pk` become `resource` (404 to anyone who may not see the
    library, so nobody outside learns which resources exist); `editing` refuses people who may not change it."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, slug, pk):
            resource = get_resource_or_404(request.user, slug, pk)
            if editing:
                with refused_in_space(request, resource.space, NOT_ALLOWED, section="library"):
                    check_can_edit_resource(request.user, resource)
            return view(request, resource)

        return wrapper

    return decorator


def _list_url(space) -> str:
    return reverse("exchange_groups:library", kwargs={"slug": space.slug})


@space_view(MEMBER)
@require_safe
def library(request, space):
    form = LibrarySearchForm(request.GET or None, tags=services.tags_in(space))
    q = tag = ""
    if form.is_bound and form.is_valid():
        q = form.cleaned_data["q"]
        tag = form.cleaned_data["tag"]
    resources = services.search_resources(space, q=q, tag=tag)
    page = Paginator(resources, PER_PAGE).get_page(request.GET.get("strona"))
    for resource in page.object_list:
        resource.can_edit = can_edit_resource(request.user, resource)
    query = request.GET.copy()
    query.pop("strona", None)
    context = space_context(
        request,
        space,
        section="library",
        form=form,
        page=page,
        resources=page.object_list,
        filtered=bool(q or tag),
        query_string=query.urlencode(),
        can_add=can_add_resource(request.user, space),
    )
    return render(request, "exchange_groups/library/library.html", context)


@space_view(check_can_add_resource, refusal=NOT_ALLOWED, section="library")
@form_methods
def resource_add(request, space):
    if request.method == "POST":
        form = ResourceForm(request.POST, request.FILES)
    else:
        form = ResourceForm(initial={"submission_key": services.new_submission_key()})
    if done := submit_form(
        request,
        form,
        lambda data: services.add_resource(
            request.user,
            space,
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            file=data["file"] if data["kind"] == ResourceKind.FILE else None,
            url=data["url"] if data["kind"] == ResourceKind.LINK else "",
            tags=data["tags"],
            submission_key=data["submission_key"],
        ),
        success_message=lambda resource: _("“%(title)s” has been added to the library.") % {"title": resource.title},
        redirect_to=_list_url(space),
    ):
        return done
    context = space_context(request, space, section="library", form=form)
    return render(request, "exchange_groups/library/resource_add.html", context)


@resource_view(editing=True)
@form_methods
def resource_edit(request, resource):
    space = resource.space
    is_link = not resource.is_file
    if request.method == "POST":
        form = ResourceEditForm(request.POST, is_link=is_link)
    else:
        initial = {
            "title": resource.title,
            "description": resource.description,
            "url": resource.url,
            "tags": ", ".join(tag.name for tag in resource.tags.all()),
        }
        form = ResourceEditForm(initial=initial, is_link=is_link)
    if done := submit_form(
        request,
        form,
        lambda data: services.update_resource(
            request.user,
            resource,
            title=data["title"],
            description=data["description"],
            url=data.get("url"),
            tags=data["tags"],
        ),
        success_message=_("The changes have been saved."),
        redirect_to=_list_url(space),
    ):
        return done
    context = space_context(request, space, section="library", form=form, resource=resource)
    return render(request, "exchange_groups/library/resource_edit.html", context)


@resource_view(editing=True)
@form_methods
def resource_delete(request, resource):
    space = resource.space
    if request.method == "POST":
        services.delete_resource(request.user, resource)
        messages.success(request, _("“%(title)s” has been removed from the library.") % {"title": resource.title})
        return redirect(_list_url(space))
    context = space_context(request, space, section="library", resource=resource)
    return render(request, "exchange_groups/library/resource_delete.html", context)


@resource_view()
@require_safe
def resource_download(request, resource):
    if not resource.is_file or not resource.file:
        raise Http404(_("No such resource."))
    try:
        handle = resource.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("No such resource.")) from None
    name = resource.original_filename or f"plik.{resource.extension}"
    return safe_download_response(handle, name, services.resource_content_type(resource))
