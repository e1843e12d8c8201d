"""Checking files attached to posts.

Images (png, jpg, gif, webp) must open in Pillow as that raster format; documents (pdf, docx, odt, xlsx, ods,
pptx, txt, csv) must look like their type. HTML, SVG, XML and scripts are refused whatever they are called;
so are polyglots (`oswiata_kit.polyglots`): images with data after their end, web-page code in
their metadata or a ZIP inside, and PDFs with JavaScript, automatic actions or embedded files.
At most `FORUMS_MAX_ATTACHMENTS` (default 5) files per post, each up to `FORUMS_MAX_ATTACHMENT_MB` (default
10). Files are stored under generated names; the person's file name is kept (as a base name) only to name
the download. Downloads are attachments with a content type from the safe map below, `nosniff` and a
sandboxing CSP; verified raster images are shown inline in the post (same headers).
"""

import io
import os
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exchange_groups.library.services import display_filename
from oswiata_kit import polyglots as upload_polyglots
from oswiata_kit.errors import RuleError

DEFAULT_MAX_ATTACHMENT_MB = 10
DEFAULT_MAX_ATTACHMENTS = 5

IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}
SAFE_CONTENT_TYPES = {**IMAGE_TYPES, **DOCUMENT_TYPES}
ALLOWED_EXTENSIONS = tuple(SAFE_CONTENT_TYPES)
_PILLOW_FORMATS = {"png": "png", "jpg": "jpeg", "jpeg": "jpeg", "gif": "gif", "webp": "webp"}
_OOXML = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
_ODF = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
}
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_MARKUP_SIGNS = upload_polyglots.MARKUP_SIGNS


class AttachmentError(RuleError):
    """An attachment was refused (see `oswiata_kit.errors.RuleError`); the forum services blame "attachments"."""


def max_attachment_bytes() -> int:
    return int(getattr(settings, "FORUMS_MAX_ATTACHMENT_MB", DEFAULT_MAX_ATTACHMENT_MB)) * 1024 * 1024


def max_attachments() -> int:
    return int(getattr(settings, "FORUMS_MAX_ATTACHMENTS", DEFAULT_MAX_ATTACHMENTS))


def allowed_types_label() -> str:
    return ", ".join(ext for ext in ALLOWED_EXTENSIONS if ext != "jpeg")


def _head(upload, size: int = 4096) -> bytes:
    upload.seek(0)
    data = upload.read(size)
    upload.seek(0)
    return data


def check_attachment(upload) -> tuple[str, str, bool, str]:
    """Check one upload; return (extension, content type, is_image, display name) or raise AttachmentError."""
    name = display_filename(getattr(upload, "name", ""))
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    if extension not in SAFE_CONTENT_TYPES:
        raise AttachmentError(
            _("%(name)s: files of this type cannot be attached. Allowed types: %(types)s.")
            % {"name": name or "?", "types": allowed_types_label()},
            "type",
        )
    size = getattr(upload, "size", 0) or 0
    limit = max_attachment_bytes()
    if size > limit:
        raise AttachmentError(
            _("%(name)s is too large. The limit is %(limit)s MB.") % {"name": name, "limit": limit // (1024 * 1024)},
            "size",
        )
    if size == 0:
        raise AttachmentError(_("%(name)s is empty.") % {"name": name}, "empty")
    head = _head(upload)
    stripped = head
    for bom in _BOMS:
        if stripped.startswith(bom):
            stripped = stripped[len(bom) :]
            break
    stripped = stripped.lstrip(b" \t\r\n\x0c\x00")
    lowered = head.lower()
    if stripped.startswith(b"<") or (extension in ("txt", "csv") and any(s in lowered for s in _MARKUP_SIGNS)):
        raise AttachmentError(
            _("%(name)s: web pages, SVG graphics, XML and scripts cannot be attached, whatever the file is called.")
            % {"name": name},
            "markup",
        )
    mismatch = AttachmentError(
        _("%(name)s: the content of the file does not match its type (.%(ext)s).") % {"name": name, "ext": extension},
        "content",
    )
    if extension in _PILLOW_FORMATS:
        _check_image(upload, _PILLOW_FORMATS[extension], mismatch)
        _refuse_polyglot(name, upload_polyglots.image_problem(_read_all(upload), _PILLOW_FORMATS[extension]))
    elif extension == "pdf":
        if not head.startswith(b"%PDF-"):
            raise mismatch
        _refuse_polyglot(name, upload_polyglots.pdf_problem(_read_all(upload)))
    elif extension in _OOXML or extension in _ODF:
        _check_zip(upload, extension, mismatch)
    elif b"\x00" in head:  # txt, csv
        raise mismatch
    if extension == "jpeg":
        extension = "jpg"
    return extension, SAFE_CONTENT_TYPES[extension], extension in IMAGE_TYPES, name


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _refuse_polyglot(name: str, problem: str | None) -> None:
    if problem:
        # Translators: a file's name, then the sentence that says why it cannot be attached.
        message = _("%(name)s: %(problem)s") % {"name": name, "problem": upload_polyglots.problem_message(problem)}
        raise AttachmentError(message, "hidden_content")


def _check_image(upload, expected: str, mismatch: AttachmentError) -> None:
    from PIL import Image

    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
            found = (image.format or "").lower()
    except Exception:  # Pillow raises many kinds for a broken, foreign or oversized image
        raise mismatch from None
    finally:
        upload.seek(0)
    if found != expected:
        raise mismatch


def _check_zip(upload, extension: str, mismatch: AttachmentError) -> None:
    if not _head(upload, 4).startswith(b"PK\x03\x04"):
        raise mismatch
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if extension in _OOXML:
                ok = "[Content_Types].xml" in names and any(n.startswith(_OOXML[extension]) for n in names)
            else:
                ok = upload_polyglots.odf_mimetype(archive) == _ODF[extension]
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError):
        raise mismatch from None
    if not ok:
        raise mismatch


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
