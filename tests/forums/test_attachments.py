"""Attachments: hostile or oversized files are refused, names never reach the file system, and downloads are
attachments with a safe content type that only readers of the forum get."""

import io
import zipfile

import pytest
from django.urls import reverse
from PIL import Image

from forums import services
from forums.attachments import AttachmentError, check_attachment
from forums.models import Attachment, Post

from .conftest import upload

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, fmt)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("mapa.png", image_bytes("PNG"), ("png", "image/png", True)),
        ("zdjecie.jpeg", image_bytes("JPEG"), ("jpg", "image/jpeg", True)),
        ("anim.gif", image_bytes("GIF"), ("gif", "image/gif", True)),
        ("nowe.webp", image_bytes("WEBP"), ("webp", "image/webp", True)),
        ("uchwała.pdf", PDF, ("pdf", "application/pdf", False)),
        (
            "plan.docx",
            docx_bytes(),
            ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", False),
        ),
        ("dane.csv", "gmina;uczniowie\nŁódź;100\n".encode(), ("csv", "text/csv; charset=utf-8", False)),
    ],
)
def test_attachment_allowed_file_is_accepted(name, content, expected):
    assert check_attachment(upload(name, content))[:3] == expected


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        (
            "rysunek.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>',
            "type",
        ),
        ("rysunek.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "markup"),
        ("strona.png", b"<!doctype html><html><script>alert(1)</script></html>", "markup"),
        ("strona.txt", b"notatka\n<script>alert(1)</script>", "markup"),
        ("\ufeffstrona.pdf", b"\xef\xbb\xbf  <html><body>x</body></html>", "markup"),
        ("strona.html", b"<html></html>", "type"),
        ("program.exe", b"MZ\x90\x00", "type"),
        ("udaje.pdf", b"nie pdf", "content"),
        ("udaje.png", image_bytes("JPEG"), "content"),
        ("pusty.pdf", b"", "empty"),
        ("udaje.docx", b"PK\x03\x04 not a zip", "content"),
    ],
)
def test_attachment_hostile_file_is_refused(name, content, code):
    with pytest.raises(AttachmentError) as caught:
        check_attachment(upload(name, content))
    assert caught.value.code == code


def test_attachment_oversized_file_is_refused(settings):
    settings.FORUMS_MAX_ATTACHMENT_MB = 1
    with pytest.raises(AttachmentError) as caught:
        check_attachment(upload("duzy.pdf", PDF + b"0" * (1024 * 1024)))
    assert caught.value.code == "size"


def test_attachment_too_many_files_are_refused_and_nothing_is_posted(world, topic):
    files = [upload(f"plik{n}.pdf", PDF) for n in range(6)]
    with pytest.raises(services.ForumError) as caught:
        services.create_post(world["other"], topic, "Sześć plików", attachments=files)
    assert caught.value.field == "attachments"
    assert not Post.objects.filter(body_source="Sześć plików").exists()
    assert not Attachment.objects.exists()


def test_attachment_path_in_the_name_is_reduced_to_the_base_name(world, topic):
    post, _is_new = services.create_post(
        world["other"], topic, "Plik", attachments=[upload("../../etc/passwd.pdf", PDF)]
    )
    attachment = post.attachments.get()
    assert attachment.original_filename == "passwd.pdf"
    assert ".." not in attachment.file.name and "passwd" not in attachment.file.name
    assert attachment.file.name.startswith("forums/") and attachment.file.name.endswith(".pdf")


def test_attachment_is_stored_outside_the_public_media_root(world, topic, settings, _private_media):
    post, _is_new = services.create_post(world["other"], topic, "Plik", attachments=[upload("a.pdf", PDF)])
    path = post.attachments.get().file.path
    assert path.startswith(str(_private_media))
    assert not path.startswith(str(settings.MEDIA_ROOT))


def test_attachment_download_is_an_attachment_with_safe_headers(client, world, topic):
    post, _is_new = services.create_post(
        world["other"], topic, "Mapa", attachments=[upload("mapa gminy.png", image_bytes("PNG"))]
    )
    client.force_login(world["author"])
    response = client.get(reverse("forums:attachment", args=[post.attachments.get().pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "mapa gminy.png" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content) == image_bytes("PNG")


def test_attachment_of_a_hidden_post_is_not_served(client, world, topic):
    post, _is_new = services.create_post(world["other"], topic, "Mapa", attachments=[upload("a.pdf", PDF)])
    services.set_hidden(world["coordinator"], post, True)
    client.force_login(world["author"])
    assert client.get(reverse("forums:attachment", args=[post.attachments.get().pk])).status_code == 404


def test_attachment_refusal_is_shown_on_the_reply_form(client, world, topic):
    client.force_login(world["other"])
    response = client.post(
        reverse("forums:reply", args=[topic.pk]),
        {"body": "Obrazek", "attachments": [upload("x.png", b"<svg onload=alert(1)></svg>")]},
    )
    html = response.content.decode()
    assert "SVG" in html and 'id="id_attachments-error"' in html
    assert topic.posts.count() == 1


# --- polyglots (every kind at every upload point: tests/exchange_groups/test_upload_polyglots.py) -----


def _stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("mapa.png", lambda: image_bytes("PNG") + b"<html><script>alert(1)</script></html>"),
        ("mapa.png", lambda: image_bytes("PNG") + docx_bytes()),
        ("anim.gif", lambda: image_bytes("GIF") + b"<script>alert(1)</script>"),
        ("uchwala.pdf", lambda: PDF.replace(b"/Type /Catalog", b"/Type /Catalog /Names << /EmbeddedFiles 2 0 R >>")),
    ],
    ids=["png-and-html", "png-and-zip", "gif-and-html", "pdf-with-embedded-file"],
)
def test_attachment_polyglot_is_refused_and_nothing_is_posted(world, topic, _private_media, name, build):
    with pytest.raises(services.ForumError) as caught:
        services.create_post(world["other"], topic, "Załącznik", attachments=[upload(name, build())])
    assert caught.value.field == "attachments"
    assert caught.value.message.startswith(f"{name}: ")
    assert not Post.objects.filter(body_source="Załącznik").exists()
    assert not Attachment.objects.exists()
    assert _stored_files(_private_media) == []


def test_attachment_polyglot_refusal_is_shown_on_the_reply_form(client, world, topic):
    client.force_login(world["other"])
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("forums:reply", args=[topic.pk]),
        {"body": "Obrazek", "attachments": [upload("x.png", image_bytes("PNG") + docx_bytes(), "image/png")]},
    )
    html = response.content.decode()
    assert "x.png: The image has other data attached after its end" in html
    assert 'id="id_attachments-error"' in html
    assert topic.posts.count() == 1


def test_attachment_declared_as_html_is_served_as_the_image_it_is(client, world, topic):
    post, _is_new = services.create_post(
        world["other"], topic, "Mapa", attachments=[upload("mapa.png", image_bytes("PNG"), "text/html")]
    )
    client.force_login(world["author"])
    response = client.get(reverse("forums:attachment", args=[post.attachments.get().pk]))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
