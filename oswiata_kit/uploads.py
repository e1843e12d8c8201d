"""Checking uploaded files and handing stored ones out: one code path for every upload point.

Each upload point (a space's library, meeting materials, forum attachments) declares an `UploadPolicy`: its
allow-list of extensions and its size limit. `check_upload(upload, policy)` applies the same rules to all:
- the extension (of the base name the browser sent, `display_filename`) must be on the allow-list;
- the size must be above zero and within the limit;
- web-page code is refused whatever the file is called: a file whose first bytes (after a byte-order mark and
  white space) open a tag, a text file (txt, csv) or the head of a PDF with markup in it;
- the bytes must be what the extension says: images must open in Pillow as that format, PDFs start with %PDF-,
  Office and OpenDocument files are real ZIP packages of their kind, old Office files are OLE2 files, RTF
  starts with {\\rtf, text has no NUL bytes;
- polyglots are refused (`polyglots`): images with data after their end, web-page code or a ZIP inside, and
  PDFs with JavaScript, automatic actions or embedded files.
It returns a `CheckedUpload` (the extension, the safe content type of those bytes, whether it is an image and the
display name) or raises `UploadRefused`, a `RuleError` whose `code` names the rule ("type", "size", "empty",
"markup", "content", "hidden_content") and whose `message` is the sentence for a single-file form. Each upload
point turns it into its own error class (and, for several files at once, its own wording with the file's name).

`safe_download_response(file, name, content_type)` serves a stored file: always an attachment, with a content
type from the safe map (anything else becomes application/octet-stream), `nosniff`, a sandboxing
Content-Security-Policy and `Cache-Control: private, no-store`.
"""

import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.http import FileResponse
from django.utils.translation import gettext as _

from oswiata_kit import polyglots
from oswiata_kit.errors import RuleError

# Every extension an upload point may allow, with the content type it is served with: none of them is run by a
# browser. An upload point's allow-list is a subset of these.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "odt": "application/vnd.oasis.opendocument.text",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "rtf": "application/rtf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "zip": "application/zip",
}
SAFE_CONTENT_TYPES = frozenset(CONTENT_TYPES.values())
FALLBACK_CONTENT_TYPE = "application/octet-stream"
DOWNLOAD_CSP = "default-src 'none'; sandbox"

IMAGE_FORMATS = {"png": "png", "jpg": "jpeg", "jpeg": "jpeg", "gif": "gif", "webp": "webp"}  # Pillow's names
TEXT_EXTENSIONS = ("txt", "csv")
OOXML_FOLDERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
ODF_TYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
    "odp": b"application/vnd.oasis.opendocument.presentation",
}
OLE2_SIGN = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNS = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header, or the end record of an empty archive
BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
HEAD_BYTES = 4096
PDF_HEAD_BYTES = 2048  # where markup in a PDF is looked for (more than `polyglots.pdf_problem`'s first kilobyte)
_UNSAFE_NAME_CHARS = re.compile(r'[\x00-\x1f\x7f"<>|:*?]')

TYPE, SIZE, EMPTY, MARKUP, CONTENT, HIDDEN_CONTENT = "type", "size", "empty", "markup", "content", "hidden_content"


@dataclass(frozen=True)
class UploadPolicy:
    """What one upload point accepts: `extensions` (its allow-list, in the order forms list them) and `max_bytes`
    (bytes, or a function giving them, read at every check so a changed setting applies)."""

    extensions: tuple[str, ...]
    max_bytes: int | Callable[[], int]

    def __post_init__(self):
        unknown = [extension for extension in self.extensions if extension not in CONTENT_TYPES]
        if unknown:
            raise ValueError(f"No upload check knows these extensions: {unknown}")

    def limit_bytes(self) -> int:
        return int(self.max_bytes() if callable(self.max_bytes) else self.max_bytes)

    def limit_mb(self) -> int:
        return self.limit_bytes() // (1024 * 1024)

    def types_label(self) -> str:
        """The allowed types for a help text: "pdf, docx, png, jpg" ("jpeg" is said once, as "jpg")."""
        return ", ".join(extension for extension in self.extensions if extension != "jpeg")

    def accept(self) -> str:
        """The value of a file input's `accept` attribute."""
        return ",".join(f".{extension}" for extension in self.extensions)

    def content_type(self, extension: str) -> str:
        """The content type a stored file of this extension is served with."""
        return CONTENT_TYPES.get(extension, FALLBACK_CONTENT_TYPE)


@dataclass(frozen=True)
class CheckedUpload:
    extension: str  # "jpeg" is stored as "jpg"
    content_type: str
    is_image: bool
    name: str  # the display name (`display_filename`); may be empty


class UploadRefused(RuleError):
    """Why an upload was refused: `code` is one of the rule names above; `message` is for a single-file form.

    `name`, `extension`, `size`, `limit_mb` and `problem` (the polyglot problem code) let an upload point say it in
    its own words."""

    def __init__(self, message, code, *, name="", extension="", size=0, limit_mb=0, problem=None):
        super().__init__(message, code)
        self.name = name
        self.extension = extension
        self.size = size
        self.limit_mb = limit_mb
        self.problem = problem


