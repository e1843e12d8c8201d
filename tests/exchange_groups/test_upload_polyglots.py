"""Polyglot uploads, at each of the three upload points (resource library, meeting materials, forum attachments):
an image that is also a web page or a ZIP archive, a PDF that runs something, SVG, HTML under another name, and a
declared content type that disagrees with the bytes. Each is refused with a clear translated message; ordinary
files that look a bit like them (phone photos with a second image, XMP metadata, PDFs that open at a page, real
PDFs from ReportLab and Pillow) are still accepted. Storage, the forms and the downloads are covered in
test_library.py, test_meetings*.py and tests/forums/test_attachments.py."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from exchange_groups.library import services as library
from exchange_groups.meetings import services as meetings
from forums import attachments
from tests.exchange_groups import polyglot_samples as samples


class Refused(Exception):
    pass


def _library(upload):
    try:
        return library.check_resource_file(upload)[1]
    except library.LibraryError as error:
        assert error.field == "file"
        raise Refused(error.message) from None


def _meetings(upload):
    try:
        extension = meetings.check_material_file(upload)
    except meetings.MeetingError as error:
        assert error.field == "file"
        raise Refused(error.message) from None
    return meetings.MATERIAL_FILES.content_type(extension)


def _forums(upload):
    try:
        return attachments.check_attachment(upload)[1]
    except attachments.AttachmentError as error:
        raise Refused(error.message) from None


POINTS = {"library": _library, "meetings": _meetings, "forums": _forums}


def check(point: str, name: str, content: bytes, content_type: str = "application/octet-stream") -> str:
    """The content type the point would serve the file with; raises Refused with the person's message."""
    with translation.override("en"):
        return POINTS[point](SimpleUploadedFile(name, content, content_type=content_type))


def refusal(point: str, name: str, content: bytes, content_type: str = "application/octet-stream") -> str:
    with pytest.raises(Refused) as caught:
        check(point, name, content, content_type)
    return str(caught.value)


points = pytest.mark.parametrize("point", list(POINTS))


# --- images that are also something else --------------------------------------------------------------


@points
@pytest.mark.parametrize("sample", list(samples.IMAGE_POLYGLOTS))
def test_upload_point_refuses_an_image_that_is_also_a_web_page_or_an_archive(point, sample):
    name, build = samples.IMAGE_POLYGLOTS[sample]
    message = refusal(point, name, build())
    assert "save or export it again" in message


@pytest.mark.parametrize("sample", list(samples.FORUM_ONLY_IMAGE_POLYGLOTS))
def test_forum_attachment_refuses_a_gif_or_webp_that_is_also_a_web_page_or_an_archive(sample):
    name, build = samples.FORUM_ONLY_IMAGE_POLYGLOTS[sample]
    message = refusal("forums", name, build())
    assert message.startswith(f"{name}: ")
    assert "save or export it again" in message


@points
def test_upload_point_says_which_hidden_content_an_image_has(point):
    assert "other data attached after its end" in refusal(point, "a.png", samples.image("PNG") + samples.HTML)
    assert "web-page code" in refusal(point, "a.png", samples.png_with_text(samples.HTML.decode()))
    assert "ZIP archive" in refusal(point, "a.png", samples.png_with_chunk(b"zipP", samples.zip_archive()))


@points
@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("mapa.png", lambda: samples.image("PNG")),
        ("mapa.png", lambda: samples.png_with_text("Software: GIMP 2.10; Autor: Urząd Gminy")),
        ("mapa.png", lambda: samples.png_with_text(samples.XMP, international=True, compressed=True)),
        ("zdjecie.jpg", lambda: samples.image("JPEG")),
        ("zdjecie.jpg", lambda: samples.jpeg_with_comment("Zdjęcie z sesji rady gminy".encode())),
        ("zdjecie.jpg", samples.jpeg_with_exif),
        ("telefon.jpg", lambda: samples.image("JPEG") + samples.image("JPEG")),  # a second image (MPF, gain map)
        ("zdjecie.jpeg", lambda: samples.image("JPEG") + b"\x00" * 16),  # padding some writers leave
    ],
)
def test_upload_point_accepts_ordinary_images_with_metadata(point, name, build):
    assert check(point, name, build()).startswith("image/")


@pytest.mark.parametrize(
    ("name", "build"),
    [("anim.gif", lambda: samples.image("GIF")), ("anim.gif", lambda: samples.gif_with_comment(b"Wykres 2020"))]
    + [("nowe.webp", lambda: samples.image("WEBP"))],
)
def test_forum_attachment_accepts_ordinary_gif_and_webp(name, build):
    assert check("forums", name, build()).startswith("image/")


