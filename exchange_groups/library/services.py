"""The resource library of a space: adding, changing, removing and finding files and links.

Files are checked before they are stored: the extension must be on the allow-list, the size within
`EXCHANGE_GROUPS_MAX_UPLOAD_MB` (default 20), and the content must match the extension — HTML, SVG, XML
and scripts are refused whatever they are called, PDFs must start with %PDF, images must open in Pillow,
Office and OpenDocument files must be real ZIP packages. Polyglots are refused too: images with data
after their end, web-page code in their metadata or a ZIP inside, and PDFs with JavaScript, automatic
actions or embedded files (the checks are `oswiata_kit.uploads`; this module names the library's allow-list).
The file is stored under a generated name; the name the person gave is kept (reduced to its base name) only
to show it and to name the download.
"""

import uuid

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from taggit.utils import parse_tags

from exchange_groups.conf import exchange_groups_settings
from exchange_groups.library.permissions import check_can_add_resource, check_can_edit_resource
from exchange_groups.models import Resource, ResourceKind, ResourceTag, Space, fold
from oswiata_kit import uploads
from oswiata_kit.errors import RuleError

MAX_TAGS = 10
MAX_TAG_LENGTH = 50

ALLOWED_EXTENSIONS = (
    "pdf",
    "docx",
    "doc",
    "odt",
    "xlsx",
    "xls",
    "ods",
    "pptx",
    "odp",
    "txt",
    "csv",
    "rtf",
    "png",
    "jpg",
    "jpeg",
    "zip",
)


class LibraryError(RuleError):
    """A library rule was broken (see `oswiata_kit.errors.RuleError`)."""


# --- files -----------------------------------------------------------------------------------------


def max_upload_bytes() -> int:
    return exchange_groups_settings.MAX_UPLOAD_BYTES


RESOURCE_FILES = uploads.UploadPolicy(extensions=ALLOWED_EXTENSIONS, max_bytes=max_upload_bytes)


def check_resource_file(upload) -> tuple[str, str]:
    """Check an uploaded file; return (extension, detected content type) or raise LibraryError("file")."""
    try:
        checked = uploads.check_upload(upload, RESOURCE_FILES)
    except uploads.UploadRefused as refused:
        raise LibraryError(refused.message, f"file_{refused.code}", "file") from None
    return checked.extension, checked.content_type


def resource_content_type(resource: Resource) -> str:
    """The content type a download is served with: from the safe map, else application/octet-stream."""
    return RESOURCE_FILES.content_type(resource.extension)


# --- tags and search text ----------------------------------------------------------------------------


def clean_tags(value) -> list[str]:
    """Tag names from "a, b c" text (taggit's rules) or a list; at most MAX_TAGS, each MAX_TAG_LENGTH long."""
    names = parse_tags(value) if isinstance(value, str) else [str(v) for v in value or ()]
    result: list[str] = []
    seen = set()
    for name in names:
        name = " ".join(name.split())
        if not name:
            continue
        if len(name) > MAX_TAG_LENGTH:
            raise LibraryError(
                _("A tag can be at most %(limit)s characters long.") % {"limit": MAX_TAG_LENGTH}, "tag_length", "tags"
            )
        if name.casefold() not in seen:
            seen.add(name.casefold())
            result.append(name)
    if len(result) > MAX_TAGS:
        raise LibraryError(_("Give at most %(limit)s tags.") % {"limit": MAX_TAGS}, "tag_count", "tags")
    return result


def _set_tags(resource: Resource, names: list[str]) -> None:
    tags = []
    for name in names:
        tag = ResourceTag.objects.filter(name__iexact=name).first()
        if tag is None:
            tag = ResourceTag.objects.create(name=name)
        tags.append(tag)
    resource.tags.set(tags)


def _refresh_search_text(resource: Resource) -> None:
    names = list(resource.tags.values_list("name", flat=True))
    text = fold(" ".join([resource.title, resource.description, resource.original_filename, *names]))
    Resource.objects.filter(pk=resource.pk).update(search_text=text)
    resource.search_text = text


