"""Polyglot checks shared by every upload point (resource library, meeting materials, forum attachments).

A polyglot is a file that is valid as its declared type and also something else: a PNG that is also a web page
or a ZIP archive, a PDF that runs JavaScript when opened. Every download is already an attachment with a safe
content type, `nosniff` and a sandboxing CSP; these checks refuse such files at upload as well, so nothing
stored can become active when a browser, a mail client, a PDF reader or an unzip tool opens it elsewhere.

Policy (the same at all three upload points):
- images (PNG, JPEG, GIF, WebP): refused with data after the image's end (IEND, EOI, GIF trailer, the RIFF
  size) — except further complete JPEG images, which cameras and phones append (MPF previews, gain maps) —,
  with web-page markup in their metadata (text chunks, comments, EXIF/XMP) or anywhere in the file for the
  unambiguous tags (`<script`, `<iframe`, ...), or with a ZIP record in their metadata or where an unzip
  tool looks for one (the end of the file);
- PDFs: refused with JavaScript, launch actions, embedded files, rich media, XFA forms, form submission,
  remote go-to actions or additional actions (`/AA`), and with an `/OpenAction` other than going to a page
  of the document itself; names are read outside strings and stream data, with `#xx` escapes decoded, and
  inside compressed object streams (the longest of them, like `/JavaScript`, anywhere in the file); a PDF
  whose object streams cannot be read (encrypted, or an unusual filter) is refused as "cannot be checked";
  web-page markup in the first kilobyte is refused too.

The functions here are pure: bytes in, a problem code (or None) out; `problem_message(code)` gives the
translated sentence for the person. `uploads.check_upload` applies them at every upload point.
"""

import re
import zlib

from django.utils.translation import gettext as _