# --- PDFs --------------------------------------------------------------------------------------------


@points
@pytest.mark.parametrize("sample", list(samples.ACTIVE_PDFS))
def test_upload_point_refuses_a_pdf_with_javascript_actions_or_embedded_files(point, sample):
    message = refusal(point, "uchwala.pdf", samples.ACTIVE_PDFS[sample]())
    assert "Save as PDF" in message


@points
def test_upload_point_says_why_a_pdf_is_refused(point):
    active = refusal(point, "a.pdf", samples.ACTIVE_PDFS["open-action-javascript"]())
    assert "scripts, automatic actions or embedded files" in active
    unchecked = refusal(point, "a.pdf", samples.ACTIVE_PDFS["object-stream-not-readable"]())
    assert "cannot be checked" in unchecked


@points
@pytest.mark.parametrize("sample", list(samples.PLAIN_PDFS))
def test_upload_point_accepts_an_ordinary_pdf(point, sample):
    assert check(point, "uchwala.pdf", samples.PLAIN_PDFS[sample]()) == "application/pdf"


@points
def test_upload_point_refuses_a_pdf_that_is_also_a_web_page(point):
    content = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n" + samples.pdf()[9:]
    refusal(point, "uchwala.pdf", content)


# --- SVG, HTML under another name, declared types ----------------------------------------------------


@points
@pytest.mark.parametrize("name", ["mapa.svg", "mapa.png", "mapa.jpg", "mapa.pdf", "mapa.txt"])
def test_upload_point_refuses_svg_whatever_it_is_called(point, name):
    refusal(point, name, samples.SVG, "image/svg+xml")


@points
@pytest.mark.parametrize("name", ["raport.pdf", "raport.png", "raport.jpg", "raport.docx", "raport.csv"])
@pytest.mark.parametrize("declared", ["text/html", "application/pdf", "image/png"])
def test_upload_point_refuses_html_renamed(point, name, declared):
    refusal(point, name, b"\n <!DOCTYPE html>" + samples.HTML, declared)


@points
@pytest.mark.parametrize("declared", ["text/html", "image/svg+xml", "application/x-msdownload"])
def test_upload_point_serves_the_type_of_the_bytes_not_the_declared_one(point, declared):
    assert check(point, "mapa.png", samples.image("PNG"), declared) == "image/png"
    assert check(point, "uchwala.pdf", samples.pdf(), declared) == "application/pdf"


@points
def test_upload_point_refuses_bytes_of_another_type_than_the_name_whatever_is_declared(point):
    refusal(point, "mapa.png", samples.image("JPEG"), "image/png")
    refusal(point, "uchwala.pdf", samples.image("PNG"), "application/pdf")
    refusal(point, "zdjecie.jpg", samples.zip_archive(), "image/jpeg")


def test_meetings_markup_check_knows_object_and_embed():
    for tag in (b"<object data=x.swf>", b"<embed src=x.swf>"):
        refusal("meetings", "notatka.txt", b"Notatka ze spotkania\n" + tag)


@points
def test_upload_point_refusal_is_translated_into_polish(point):
    upload = SimpleUploadedFile("mapa.png", samples.image("PNG") + samples.HTML)
    with (
        translation.override("pl"),
        pytest.raises((library.LibraryError, meetings.MeetingError, attachments.AttachmentError)) as caught,
    ):
        {
            "library": library.check_resource_file,
            "meetings": meetings.check_material_file,
            "forums": attachments.check_attachment,
        }[point](upload)
    assert "zapisać" in caught.value.message or "wyeksportować" in caught.value.message


# --- archives that decompress to far more than they weigh ------------------------------------------------


def _odt(mimetype: bytes) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", b"<office:document-content/>", compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


@points
def test_upload_point_refuses_an_opendocument_whose_mimetype_entry_is_a_zip_bomb(point, monkeypatch):
    """ASVS 5.2.3: a 60 KB .odt whose `mimetype` entry inflates to 64 MB is refused from the archive's directory,
    without decompressing it (the check never reads more than a real entry's size)."""
    import zipfile

    bomb = _odt(b"application/vnd.oasis.opendocument.text" + b" " * (64 * 1024 * 1024))
    assert len(bomb) < 100 * 1024
    inflated = []
    original_read = zipfile.ZipExtFile.read

    def counting_read(self, n=-1):
        data = original_read(self, n)
        inflated.append(len(data))
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting_read)
    assert refusal(point, "uchwala.odt", bomb)
    assert sum(inflated) <= 1024


@points
def test_upload_point_accepts_a_real_opendocument(point):
    assert check(point, "uchwala.odt", _odt(b"application/vnd.oasis.opendocument.text"))
