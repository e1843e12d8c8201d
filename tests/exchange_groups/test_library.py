"""The resource library of a space: hostile uploads are refused or stored under a generated name, downloads are
attachments that a browser will not render, a private space's library does not exist for outsiders, and only
the author and the coordinators change a resource."""

import io
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from exchange_groups.library import services
from exchange_groups.models import Resource, ResourceKind, SpaceRole, SpaceVisibility
from exchange_groups.spaces import services as membership
from tests.factories import SpaceFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.EXCHANGE_GROUPS_PRIVATE_MEDIA_ROOT = str(tmp_path / "private-media")
    return tmp_path / "private-media"


@pytest.fixture
def world():
    admin = UserFactory(is_superuser=True)
    space = SpaceFactory(name="Sieć współpracy gmin wiejskich", slug="siec-wiejska")
    coordinator = UserFactory(first_name="Małgorzata", last_name="Zielińska")
    membership.add_member(admin, space, coordinator, SpaceRole.COORDINATOR, notify=False)
    author = UserFactory(first_name="Anna", last_name="Nowak")
    membership.add_member(admin, space, author, SpaceRole.PARTICIPANT, notify=False)
    other_member = UserFactory(first_name="Marek", last_name="Jankowski")
    membership.add_member(admin, space, other_member, SpaceRole.PARTICIPANT, notify=False)
    outsider = UserFactory(first_name="Jan", last_name="Obcy")
    return {
        "admin": admin,
        "space": space,
        "coordinator": coordinator,
        "author": author,
        "other_member": other_member,
        "outsider": outsider,
    }


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def add_file(world, name="prognoza.pdf", content=PDF, **kwargs) -> Resource:
    fields = {"title": "Prognoza demograficzna gminy do 2030 r.", "tags": ["demografia"]}
    fields.update(kwargs)
    return services.add_resource(
        world["author"], world["space"], kind=ResourceKind.FILE, file=upload(name, content), **fields
    )


def client_for(client, user):
    if user is not None:
        client.force_login(user)
    return client