# Markup a browser could render or run. Looked for in text files' heads, in image metadata and in a PDF's head.
MARKUP_SIGNS = (
    b"<?xml",
    b"<svg",
    b"<!doctype",
    b"<html",
    b"<script",
    b"<body",
    b"<iframe",
    b"<head",
    b"<object",
    b"<embed",
    b"<applet",
    b"<meta",
    b"<style",
    b"<img",
    b"<link",
    b"<form",
)
# Image metadata (XMP) legitimately holds XML: `<?xml` is not a sign of a web page there.
_IMAGE_METADATA_SIGNS = tuple(sign for sign in MARKUP_SIGNS if sign != b"<?xml")
# Signs long enough to look for in a whole binary file without matching compressed pixels by chance.
_UNAMBIGUOUS_SIGNS = (b"<script", b"<iframe", b"<object", b"<embed", b"<applet", b"<!doctype")
_ZIP_SIGNS = (b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06", b"PK\x07\x08")
_ZIP_END = b"PK\x05\x06"
_ZIP_TAIL = 65535 + 22  # an unzip tool looks for the end record this far from the end of the file
_PADDING = b"\x00\r\n\t "
_MAX_INFLATE = 4 * 1024 * 1024  # decompressed bytes looked at in one text chunk or object stream
_MAX_INFLATE_TOTAL = 64 * 1024 * 1024

IMAGE_TRAILING = "image_trailing"
IMAGE_MARKUP = "image_markup"
IMAGE_ARCHIVE = "image_archive"
IMAGE_STRUCTURE = "image_structure"
PDF_ACTIVE = "pdf_active"
PDF_UNCHECKED = "pdf_unchecked"
PDF_MARKUP = "pdf_markup"


def problem_message(code: str) -> str:
    """The translated sentence that tells the person why the file was refused and what to do."""
    messages = {
        IMAGE_TRAILING: _(
            "The image has other data attached after its end (for example another file). "
            "Open it in an image editor and save or export it again as a new file."
        ),
        IMAGE_MARKUP: _(
            "The image contains web-page code (HTML or a script) in its description or comments. "
            "Open it in an image editor and save or export it again as a new file."
        ),
        IMAGE_ARCHIVE: _(
            "The image contains a ZIP archive. Open it in an image editor and save or export it again as a new file."
        ),
        IMAGE_STRUCTURE: _(
            "The image file is damaged or built in an unusual way. "
            "Open it in an image editor and save or export it again as a new file."
        ),
        PDF_ACTIVE: _(
            "The PDF file contains scripts, automatic actions or embedded files, which cannot be added. "
            "Save it again as a plain PDF, for example with “Print” and “Save as PDF”."
        ),
        PDF_UNCHECKED: _(
            "The PDF file cannot be checked: it is encrypted or built in an unusual way. "
            "Remove the password and save it again as a plain PDF, for example with “Print” and “Save as PDF”."
        ),
        PDF_MARKUP: _("Web pages, SVG graphics, XML and scripts cannot be added, whatever the file is called."),
    }
    return messages[code]


# --- helpers -----------------------------------------------------------------------------------------


def has_markup(data: bytes, signs=MARKUP_SIGNS) -> bool:
    lowered = data.lower()
    return any(sign in lowered for sign in signs)


def _inflate(data: bytes, limit: int = _MAX_INFLATE) -> bytes | None:
    """The first `limit` decompressed bytes of zlib data, or None when it is not zlib data."""
    try:
        return zlib.decompressobj().decompress(data, limit)
    except zlib.error:
        return None


def _trailing_problem(trailing: bytes) -> str | None:
    return IMAGE_TRAILING if trailing.strip(_PADDING) else None


def _metadata_problem(parts) -> str | None:
    for part in parts:
        if has_markup(part, _IMAGE_METADATA_SIGNS):
            return IMAGE_MARKUP
        if any(sign in part for sign in _ZIP_SIGNS):
            return IMAGE_ARCHIVE
    return None


# --- images ------------------------------------------------------------------------------------------


class _Broken(Exception):
    """The image's structure could not be followed to its end."""


def _png(data: bytes, start: int = 0) -> tuple[list[bytes], int]:
    """(metadata chunks' contents, offset after IEND)."""
    if data[start : start + 8] != b"\x89PNG\r\n\x1a\n":
        raise _Broken
    pos, metadata = start + 8, []
    while True:
        if pos + 12 > len(data):
            raise _Broken
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if pos > len(data):
            raise _Broken
        if kind == b"IEND":
            return metadata, pos
        if kind in (b"IDAT", b"fdAT"):
            continue
        metadata.append(body)
        if kind == b"zTXt":
            _keyword, _sep, rest = body.partition(b"\x00")
            metadata.append(_inflate(rest[1:]) or b"")
        elif kind == b"iTXt":
            _keyword, _sep, rest = body.partition(b"\x00")
            if rest[:1] == b"\x01":  # compressed text after the language tag and the translated keyword
                text = rest[2:].split(b"\x00", 2)[-1]
                metadata.append(_inflate(text) or b"")


_JPEG_NEXT_MARKER = re.compile(rb"\xff+[^\x00\xd0-\xd7\xff]")


def _jpeg(data: bytes, start: int = 0) -> tuple[list[bytes], int]:
    """(APPn and COM segments, offset after EOI); a file without EOI ends where the data ends."""
    if data[start : start + 2] != b"\xff\xd8":
        raise _Broken
    pos, metadata = start + 2, []
    while pos < len(data):
        if data[pos] != 0xFF:
            raise _Broken
        while pos < len(data) and data[pos] == 0xFF:
            pos += 1
        if pos >= len(data):
            raise _Broken
        marker = data[pos]
        pos += 1
        if marker == 0xD9:
            return metadata, pos
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            continue
        length = int.from_bytes(data[pos : pos + 2], "big")
        if length < 2 or pos + length > len(data):
            raise _Broken
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:
            metadata.append(data[pos + 2 : pos + length])
        pos += length
        if marker == 0xDA:  # entropy-coded data runs to the next marker that is not a restart
            found = _JPEG_NEXT_MARKER.search(data, pos)
            if found is None:
                return metadata, len(data)
            pos = found.start()
    return metadata, len(data)


def _gif_blocks(data: bytes, pos: int) -> tuple[bytes, int]:
    parts = []
    while True:
        if pos >= len(data):
            raise _Broken
        size = data[pos]
        pos += 1
        if size == 0:
            return b"".join(parts), pos
        parts.append(data[pos : pos + size])
        pos += size


def _gif(data: bytes) -> tuple[list[bytes], int]:
    if data[:6] not in (b"GIF87a", b"GIF89a") or len(data) < 13:
        raise _Broken
    packed = data[10]
    pos = 13 + (3 * 2 ** ((packed & 7) + 1) if packed & 0x80 else 0)
    metadata = []
    while pos < len(data):
        block = data[pos]
        if block == 0x3B:
            return metadata, pos + 1
        if block == 0x21:
            if pos + 2 > len(data):
                raise _Broken
            label = data[pos + 1]
            content, pos = _gif_blocks(data, pos + 2)
            if label != 0xF9:  # everything but the graphic control: comments, plain text, applications (XMP)
                metadata.append(content)
        elif block == 0x2C:
            if pos + 10 > len(data):
                raise _Broken
            packed = data[pos + 9]
            pos += 10 + (3 * 2 ** ((packed & 7) + 1) if packed & 0x80 else 0) + 1
            _pixels, pos = _gif_blocks(data, pos)
        else:
            raise _Broken
    return metadata, len(data)


def _webp(data: bytes) -> tuple[list[bytes], int]:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise _Broken
    end = 8 + int.from_bytes(data[4:8], "little")
    if end > len(data):
        raise _Broken
    pos, metadata = 12, []
    while pos + 8 <= end:
        kind = data[pos : pos + 4]
        size = int.from_bytes(data[pos + 4 : pos + 8], "little")
        if kind not in (b"VP8 ", b"VP8L", b"ALPH", b"ANMF"):
            metadata.append(data[pos + 8 : pos + 8 + size])
        pos += 8 + size + (size & 1)
    return metadata, end


_IMAGE_PARSERS = {"png": _png, "jpeg": _jpeg, "jpg": _jpeg, "gif": _gif, "webp": _webp}
MAX_APPENDED_JPEGS = 8


def image_problem(data: bytes, kind: str) -> str | None:
    """Why an image (already verified as `kind` by Pillow) must be refused, or None."""
    try:
        metadata, end = _IMAGE_PARSERS[kind](data)
        if kind in ("jpeg", "jpg"):
            # Further complete JPEG images may follow (MPF previews, depth or gain maps from phones).
            for _count in range(MAX_APPENDED_JPEGS):
                rest = data[end:].lstrip(_PADDING)
                if not rest.startswith(b"\xff\xd8"):
                    break
                more, size = _jpeg(rest)
                metadata += more
                end = len(data) - len(rest) + size
    except _Broken:
        return IMAGE_STRUCTURE
    problem = _trailing_problem(data[end:]) or _metadata_problem(metadata)
    if problem:
        return problem
    if has_markup(data, _UNAMBIGUOUS_SIGNS):
        return IMAGE_MARKUP
    if _ZIP_END in data[-_ZIP_TAIL:]:
        return IMAGE_ARCHIVE
    return None


# --- PDF ---------------------------------------------------------------------------------------------

# Names whose presence makes a PDF active: scripts, launching programs, embedded files, rich media, XFA,
# sending data out, opening other files, and actions run on events (`/AA`).
PDF_ACTIVE_NAMES = frozenset(
    {
        b"JavaScript",
        b"JS",
        b"Launch",
        b"EmbeddedFile",
        b"EmbeddedFiles",
        b"RichMedia",
        b"XFA",
        b"SubmitForm",
        b"ImportData",
        b"GoToR",
        b"GoToE",
        b"AA",
    }
)
# The same names, looked for anywhere in the file too (long enough not to match compressed data by chance).
_PDF_RAW_NAMES = re.compile(rb"/(JavaScript|Launch|EmbeddedFiles?|RichMedia|SubmitForm|ImportData)(?=[\s()<>\[\]{}/%])")
_PDF_TOKEN = re.compile(
    rb"(?P<string>\()|(?P<comment>%)|/(?P<name>[^\s()<>\[\]{}/%]*)|(?P<dict><<)|(?P<hex><[0-9A-Fa-f\s]*>)"
    rb"|(?P<obj>(?<![A-Za-z])obj(?![A-Za-z]))|(?P<stream>(?<![A-Za-z])stream(?:\r\n|\n|\r))"
)
_PDF_PAREN = re.compile(rb"[()\\]")
_PDF_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_EOL = re.compile(rb"[\r\n]")


def _pdf_name(raw: bytes) -> bytes:
    return _PDF_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)