def display_filename(name: str) -> str:
    """The base name of what the person's browser sent, safe to show and to name a download.

    "../../etc/passwd.pdf" -> "passwd.pdf", "C:\\x\\y.pdf" -> "y.pdf"; control characters and characters
    that are not allowed in file names are dropped. Never used as a storage path.
    """
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").split("/")[-1]
    name = _UNSAFE_NAME_CHARS.sub("", name).strip().strip(".").strip()
    if len(name) > 200:
        stem, extension = os.path.splitext(name)
        name = stem[: 200 - len(extension)] + extension
    return name


def extension_of(name: str) -> str:
    return os.path.splitext(display_filename(name))[1].lower().lstrip(".")


def _read(upload, size: int | None = None) -> bytes:
    upload.seek(0)
    data = upload.read() if size is None else upload.read(size)
    upload.seek(0)
    return data


def _stripped(head: bytes) -> bytes:
    for bom in BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    return head.lstrip(b" \t\r\n\x0c\x00")


def check_upload(upload, policy: UploadPolicy) -> CheckedUpload:
    """Check one uploaded file against the policy (see the module); raise UploadRefused when it may not be kept."""
    name = display_filename(getattr(upload, "name", ""))
    extension = extension_of(name)
    size = getattr(upload, "size", None) or 0
    details = {"name": name, "extension": extension, "size": size, "limit_mb": policy.limit_mb()}
    if extension not in policy.extensions:
        message = _("Files of this type cannot be added. Allowed types: %(types)s.") % {"types": policy.types_label()}
        raise UploadRefused(message, TYPE, **details)
    if size > policy.limit_bytes():
        message = _("The file is too large (%(size)s MB). The limit is %(limit)s MB.") % {
            "size": f"{size / 1024 / 1024:.1f}".replace(".", ","),
            "limit": policy.limit_mb(),
        }
        raise UploadRefused(message, SIZE, **details)
    if size == 0:
        raise UploadRefused(_("The file is empty."), EMPTY, **details)
    head = _read(upload, HEAD_BYTES)
    if _has_markup(head, extension):
        message = _("Web pages, SVG graphics, XML and scripts cannot be added, whatever the file is called.")
        raise UploadRefused(message, MARKUP, **details)
    if not _content_matches(upload, head, extension):
        message = _("The content of the file does not match its type (.%(ext)s). Save it again in that format.") % {
            "ext": extension
        }
        raise UploadRefused(message, CONTENT, **details)
    problem = _polyglot_problem(upload, extension)
    if problem:
        raise UploadRefused(polyglots.problem_message(problem), HIDDEN_CONTENT, problem=problem, **details)
    stored = "jpg" if extension == "jpeg" else extension
    return CheckedUpload(stored, CONTENT_TYPES[stored], stored in IMAGE_FORMATS, name)


def _has_markup(head: bytes, extension: str) -> bool:
    if _stripped(head).startswith(b"<"):
        return True
    if extension in TEXT_EXTENSIONS:
        return polyglots.has_markup(head)
    if extension == "pdf":
        return polyglots.has_markup(head[:PDF_HEAD_BYTES])
    return False


def _content_matches(upload, head: bytes, extension: str) -> bool:
    if extension in IMAGE_FORMATS:
        return _is_image(upload, IMAGE_FORMATS[extension])
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension in OOXML_FOLDERS or extension in ODF_TYPES or extension == "zip":
        return _is_package(upload, head, extension)
    if extension in ("doc", "xls"):
        return head.startswith(OLE2_SIGN)
    if extension == "rtf":
        return _stripped(head).startswith(b"{\\rtf")
    return b"\x00" not in head  # txt, csv


def _is_image(upload, expected: str) -> bool:
    from PIL import Image

    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
            found = (image.format or "").lower()
    except Exception:  # Pillow raises many kinds for a broken, foreign or oversized image
        return False
    finally:
        upload.seek(0)
    return found == expected


def _is_package(upload, head: bytes, extension: str) -> bool:
    if not head.startswith(ZIP_SIGNS if extension == "zip" else ZIP_SIGNS[:1]):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(_read(upload))) as archive:
            names = archive.namelist()
            if extension in OOXML_FOLDERS:
                return "[Content_Types].xml" in names and any(n.startswith(OOXML_FOLDERS[extension]) for n in names)
            if extension in ODF_TYPES:
                return polyglots.odf_mimetype(archive) == ODF_TYPES[extension]
            return True
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError):
        return False


def _polyglot_problem(upload, extension: str) -> str | None:
    if extension in IMAGE_FORMATS:
        return polyglots.image_problem(_read(upload), IMAGE_FORMATS[extension])
    if extension == "pdf":
        return polyglots.pdf_problem(_read(upload))
    return None


# --- downloads -------------------------------------------------------------------------------------------------


def safe_content_type(content_type: str) -> str:
    """`content_type` when it is one of the safe map's, else application/octet-stream."""
    return content_type if content_type in SAFE_CONTENT_TYPES else FALLBACK_CONTENT_TYPE


def safe_download_response(file, name: str, content_type: str) -> FileResponse:
    """A stored file as a download nothing can run: an attachment named `name` (non-ASCII names are encoded), its
    content type from the safe map (the one the checked bytes were given at upload), `nosniff`, a sandboxing CSP
    and no caching outside the person's browser."""
    response = FileResponse(file, as_attachment=True, filename=name, content_type=safe_content_type(content_type))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["Cache-Control"] = "private, no-store"
    return response
