"""Private storage: files that only a view with a permission check hands out (meeting materials, library files,
forum attachments), never under MEDIA_ROOT, which a web server may publish.

The folder is read from the settings whenever the storage is used (`EXCHANGE_GROUPS_PRIVATE_MEDIA_ROOT`, default
"private-media" beside MEDIA_ROOT; see `conf.py`), never remembered: a test or a host that changes the setting
gets the new folder without touching the storage. Model fields name the callable `private_storage`.
"""

import os

from django.core.files.storage import FileSystemStorage

from oswiata_kit.conf import kit_settings


class PrivateStorage(FileSystemStorage):
    """A FileSystemStorage whose folder follows the setting (Django's own caches it on first use)."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, kit_settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


_private_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    return _private_storage