def _skip_string(data: bytes, pos: int) -> int:
    """The offset after the literal string that opens at `pos` (nested parentheses, backslash escapes)."""
    depth, pos = 1, pos + 1
    while depth:
        found = _PDF_PAREN.search(data, pos)
        if found is None:
            return len(data)
        char = data[found.start()]
        if char == 0x5C:  # backslash: the next byte is escaped
            pos = found.start() + 2
            continue
        depth += 1 if char == 0x28 else -1
        pos = found.start() + 1
    return pos


class _PdfScan:
    """Reads a PDF's names outside strings and stream data, and inside object streams (see the module)."""

    def __init__(self, data: bytes):
        self.data = data
        self.inflated = 0
        self.problem: str | None = None
        self.packed: dict[int, bytes] = {}  # objects found in object streams, by number
        self.open_actions: list[tuple[bytes, int]] = []  # (where, offset) of every /OpenAction value

    def run(self, data: bytes) -> None:
        names_since_obj: set[bytes] = set()
        obj_start = pos = 0
        while self.problem is None:
            token = _PDF_TOKEN.search(data, pos)
            if token is None:
                return
            pos = token.end()
            if token.group("string"):
                pos = _skip_string(data, token.start())
            elif token.group("comment"):
                eol = _PDF_EOL.search(data, pos)
                pos = eol.end() if eol else len(data)
            elif token.group("name") is not None:
                name = _pdf_name(token.group("name"))
                names_since_obj.add(name)
                if name in PDF_ACTIVE_NAMES:
                    self.problem = PDF_ACTIVE
                elif name == b"OpenAction":
                    self.open_actions.append((data, pos))
            elif token.group("obj"):
                names_since_obj, obj_start = set(), pos
            elif token.group("stream"):
                end = data.find(b"endstream", pos)
                end = len(data) if end < 0 else end
                if b"ObjStm" in names_since_obj:
                    self._object_stream(data[obj_start : token.start()], data[pos:end], names_since_obj)
                pos = end + len(b"endstream")

    def _object_stream(self, dictionary: bytes, body: bytes, names: set[bytes]) -> None:
        """Objects packed in a compressed stream: their dictionaries are looked at like the rest."""
        if b"Filter" in names:
            if b"FlateDecode" not in names or names & {b"Crypt", b"Predictor"} or self.inflated > _MAX_INFLATE_TOTAL:
                self.problem = PDF_UNCHECKED
                return
            body = _inflate(body, _MAX_INFLATE)
            if body is None:
                self.problem = PDF_UNCHECKED
                return
            self.inflated += len(body)
        self._remember_packed(dictionary, body)
        self.run(body)

    def _remember_packed(self, dictionary: bytes, content: bytes) -> None:
        first = re.search(rb"/First\s+(\d+)", dictionary)
        if first is None:
            return
        start = int(first.group(1))
        numbers = content[:start].split()
        pairs = [(int(numbers[i]), int(numbers[i + 1])) for i in range(0, len(numbers) - 1, 2) if numbers[i].isdigit()]
        for index, (number, offset) in enumerate(pairs):
            following = pairs[index + 1][1] if index + 1 < len(pairs) else len(content) - start
            self.packed.setdefault(number, content[start + offset : start + following])

    def harmless_open_actions(self) -> bool:
        return all(self._harmless_open_action(data, pos) for data, pos in self.open_actions)

    def _harmless_open_action(self, data: bytes, pos: int, depth: int = 0) -> bool:
        """Opening at a page of the document (a destination array, or a GoTo action) is harmless."""
        ahead = data[pos : pos + 512].lstrip()
        if ahead.startswith(b"["):
            return True
        if ahead.startswith(b"<<"):
            closing = ahead.find(b">>")
            action = ahead[: closing if closing > 0 else len(ahead)]
            return re.search(rb"/S\s*/GoTo(?![A-Za-z])", action) is not None
        reference = re.match(rb"(\d+)\s+(\d+)\s+R", ahead)
        if reference is None or depth > 2:
            return False
        number, generation = reference.group(1), reference.group(2)
        target = re.search(rb"(?<!\d)" + number + rb"\s+" + generation + rb"\s+obj", self.data)
        if target is not None:
            return self._harmless_open_action(self.data, target.end(), depth + 1)
        packed = self.packed.get(int(number))
        if packed is not None and int(generation) == 0:
            return self._harmless_open_action(packed, 0, depth + 1)
        return False  # missing: cannot tell, so not harmless


