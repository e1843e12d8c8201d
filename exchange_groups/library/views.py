"""Pages of a space's resource library: the list with search, adding, editing, removing, downloading.

Privacy (see `library.permissions`): `get_space_or_404` comes first everywhere, so a private space's
library answers 404 to outsiders on every URL and method. Downloads are attachments with a content type
from a safe map, `X-Content-Type-Options: nosniff` and a sandboxing Content-Security-Policy
(`oswiata_kit.uploads.safe_download_response`).
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from exchange_groups.library import services
from exchange_groups.library.forms import LibrarySearchForm, ResourceEditForm, ResourceForm
from exchange_groups.library.permissions import (
    can_add_resource,
    can_edit_resource,
    can_view_library,
    get_resource_or_404,
)
from exchange_groups.models import ResourceKind
from exchange_groups.spaces.permissions import get_space_or_404
from exchange_groups.spaces.shortcuts import space_context
from oswiata_kit.uploads import safe_download_response

PER_PAGE = 25


def _library_space(request, slug):
    """(space, None) when the person may use the library, else (space, the refusal)."""
    space = get_space_or_404(request.user, slug)
    if not can_view_library(request.user, space):
        if not request.user.is_authenticated:
            return space, redirect_to_login(request.get_full_path())
        return space, render(
            request, "exchange_groups/spaces/members_only.html", space_context(request, space), status=403
        )
    return space, None


def _refuse(request, space, message: str):
    return render(
        request,
        "exchange_groups/library/not_allowed.html",
        space_context(request, space, section="library", message=message),
        status=403,
    )


def _not_allowed(request, *methods):
    """405 for other methods, checked only after the privacy checks (a private space answers 404 first)."""
    allowed = {"GET", "HEAD", *methods}
    if request.method not in allowed:
        return HttpResponseNotAllowed(sorted(allowed))
    return None


def _to_list(space):
    return redirect("exchange_groups:library", slug=space.slug)


def library(request, slug):
    space, refused = _library_space(request, slug)
    if refused:
        return refused
    if wrong_method := _not_allowed(request):
        return wrong_method
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


def resource_add(request, slug):
    space, refused = _library_space(request, slug)
    if refused:
        return refused
    if not can_add_resource(request.user, space):
        return _refuse(request, space, _("Only the members of this space can add resources to its library."))
    if wrong_method := _not_allowed(request, "POST"):
        return wrong_method
    if request.method == "POST":
        form = ResourceForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                resource = services.add_resource(
                    request.user,
                    space,
                    kind=data["kind"],
                    title=data["title"],
                    description=data["description"],
                    file=data["file"] if data["kind"] == ResourceKind.FILE else None,
                    url=data["url"] if data["kind"] == ResourceKind.LINK else "",
                    tags=data["tags"],
                    submission_key=data["submission_key"],
                )
            except services.LibraryError as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("“%(title)s” has been added to the library.") % {"title": resource.title})
                return _to_list(space)
    else:
        form = ResourceForm(initial={"submission_key": services.new_submission_key()})
    context = space_context(request, space, section="library", form=form)
    return render(request, "exchange_groups/library/resource_add.html", context)


def resource_edit(request, slug, pk):
    resource = get_resource_or_404(request.user, slug, pk)
    space = resource.space
    if not can_edit_resource(request.user, resource):
        return _refuse(
            request,
            space,
            _("Only the person who added this resource and the coordinators of the space can change or remove it."),
        )
    if wrong_method := _not_allowed(request, "POST"):
        return wrong_method
    is_link = not resource.is_file
    if request.method == "POST":
        form = ResourceEditForm(request.POST, is_link=is_link)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_resource(
                    request.user,
                    resource,
                    title=data["title"],
                    description=data["description"],
                    url=data.get("url"),
                    tags=data["tags"],
                )
            except services.LibraryError as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("The changes have been saved."))
                return _to_list(space)
    else:
        initial = {
            "title": resource.title,
            "description": resource.description,
            "url": resource.url,
            "tags": ", ".join(tag.name for tag in resource.tags.all()),
        }
        form = ResourceEditForm(initial=initial, is_link=is_link)
    context = space_context(request, space, section="library", form=form, resource=resource)
    return render(request, "exchange_groups/library/resource_edit.html", context)


def resource_delete(request, slug, pk):
    resource = get_resource_or_404(request.user, slug, pk)
    space = resource.space
    if not can_edit_resource(request.user, resource):
        return _refuse(
            request,
            space,
            _("Only the person who added this resource and the coordinators of the space can change or remove it."),
        )
    if wrong_method := _not_allowed(request, "POST"):
        return wrong_method
    if request.method == "POST":
        services.delete_resource(request.user, resource)
        messages.success(request, _("“%(title)s” has been removed from the library.") % {"title": resource.title})
        return _to_list(space)
    context = space_context(request, space, section="library", resource=resource)
    return render(request, "exchange_groups/library/resource_delete.html", context)


def resource_download(request, slug, pk):
    resource = get_resource_or_404(request.user, slug, pk)
    if wrong_method := _not_allowed(request):
        return wrong_method
    if not resource.is_file or not resource.file:
        raise Http404(_("No such resource."))
    try:
        handle = resource.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("No such resource.")) from None
    name = resource.original_filename or f"plik.{resource.extension}"
    return safe_download_response(handle, name, services.resource_content_type(resource))