# --- hostile uploads ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content",
    [
        ("mapa.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("mapa.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("raport.pdf", b"\xef\xbb\xbf  <!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("raport.png", b"<html><body><script>alert(document.cookie)</script></body></html>"),
        ("notatki.txt", b"\n\n<SCRIPT>alert(1)</SCRIPT>"),
        ("lista.csv", b"nazwa;liczba\n<script>alert(1)</script>;2\n"),
        ("budzet.docx", b"<html>not a document</html>"),
    ],
)
def test_add_resource_refuses_markup_whatever_the_extension(world, name, content):
    with pytest.raises(services.LibraryError) as error:
        add_file(world, name=name, content=content)
    assert error.value.field == "file"
    assert not Resource.objects.exists()


@pytest.mark.parametrize(
    "name, content",
    [
        ("raport.pdf", b"GIF89a not a pdf at all"),
        ("zdjecie.png", b"\x89PNG\r\n\x1a\n broken"),
        ("zdjecie.jpg", png_bytes()),
        ("budzet.docx", b"PK\x03\x04 not really a zip"),
        ("budzet.xls", b"plain text pretending to be excel"),
        ("opis.rtf", b"plain text pretending to be rtf"),
    ],
)
def test_add_resource_refuses_content_that_does_not_match_the_extension(world, name, content):
    with pytest.raises(services.LibraryError) as error:
        add_file(world, name=name, content=content)
    assert error.value.code == "file_content"


def test_add_resource_refuses_a_disallowed_extension(world):
    with pytest.raises(services.LibraryError) as error:
        add_file(world, name="instalator.exe", content=b"MZ\x90\x00")
    assert error.value.code == "file_type"
    assert "pdf" in error.value.message


def test_add_resource_refuses_a_file_over_the_limit(world, settings):
    settings.EXCHANGE_GROUPS_MAX_UPLOAD_MB = 1
    with pytest.raises(services.LibraryError) as error:
        add_file(world, content=PDF + b"0" * (1024 * 1024))
    assert error.value.code == "file_size"
    assert "1 MB" in error.value.message


@pytest.mark.parametrize(
    "given, shown",
    [("../../etc/passwd.pdf", "passwd.pdf"), ("C:\\Users\\anna\\Pulpit\\plan.pdf", "plan.pdf")],
)
def test_add_resource_stores_a_path_name_under_a_generated_name(world, _private_media, given, shown):
    resource = add_file(world, name=given)
    assert resource.original_filename == shown
    stored = Path(resource.file.name)
    assert stored.parts[:2] == ("resources", str(world["space"].pk))
    assert stored.name != shown and stored.suffix == ".pdf"
    assert (_private_media / stored).is_file()
    assert not (_private_media.parent / "etc").exists()


@pytest.mark.parametrize(
    "name, content",
    [("plan.pdf", PDF), ("mapa.png", png_bytes()), ("budzet.docx", docx_bytes()), ("dane.csv", b"gmina;uczniowie\n")],
)
def test_add_resource_accepts_real_files(world, name, content):
    resource = add_file(world, name=name, content=content)
    assert resource.original_filename == name
    assert resource.size == len(content)


def test_add_resource_refuses_a_link_that_is_not_http(world):
    with pytest.raises(services.LibraryError) as error:
        services.add_resource(
            world["author"], world["space"], kind=ResourceKind.LINK, title="Skrypt", url="javascript:alert(1)"
        )
    assert error.value.field == "url"


def test_add_resource_same_submission_key_twice_makes_one_resource(world):
    key = "3b0c8f0e-2c56-4f1e-9d6b-0c9d0a2b7e11"
    first = add_file(world, submission_key=key)
    second = add_file(world, submission_key=key)
    assert first.pk == second.pk
    assert Resource.objects.count() == 1


# --- downloads -------------------------------------------------------------------------------------


def test_download_is_an_attachment_the_browser_does_not_sniff(world, client):
    resource = add_file(world, name="Prognoza łódzka.pdf")
    response = client_for(client, world["other_member"]).get(
        reverse("exchange_groups:resource_download", args=[world["space"].slug, resource.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Prognoza%20%C5%82%C3%B3dzka.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF


def test_download_of_a_text_file_is_plain_text(world, client):
    resource = add_file(world, name="dane.csv", content=b"gmina;uczniowie\nHansk;312\n")
    response = client_for(client, world["author"]).get(
        reverse("exchange_groups:resource_download", args=[world["space"].slug, resource.pk])
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")


# --- privacy ---------------------------------------------------------------------------------------


def _library_urls(space, resource):
    return [
        reverse("exchange_groups:library", args=[space.slug]),
        reverse("exchange_groups:resource_add", args=[space.slug]),
        reverse("exchange_groups:resource_edit", args=[space.slug, resource.pk]),
        reverse("exchange_groups:resource_delete", args=[space.slug, resource.pk]),
        reverse("exchange_groups:resource_download", args=[space.slug, resource.pk]),
    ]


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_private_space_library_answers_404_to_outsiders_on_every_url(world, client, who, method):
    resource = add_file(world)
    space = world["space"]
    space.visibility = SpaceVisibility.PRIVATE
    space.save()
    client_for(client, None if who == "anonymous" else world["outsider"])
    for url in _library_urls(space, resource):
        response = getattr(client, method)(url)
        assert response.status_code == 404, url
    assert Resource.objects.filter(pk=resource.pk).exists()


def test_public_space_resource_urls_answer_404_to_non_members(world, client):
    resource = add_file(world)
    client_for(client, world["outsider"])
    for url in _library_urls(world["space"], resource)[2:]:
        assert client.get(url).status_code == 404, url


def test_public_space_library_list_shows_non_members_the_members_only_page(world, client):
    add_file(world)
    response = client_for(client, world["outsider"]).get(reverse("exchange_groups:library", args=["siec-wiejska"]))
    assert response.status_code == 403
    assert "Prognoza demograficzna" not in response.content.decode()


def test_public_space_library_sends_anonymous_visitors_to_log_in(world, client):
    response = client.get(reverse("exchange_groups:library", args=["siec-wiejska"]))
    assert response.status_code == 302
    assert reverse("exchange_groups:login") in response["Location"]


def test_site_admin_sees_a_private_space_library(world, client):
    add_file(world)
    world["space"].visibility = SpaceVisibility.PRIVATE
    world["space"].save()
    staff = UserFactory()
    staff.groups.add(Group.objects.get_or_create(name="Administrator")[0])
    response = client_for(client, staff).get(reverse("exchange_groups:library", args=["siec-wiejska"]))
    assert response.status_code == 200
    assert "Prognoza demograficzna" in response.content.decode()


# --- adding, editing, removing ---------------------------------------------------------------------


def test_member_adds_a_file_through_the_form(world, client):
    client_for(client, world["other_member"])
    response = client.post(
        reverse("exchange_groups:resource_add", args=["siec-wiejska"]),
        {
            "kind": ResourceKind.FILE,
            "title": "Analiza kosztów utrzymania szkół",
            "description": "Dane z lat 2017–2019.",
            "file": upload("koszty.pdf", PDF),
            "tags": "finanse, subwencja oświatowa",
        },
    )
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.added_by == world["other_member"]
    assert sorted(resource.tags.names()) == ["finanse", "subwencja oświatowa"]
    listing = client.get(reverse("exchange_groups:library", args=["siec-wiejska"])).content.decode()
    assert "Analiza kosztów utrzymania szkół" in listing


def test_member_upload_of_svg_shows_an_error_linked_to_the_file_field(world, client):
    client_for(client, world["other_member"])
    response = client.post(
        reverse("exchange_groups:resource_add", args=["siec-wiejska"]),
        {"kind": ResourceKind.FILE, "title": "Mapa", "file": upload("mapa.svg", b"<svg onload='alert(1)'/>")},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_file"' in html
    assert 'aria-invalid="true"' in html
    assert not Resource.objects.exists()


def test_member_adds_a_link(world, client):
    client_for(client, world["author"])
    client.post(
        reverse("exchange_groups:resource_add", args=["siec-wiejska"]),
        {"kind": ResourceKind.LINK, "title": "Prawo oświatowe", "url": "https://isap.sejm.gov.pl/"},
    )
    assert Resource.objects.get().url == "https://isap.sejm.gov.pl/"


def test_non_author_member_cannot_edit_or_delete(world, client):
    resource = add_file(world)
    client_for(client, world["other_member"])
    edit = reverse("exchange_groups:resource_edit", args=["siec-wiejska", resource.pk])
    delete = reverse("exchange_groups:resource_delete", args=["siec-wiejska", resource.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"title": "Zmieniony"}).status_code == 403
    assert client.post(delete).status_code == 403
    resource.refresh_from_db()
    assert resource.title == "Prognoza demograficzna gminy do 2030 r."


def test_update_resource_by_non_author_raises_permission_denied(world):
    resource = add_file(world)
    with pytest.raises(PermissionDenied):
        services.update_resource(world["other_member"], resource, title="Zmieniony")


def test_author_edits_title_and_tags(world, client):
    resource = add_file(world)
    client_for(client, world["author"])
    response = client.post(
        reverse("exchange_groups:resource_edit", args=["siec-wiejska", resource.pk]),
        {"title": "Prognoza 2020–2030", "description": "", "tags": "demografia, sieć szkół"},
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.title == "Prognoza 2020–2030"
    assert sorted(resource.tags.names()) == ["demografia", "sieć szkół"]


def test_coordinator_deletes_a_resource_after_confirming(world, client):
    resource = add_file(world)
    client_for(client, world["coordinator"])
    url = reverse("exchange_groups:resource_delete", args=["siec-wiejska", resource.pk])
    assert client.get(url).status_code == 200
    assert Resource.objects.filter(pk=resource.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not Resource.objects.filter(pk=resource.pk).exists()


def test_delete_resource_removes_the_file_after_commit(world, _private_media, django_capture_on_commit_callbacks):
    resource = add_file(world)
    stored = _private_media / resource.file.name
    assert stored.is_file()
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_resource(world["coordinator"], resource)
    assert not stored.exists()


# --- search and tags -------------------------------------------------------------------------------


def test_search_ignores_diacritics_and_matches_tags(world):
    add_file(world, title="Prognoza demograficzna", tags=["sieć szkół"])
    services.add_resource(
        world["author"], world["space"], kind=ResourceKind.LINK, title="Budżet oświaty", url="https://example.pl/"
    )
    space = world["space"]
    assert [r.title for r in services.search_resources(space, q="budzet")] == ["Budżet oświaty"]
    assert [r.title for r in services.search_resources(space, q="SIEC szkol")] == ["Prognoza demograficzna"]
    assert services.search_resources(space, q="subwencja").count() == 0


def test_library_page_filters_by_tag(world, client):
    add_file(world, title="Prognoza demograficzna", tags=["demografia"])
    add_file(world, title="Plan finansowy", tags=["finanse"])
    client_for(client, world["other_member"])
    html = client.get(reverse("exchange_groups:library", args=["siec-wiejska"]), {"tag": "finanse"}).content.decode()
    assert "Plan finansowy" in html
    assert "Prognoza demograficzna" not in html
    assert "1 zasób" in html or "1 resource" in html


def test_search_does_not_reach_other_spaces(world):
    add_file(world, title="Prognoza demograficzna")
    other = SpaceFactory()
    assert services.search_resources(other, q="prognoza").count() == 0


def test_demo_library_loads_once_through_the_checks():
    from exchange_groups.demo.library import RESOURCES, load_demo_library
    from exchange_groups.spaces.standard import ensure_standard_spaces

    users = {"administrator": UserFactory(is_superuser=True)}
    spaces = ensure_standard_spaces()
    load_demo_library(users, spaces)
    load_demo_library(users, spaces)
    assert Resource.objects.count() == sum(len(specs) for specs in RESOURCES.values())
    csv = Resource.objects.get(original_filename="liczba-uczniow-i-oddzialow.csv")
    assert csv.extension == "csv"
    assert csv.file.open("rb").read().startswith(b"rok szkolny")


# --- polyglots (see test_upload_polyglots.py for every kind) ----------------------------------------


def _stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("mapa.png", lambda: png_bytes() + b"<html><script>alert(1)</script></html>"),
        ("mapa.png", lambda: png_bytes() + docx_bytes()),
        (
            "uchwala.pdf",
            lambda: PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (x) >>"),
        ),
    ],
    ids=["png-and-html", "png-and-zip", "pdf-with-javascript"],
)
def test_add_resource_refuses_a_polyglot_and_stores_nothing(world, _private_media, name, build):
    with pytest.raises(services.LibraryError) as error:
        add_file(world, name=name, content=build())
    assert error.value.code == "file_hidden_content"
    assert error.value.field == "file"
    assert not Resource.objects.exists()
    assert _stored_files(_private_media) == []


def test_member_upload_of_a_polyglot_shows_the_reason_on_the_form(world, client, _private_media):
    client_for(client, world["other_member"])
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("exchange_groups:resource_add", args=["siec-wiejska"]),
        {
            "kind": ResourceKind.FILE,
            "title": "Mapa",
            "file": upload("mapa.png", png_bytes() + b"<script>alert(1)</script>"),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "other data attached after its end" in html
    assert 'href="#id_file"' in html
    assert not Resource.objects.exists()
    assert _stored_files(_private_media) == []


def test_download_of_an_image_declared_as_html_is_an_image_attachment(world, client):
    resource = services.add_resource(
        world["author"],
        world["space"],
        kind=ResourceKind.FILE,
        title="Mapa szkół",
        file=upload("mapa.png", png_bytes(), content_type="text/html"),
    )
    response = client_for(client, world["other_member"]).get(
        reverse("exchange_groups:resource_download", args=[world["space"].slug, resource.pk])
    )
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "sandbox" in response["Content-Security-Policy"]
