"""One upload check with per-use allow-lists, and one download response for stored files.

The three upload points (library, meeting materials, forum attachments) are covered in their own tests and in
tests/exchange_groups/test_upload_polyglots.py; these pin the shared rules themselves."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from oswiata_kit import uploads
from tests.exchange_groups import polyglot_samples as samples

DOCUMENTS = uploads.UploadPolicy(extensions=("pdf", "txt", "csv", "png", "jpg", "jpeg", "docx"), max_bytes=1024 * 1024)


def check(name, content, content_type="application/octet-stream", policy=DOCUMENTS):
    with translation.override("en"):
        return uploads.check_upload(SimpleUploadedFile(name, content, content_type=content_type), policy)


def refused(name, content, policy=DOCUMENTS) -> uploads.UploadRefused:
    with pytest.raises(uploads.UploadRefused) as caught:
        check(name, content, policy=policy)
    return caught.value


def test_check_upload_names_the_safe_type_of_the_bytes_not_the_declared_one():
    checked = check("Mapa gminy.jpeg", samples.image("JPEG"), content_type="text/html")
    assert (checked.extension, checked.content_type, checked.is_image, checked.name) == (
        "jpg",
        "image/jpeg",
        True,
        "Mapa gminy.jpeg",
    )
    assert check("uchwała.pdf", samples.pdf()).content_type == "application/pdf"
    assert check("dane.csv", "gmina;uczniowie\nŁódź;100\n".encode()).content_type == "text/csv; charset=utf-8"


def test_check_upload_reduces_a_path_to_its_base_name():
    assert check("../../etc/passwd.pdf", samples.pdf()).name == "passwd.pdf"
    assert check("C:\\Users\\anna\\plan.pdf", samples.pdf()).name == "plan.pdf"


def test_check_upload_refuses_an_extension_outside_the_allow_list():
    error = refused("instalator.exe", b"MZ\x90\x00")
    assert error.code == "type"
    assert error.message == "Files of this type cannot be added. Allowed types: pdf, txt, csv, png, jpg, docx."
    assert refused("anim.gif", samples.image("GIF")).code == "type"  # an image, but not on this list


def test_check_upload_refuses_a_file_over_the_policy_limit():
    error = refused("duzy.pdf", samples.pdf() + b"0" * (1024 * 1024))
    assert error.code == "size" and error.limit_mb == 1
    assert error.message == "The file is too large (1,0 MB). The limit is 1 MB."


def test_check_upload_reads_a_callable_limit_when_checking():
    limits = [1024 * 1024]
    policy = uploads.UploadPolicy(extensions=("pdf",), max_bytes=lambda: limits[0])
    assert check("a.pdf", samples.pdf(), policy=policy).extension == "pdf"
    limits[0] = 10
    assert refused("a.pdf", samples.pdf(), policy=policy).code == "size"


def test_check_upload_refuses_an_empty_file():
    assert refused("pusty.pdf", b"").code == "empty"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("mapa.png", samples.SVG),
        ("raport.pdf", b"\xef\xbb\xbf  <!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("notatka.txt", b"Notatka\n<script>alert(1)</script>"),
        ("notatka.txt", b"Notatka ze spotkania\n<object data=x.swf>"),
        ("lista.csv", b"nazwa;liczba\n<iframe src=x>;2\n"),
        ("budzet.docx", b"<html>not a document</html>"),
        ("uchwala.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n" + samples.pdf()[9:]),
    ],
)
def test_check_upload_refuses_web_page_code_whatever_the_name(name, content):
    error = refused(name, content)
    assert error.code in ("markup", "hidden_content")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("raport.pdf", b"GIF89a not a pdf at all"),
        ("zdjecie.png", b"\x89PNG\r\n\x1a\n broken"),
        ("zdjecie.jpg", samples.image("PNG")),
        ("budzet.docx", b"PK\x03\x04 not really a zip"),
        ("budzet.docx", samples.zip_archive()),
        ("notatka.txt", b"binary\x00data"),
    ],
)
def test_check_upload_refuses_content_of_another_type(name, content):
    error = refused(name, content)
    assert error.code == "content"
    assert error.message.startswith("The content of the file does not match its type (.")


def test_check_upload_refuses_a_polyglot_and_says_why():
    error = refused("mapa.png", samples.image("PNG") + samples.HTML)
    assert error.code == "hidden_content"
    assert "other data attached after its end" in error.message
    error = refused("uchwala.pdf", samples.ACTIVE_PDFS["open-action-javascript"]())
    assert error.code == "hidden_content" and "Save as PDF" in error.message


def test_check_upload_knows_office_and_opendocument_packages():
    policy = uploads.UploadPolicy(extensions=("odt", "zip", "doc", "rtf"), max_bytes=1024 * 1024)
    assert check("a.zip", samples.zip_archive(), policy=policy).content_type == "application/zip"
    assert check("a.rtf", b"{\\rtf1 Uchwala}", policy=policy).content_type == "application/rtf"
    assert refused("a.doc", b"plain text pretending to be word", policy=policy).code == "content"
    assert refused("a.odt", samples.zip_archive(), policy=policy).code == "content"


def test_upload_policy_lists_its_types_for_forms():
    assert DOCUMENTS.types_label() == "pdf, txt, csv, png, jpg, docx"
    assert DOCUMENTS.accept() == ".pdf,.txt,.csv,.png,.jpg,.jpeg,.docx"
    assert DOCUMENTS.content_type("jpeg") == "image/jpeg"
    assert DOCUMENTS.content_type("exe") == "application/octet-stream"


def test_upload_policy_refuses_an_extension_it_cannot_check():
    with pytest.raises(ValueError):
        uploads.UploadPolicy(extensions=("pdf", "html"), max_bytes=1)


# --- downloads --------------------------------------------------------------------------------------------


def test_safe_download_response_is_a_private_sandboxed_attachment():
    response = uploads.safe_download_response(ContentFile(b"%PDF-1.4 x"), "Prognoza łódzka.pdf", "application/pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Prognoza%20%C5%82%C3%B3dzka.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 x"


@pytest.mark.parametrize(
    "declared", ["text/html", "image/svg+xml", "application/xhtml+xml", "text/html; charset=utf-8"]
)
def test_safe_download_response_never_serves_a_type_a_browser_would_run(declared):
    response = uploads.safe_download_response(ContentFile(b"<html>"), "a.html", declared)
    assert response["Content-Type"] == "application/octet-stream"
