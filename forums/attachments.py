"""Checking files attached to posts.

Images (png, jpg, gif, webp) must open in Pillow as that raster format; documents (pdf, docx, odt, xlsx, ods,
pptx, txt, csv) must look like their type. HTML, SVG, XML and scripts are refused whatever they are called;
so are polyglots: images with data after their end, web-page code in their metadata or a ZIP inside, and PDFs
with JavaScript, automatic actions or embedded files (the checks are `oswiata_kit.uploads`; this module names
the forums' allow-list and says each refusal with the file's name, as a post may carry several files).
At most `FORUMS_MAX_ATTACHMENTS` (default 5) files per post, each up to `FORUMS_MAX_ATTACHMENT_MB` (default
10). Files are stored under generated names; the person's file name is kept (as a base name) only to name
the download. Downloads are `oswiata_kit.uploads.safe_download_response`: attachments with a content type from
the safe map, `nosniff` and a sandboxing CSP; verified raster images are shown inline in the post (same headers).
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from oswiata_kit import polyglots
from oswiata_kit import uploads as upload_checks
from oswiata_kit.errors import RuleError

from .conf import forums_settings

IMAGE_EXTENSIONS = ("png", "jpg", "jpeg", "gif", "webp")
DOCUMENT_EXTENSIONS = ("pdf", "docx", "odt", "xlsx", "ods", "pptx", "txt", "csv")
ALLOWED_EXTENSIONS = IMAGE_EXTENSIONS + DOCUMENT_EXTENSIONS


class AttachmentError(RuleError):
    """An attachment was refused (see `oswiata_kit.errors.RuleError`); the forum services blame "attachments"."""


def max_attachment_bytes() -> int:
    return forums_settings.MAX_ATTACHMENT_BYTES


def max_attachments() -> int:
    return forums_settings.MAX_ATTACHMENTS


ATTACHMENT_FILES = upload_checks.UploadPolicy(extensions=ALLOWED_EXTENSIONS, max_bytes=max_attachment_bytes)


def allowed_types_label() -> str:
    return ATTACHMENT_FILES.types_label()


def attachment_content_type(extension: str) -> str:
    return ATTACHMENT_FILES.content_type(extension)


def _message(refused: upload_checks.UploadRefused) -> str:
    """The refusal in the forums' words, naming the file (a post may carry several)."""
    values = {"name": refused.name or "?", "ext": refused.extension, "limit": refused.limit_mb}
    if refused.code == upload_checks.TYPE:
        return _("%(name)s: files of this type cannot be attached. Allowed types: %(types)s.") % {
            **values,
            "types": allowed_types_label(),
        }
    if refused.code == upload_checks.SIZE:
        return _("%(name)s is too large. The limit is %(limit)s MB.") % values
    if refused.code == upload_checks.EMPTY:
        return _("%(name)s is empty.") % values
    if refused.code == upload_checks.MARKUP:
        return (
            _("%(name)s: web pages, SVG graphics, XML and scripts cannot be attached, whatever the file is called.")
            % values
        )
    if refused.code == upload_checks.HIDDEN_CONTENT:
        # Translators: a file's name, then the sentence that says why it cannot be attached.
        return _("%(name)s: %(problem)s") % {**values, "problem": polyglots.problem_message(refused.problem)}
    return _("%(name)s: the content of the file does not match its type (.%(ext)s).") % values


def check_attachment(upload) -> tuple[str, str, bool, str]:
    """Check one upload; return (extension, content type, is_image, display name) or raise AttachmentError."""
    try:
        checked = upload_checks.check_upload(upload, ATTACHMENT_FILES)
    except upload_checks.UploadRefused as refused:
        raise AttachmentError(_message(refused), refused.code) from None
    return checked.extension, checked.content_type, checked.is_image, checked.name


def check_attachments(uploads) -> list[tuple]:
    """Check every upload of one post: [(upload, extension, content type, is_image, name)]."""
    uploads = [u for u in uploads or () if u]
    if len(uploads) > max_attachments():
        limit = max_attachments()
        raise AttachmentError(
            ngettext(
                "You can attach at most %(limit)s file to one post.",
                "You can attach at most %(limit)s files to one post.",
                limit,
            )
            % {"limit": limit},
            "count",
        )
    return [(upload, *check_attachment(upload)) for upload in uploads]