def _clean_text(title: str, description: str) -> tuple[str, str]:
    title = " ".join((title or "").split())
    description = (description or "").strip()
    if not title:
        raise LibraryError(_("Give the resource a title."), "title_required", "title")
    if len(title) > 200:
        raise LibraryError(_("The title can be at most 200 characters long."), "title_length", "title")
    if len(description) > 5000:
        raise LibraryError(
            _("The description can be at most 5000 characters long."), "description_length", "description"
        )
    return title, description


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        raise LibraryError(_("Enter the address of the link."), "url_required", "url")
    if not url.lower().startswith(("https://", "http://")) or len(url) > 500:
        raise LibraryError(
            _("The link must be a full address starting with https:// (or http://)."), "url_scheme", "url"
        )
    return url


# --- services -------------------------------------------------------------------------------------------


def add_resource(
    actor,
    space: Space,
    *,
    kind: str,
    title: str,
    description: str = "",
    file=None,
    url: str = "",
    tags=(),
    submission_key=None,
) -> Resource:
    """Add a file or a link to the space's library. A repeated submission (same key) returns the first one."""
    check_can_add_resource(actor, space)
    if submission_key:
        existing = Resource.objects.filter(submission_key=submission_key, space=space, added_by=actor).first()
        if existing is not None:
            return existing
    title, description = _clean_text(title, description)
    tag_names = clean_tags(tags)
    resource = Resource(
        space=space,
        kind=kind,
        title=title,
        description=description,
        added_by=actor,
        submission_key=submission_key or None,
    )
    if kind == ResourceKind.LINK:
        resource.url = _clean_url(url)
    elif kind == ResourceKind.FILE:
        if not file:
            raise LibraryError(_("Choose a file to add."), "file_required", "file")
        resource.extension, resource.content_type = check_resource_file(file)
        resource.original_filename = uploads.display_filename(file.name) or f"plik.{resource.extension}"
        resource.size = file.size
    else:
        raise LibraryError(_("Choose whether you add a file or a link."), "kind", "kind")
    try:
        with transaction.atomic():
            if resource.is_file:
                resource.file.save(f"resource.{resource.extension}", file, save=False)
            resource.save()
            _set_tags(resource, tag_names)
            _refresh_search_text(resource)
    except IntegrityError:
        if resource.file:
            resource.file.delete(save=False)
        existing = Resource.objects.filter(submission_key=submission_key, space=space, added_by=actor).first()
        if submission_key and existing is not None:
            return existing
        raise
    except Exception:
        if resource.file:
            resource.file.delete(save=False)
        raise
    return resource


def update_resource(actor, resource: Resource, *, title: str, description: str = "", url=None, tags=()) -> Resource:
    """Change the title, description, tags and (for a link) the address. The file itself stays."""
    check_can_edit_resource(actor, resource)
    title, description = _clean_text(title, description)
    tag_names = clean_tags(tags)
    with transaction.atomic():
        resource.title = title
        resource.description = description
        fields = ["title", "description", "updated_at"]
        if not resource.is_file and url is not None:
            resource.url = _clean_url(url)
            fields.append("url")
        resource.save(update_fields=fields)
        _set_tags(resource, tag_names)
        _refresh_search_text(resource)
    return resource


def delete_resource(actor, resource: Resource) -> None:
    """Remove a resource; its file goes once the removal is committed."""
    check_can_edit_resource(actor, resource)
    with transaction.atomic():
        stored = resource.file.name if resource.file else ""
        storage = resource.file.storage
        resource.delete()
        if stored:
            transaction.on_commit(lambda: storage.delete(stored))


def search_resources(space: Space, q: str = "", tag: str = ""):
    """The space's resources matching every word of `q` (diacritics ignored) and, if given, the tag slug."""
    resources = Resource.objects.filter(space=space).select_related("added_by").prefetch_related("tags")
    for word in fold(q).split()[:10]:
        resources = resources.filter(search_text__contains=word)
    if tag:
        resources = resources.filter(Q(tagged_items__tag__slug=tag)).distinct()
    return resources.order_by("-created_at", "-pk")


def tags_in(space: Space):
    """The tags used in the space's library, by name."""
    return ResourceTag.objects.filter(tagged_resources__content_object__space=space).distinct().order_by("name")


def new_submission_key() -> str:
    return uuid.uuid4().hex