def pdf_problem(data: bytes) -> str | None:
    """Why a PDF (already seen to start with %PDF-) must be refused, or None."""
    if has_markup(data[:1024]):
        return PDF_MARKUP
    if _PDF_RAW_NAMES.search(data):
        return PDF_ACTIVE
    scan = _PdfScan(data)
    scan.run(data)
    if scan.problem is None and not scan.harmless_open_actions():
        return PDF_ACTIVE
    return scan.problem


# An ODF document's `mimetype` entry is a few dozen bytes; anything bigger is not one (and reading a large
# compressed entry would let a small upload decompress to gigabytes in memory: a zip bomb, ASVS 5.2.3).
MAX_ODF_MIMETYPE_BYTES = 128


def odf_mimetype(archive) -> bytes | None:
    """The `mimetype` entry of an open ZipFile, or None when it is missing or too large to be genuine.

    The size is read from the archive's directory before anything is decompressed, and the read itself is
    capped, so a lying directory cannot make it decompress more either."""
    try:
        info = archive.getinfo("mimetype")
    except KeyError:
        return None
    if info.file_size > MAX_ODF_MIMETYPE_BYTES:
        return None
    with archive.open(info) as entry:
        value = entry.read(MAX_ODF_MIMETYPE_BYTES + 1)
    return value.strip() if len(value) <= MAX_ODF_MIMETYPE_BYTES else None
