"""debates.conf: one typed default per setting, read when asked (so override_settings works)."""

import pytest

from debates.conf import DEFAULTS, debates_settings
from debates.services import task_backend_alias

EXPECTED_DEFAULTS = [
    ("EDITOR_GROUP", "DEBATES_EDITOR_GROUP", "Redaktor ZMP"),
    ("TASK_BACKEND", "DEBATES_TASK_BACKEND", "default"),
]


@pytest.mark.parametrize(("attribute", "name", "default"), EXPECTED_DEFAULTS, ids=[e[0] for e in EXPECTED_DEFAULTS])
def test_debates_settings_default_applies_when_the_host_sets_nothing(settings, attribute, name, default):
    if hasattr(settings, name):
        delattr(settings, name)
    assert getattr(debates_settings, attribute) == default
    assert name in DEFAULTS


def test_debates_task_backend_follows_the_settings_at_access_time(settings):
    settings.DEBATES_TASK_BACKEND = "database"
    assert task_backend_alias() == "database"


@pytest.mark.django_db
def test_editor_group_setting_names_the_group_that_edits_debates(settings):
    from django.contrib.auth.models import Group

    from debates.permissions import is_debate_editor
    from tests.factories import UserFactory

    settings.DEBATES_EDITOR_GROUP = "Redakcja"
    editor = UserFactory()
    editor.groups.add(Group.objects.create(name="Redakcja"))
    assert is_debate_editor(editor)
