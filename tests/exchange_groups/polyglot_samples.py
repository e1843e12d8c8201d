"""Small hostile (and harmless look-alike) files for the upload tests, made in code: no binary fixtures.

Each builder returns bytes. The polyglots are valid as their declared type (Pillow opens and verifies the
images; the PDFs start with %PDF-) and are at the same time a web page, a ZIP archive or an active PDF."""

import io
import struct
import zipfile
import zlib

from PIL import Image
from PIL.PngImagePlugin import PngInfo

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
XMP = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Mapa gminy &lt;2020&gt;</dc:title>'
    '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def image(fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    mode = "P" if fmt == "GIF" else "RGB"
    Image.new(mode, (8, 8), "blue" if mode == "RGB" else 1).save(buffer, fmt, **options)
    return buffer.getvalue()


def png_with_text(text: str, *, compressed: bool = False, international: bool = False) -> bytes:
    info = PngInfo()
    if international:
        info.add_itxt("XML:com.adobe.xmp" if "xmpmeta" in text else "Comment", text, zip=compressed)
    else:
        info.add_text("Comment", text, zip=compressed)
    return image("PNG", pnginfo=info)


def png_with_chunk(kind: bytes, body: bytes) -> bytes:
    """A PNG with an extra (private, ancillary) chunk just before IEND, with a correct CRC."""
    data = image("PNG")
    end = data.rindex(b"IEND") - 4
    chunk = struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return data[:end] + chunk + data[end:]


def jpeg_with_comment(text: bytes) -> bytes:
    return image("JPEG", comment=text)


def jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Samsung"  # Make
    exif[0x0131] = "Aparat 1.0"  # Software
    return image("JPEG", exif=exif.tobytes())


def gif_with_comment(text: bytes) -> bytes:
    return image("GIF", comment=text)


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.html", HTML)
        archive.writestr("run.js", "alert(1)")
    return buffer.getvalue()


# --- PDFs --------------------------------------------------------------------------------------------


def pdf(*objects: str, catalog_extra: str = "") -> bytes:
    """A small text PDF: a catalog (object 1) with `catalog_extra`, one page, and the given objects from 4."""
    parts = [
        "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        f"1 0 obj\n<< /Type /Catalog /Pages 2 0 R {catalog_extra} >>\nendobj\n",
        "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n",
        "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Title (Uchwala (projekt) \\) 2020) >>"
        "\nendobj\n",
    ]
    parts += [f"{number} 0 obj\n{body}\nendobj\n" for number, body in enumerate(objects, start=4)]
    parts.append("trailer\n<< /Root 1 0 R >>\n%%EOF\n")
    return "".join(parts).encode("latin-1")


