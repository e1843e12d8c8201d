"""Private storage: files only a view with a permission check hands out, kept outside MEDIA_ROOT, at the place
the settings name when the file is saved or read (nothing is remembered from an earlier setting)."""

from pathlib import Path

from django.core.files.base import ContentFile

from oswiata_kit.storage import private_storage


def test_private_storage_follows_the_setting_each_time(settings, tmp_path):
    settings.EXCHANGE_GROUPS_PRIVATE_MEDIA_ROOT = str(tmp_path / "first")
    first = private_storage().save("meetings/1/a.pdf", ContentFile(b"%PDF-1.4"))
    assert Path(private_storage().path(first)).is_relative_to(tmp_path / "first")
    settings.EXCHANGE_GROUPS_PRIVATE_MEDIA_ROOT = str(tmp_path / "second")
    second = private_storage().save("meetings/1/a.pdf", ContentFile(b"%PDF-1.4"))
    assert Path(private_storage().path(second)).is_relative_to(tmp_path / "second")
    assert not private_storage().exists(first) or first == second


def test_private_storage_default_is_beside_the_public_media_root(settings, tmp_path):
    del settings.EXCHANGE_GROUPS_PRIVATE_MEDIA_ROOT
    settings.MEDIA_ROOT = str(tmp_path / "media")
    assert Path(private_storage().location) == tmp_path / "private-media"
    assert not Path(private_storage().location).is_relative_to(tmp_path / "media")


def test_private_storage_is_the_one_every_private_file_field_uses():
    from exchange_groups.models import MeetingMaterial, Resource
    from forums.models import Attachment

    for model in (MeetingMaterial, Resource, Attachment):
        assert model._meta.get_field("file").storage is private_storage()
