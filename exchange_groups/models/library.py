"""The resource library of a space: files and links with tags.

Files are stored under a generated name (`resources/<space id>/<random>.<ext>`) in the private storage
that only a view with a permission check hands out; the name the person gave is kept for display only,
reduced to its base name. Tags use their own tag model, so they never mix with Wagtail's image and
document tags. Change these rows only through the services in `exchange_groups.library.services`.
"""

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils.text import slugify as django_slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from oswiata_kit.storage import private_storage

from .people import fold
from .spaces import Space


def resource_upload_to(instance, filename: str) -> str:
    """A generated name: the person's file name never becomes a path (only its checked extension is kept)."""
    extension = os.path.splitext(filename)[1].lower().lstrip(".")
    extension = "".join(ch for ch in extension if ch.isalnum())[:8] or "bin"
    return f"resources/{instance.space_id}/{uuid.uuid4().hex}.{extension}"


class ResourceKind(models.TextChoices):
    FILE = "file", _("file")
    LINK = "link", _("link")


class ResourceTag(TagBase):
    """A tag of the resource libraries (separate from the tags of Wagtail's images and documents)."""

    def slugify(self, tag, i=None):
        """An ASCII slug ("sieć szkół" -> "siec-szkol"), so addresses with a tag stay readable."""
        slug = django_slugify(fold(tag))[:90] or "tag"
        return f"{slug}_{i}" if i is not None else slug

    class Meta:
        verbose_name = _("resource tag")
        verbose_name_plural = _("resource tags")
        ordering = ["name"]


class TaggedResource(TaggedItemBase):
    content_object = models.ForeignKey("Resource", on_delete=models.CASCADE, related_name="tagged_items")
    tag = models.ForeignKey(ResourceTag, on_delete=models.CASCADE, related_name="tagged_resources")

    class Meta:
        verbose_name = _("resource tag assignment")
        verbose_name_plural = _("resource tag assignments")
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="unique_resource_tag")]


class Resource(models.Model):
    """A file or a link in a space's library."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="resources", verbose_name=_("space"))
    kind = models.CharField(_("kind"), max_length=8, choices=ResourceKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(
        _("file"), upload_to=resource_upload_to, storage=private_storage, blank=True, max_length=200
    )
    original_filename = models.CharField(_("file name"), max_length=255, blank=True)
    extension = models.CharField(_("file type"), max_length=8, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    search_text = models.TextField(editable=False, blank=True, default="")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The form's one-time key: a repeated submission of the same form finds the resource it made.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False, default=None)

    tags = TaggableManager(through=TaggedResource, blank=True, verbose_name=_("tags"))

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind=ResourceKind.FILE) & ~models.Q(file="") & models.Q(url=""))
                | (models.Q(kind=ResourceKind.LINK) & models.Q(file="") & ~models.Q(url="")),
                name="resource_file_or_link",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_file(self) -> bool:
        return self.kind == ResourceKind.FILE


__all__ = ["Resource", "ResourceKind", "ResourceTag", "TaggedResource", "resource_upload_to"]