def pdf_with_object_stream(packed: str, *, filter_name: str = "/FlateDecode", refer: str = "/Names") -> bytes:
    """A PDF whose object 5 sits, with `packed` as its content, in a compressed object stream (object 4); the
    catalog refers to it under `refer` (as pdfTeX with hyperref writes `/OpenAction 5 0 R`)."""
    content = f"5 0 {packed}".encode("latin-1")
    body = zlib.compress(content) if filter_name == "/FlateDecode" else content.hex().encode() + b">"
    head = (
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R " + refer.encode() + b" 5 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
        b"4 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter " + filter_name.encode() + b" /Length "
    )
    return (
        head
        + str(len(body)).encode()
        + b" >>\nstream\n"
        + body
        + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def reportlab_pdf() -> bytes:
    """A real PDF as the site's own code makes them (ReportLab), with a web link and compressed page content."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    sheet.setTitle("Protokół spotkania sieci")
    sheet.drawString(72, 760, "Protokol spotkania: arkusze organizacyjne szkol")
    sheet.linkURL("https://www.gov.pl/web/edukacja", (72, 740, 300, 755))
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def pillow_pdf() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, "PDF")
    return buffer.getvalue()


# name -> (file name, bytes): images that are also web pages or archives
IMAGE_POLYGLOTS = {
    "png-html-in-text-chunk": ("mapa.png", lambda: png_with_text(HTML.decode())),
    "png-html-in-compressed-text-chunk": ("mapa.png", lambda: png_with_text(HTML.decode(), compressed=True)),
    "png-svg-in-international-text": ("mapa.png", lambda: png_with_text(SVG.decode(), international=True)),
    "png-html-appended": ("mapa.png", lambda: image("PNG") + HTML),
    "png-zip-appended": ("mapa.png", lambda: image("PNG") + zip_archive()),
    "png-zip-in-a-private-chunk": ("mapa.png", lambda: png_with_chunk(b"zipP", zip_archive())),
    "jpeg-html-in-comment": ("zdjecie.jpg", lambda: jpeg_with_comment(HTML)),
    "jpeg-html-appended": ("zdjecie.jpg", lambda: image("JPEG") + HTML),
    "jpeg-zip-appended": ("zdjecie.jpeg", lambda: image("JPEG") + zip_archive()),
    "jpeg-image-then-html": ("zdjecie.jpg", lambda: image("JPEG") + image("JPEG") + b"\n" + HTML),
}
FORUM_ONLY_IMAGE_POLYGLOTS = {
    "gif-html-in-comment": ("anim.gif", lambda: gif_with_comment(HTML)),
    "gif-html-appended": ("anim.gif", lambda: image("GIF") + HTML),
    "gif-zip-appended": ("anim.gif", lambda: image("GIF") + zip_archive()),
    "webp-html-appended": ("nowe.webp", lambda: image("WEBP") + HTML),
    "webp-zip-appended": ("nowe.webp", lambda: image("WEBP") + zip_archive()),
}
# name -> bytes: PDFs that run something, or that cannot be checked
ACTIVE_PDFS = {
    "open-action-javascript": lambda: pdf(catalog_extra="/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
    "js-name-escaped": lambda: pdf(catalog_extra="/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"),
    "names-javascript-tree": lambda: pdf("<< /JavaScript 5 0 R >>", "<< /Names [(x) 6 0 R] >>"),
    "launch-action": lambda: pdf(catalog_extra="/OpenAction << /S /Launch /F (cmd.exe) >>"),
    "embedded-file": lambda: pdf(
        "<< /Type /EmbeddedFile /Length 0 >>", catalog_extra="/Names << /EmbeddedFiles 4 0 R >>"
    ),
    "additional-actions": lambda: pdf(catalog_extra="/AA << /WC 4 0 R >>"),
    "open-action-indirect-to-javascript": lambda: pdf(
        "<< /S /JavaScript /JS 5 0 R >>", "(app.alert(1))", catalog_extra="/OpenAction 4 0 R"
    ),
    "open-action-uri": lambda: pdf(catalog_extra="/OpenAction << /S /URI /URI (https://zly.example/) >>"),
    "xfa-form": lambda: pdf(catalog_extra="/AcroForm << /Fields [] /XFA 4 0 R >>"),
    "submit-form": lambda: pdf(catalog_extra="/OpenAction << /S /SubmitForm /F (https://zly.example/) >>"),
    "remote-goto": lambda: pdf(catalog_extra="/OpenAction << /S /GoToR /F (\\\\\\\\serwer\\\\udzial\\\\a.pdf) >>"),
    "javascript-in-object-stream": lambda: pdf_with_object_stream("<< /JavaScript << /Names [(a) << /S /JS >>] >> >>"),
    "object-stream-not-readable": lambda: pdf_with_object_stream("<< >>", filter_name="/ASCIIHexDecode"),
    "open-action-to-a-packed-uri-action": lambda: pdf_with_object_stream(
        "<< /S /URI /URI (https://zly.example/) >>", refer="/OpenAction"
    ),
    "open-action-to-a-missing-object": lambda: pdf(catalog_extra="/OpenAction 40 0 R"),
}
# name -> bytes: ordinary PDFs that must still be accepted
PLAIN_PDFS = {
    "plain": lambda: pdf(),
    "opens-at-the-first-page": lambda: pdf(catalog_extra="/OpenAction [3 0 R /Fit]"),
    "opens-with-goto": lambda: pdf(catalog_extra="/OpenAction << /S /GoTo /D [3 0 R /XYZ 0 842 0] >>"),
    "opens-indirect-destination": lambda: pdf("[3 0 R /FitH 842]", catalog_extra="/OpenAction 4 0 R"),
    "text-mentions-javascript-in-a-string": lambda: pdf(
        catalog_extra="/Lang (pl-PL) /PageLabels << /Nums [0 << /P (JS) >>] >>"
    ),
    "object-stream": lambda: pdf_with_object_stream("<< /Type /Outlines /Count 0 >>", refer="/Outlines"),
    "opens-at-a-packed-destination": lambda: pdf_with_object_stream("[2 0 R /Fit]", refer="/OpenAction"),
    "reportlab-with-a-web-link": reportlab_pdf,
    "pillow": pillow_pdf,
}
