"""learning.conf: one typed default per setting, read when asked (so override_settings works)."""

import pytest

from learning.conf import DEFAULTS, learning_settings
from learning.permissions import is_coordinator
from learning.services import attended_meetings

EXPECTED_DEFAULTS = [
    ("ATTENDANCE_PROVIDER", "LEARNING_ATTENDANCE_PROVIDER", ""),
    ("COORDINATOR_GROUP", "LEARNING_COORDINATOR_GROUP", "Koordynator"),
    ("REPORT_MIN_GROUP", "LEARNING_REPORT_MIN_GROUP", 5),
]


@pytest.mark.parametrize(("attribute", "name", "default"), EXPECTED_DEFAULTS, ids=[e[0] for e in EXPECTED_DEFAULTS])
def test_learning_settings_default_applies_when_the_host_sets_nothing(settings, attribute, name, default):
    if hasattr(settings, name):
        delattr(settings, name)
    assert getattr(learning_settings, attribute) == default
    assert name in DEFAULTS


def test_learning_settings_follow_the_settings_at_access_time(settings):
    settings.LEARNING_REPORT_MIN_GROUP = 3
    assert learning_settings.REPORT_MIN_GROUP == 3
    settings.LEARNING_REPORT_MIN_GROUP = 8
    assert learning_settings.REPORT_MIN_GROUP == 8


def count_two(user, course):
    return 2


def test_attendance_provider_setting_replaces_the_own_count(settings):
    settings.LEARNING_ATTENDANCE_PROVIDER = "tests.learning.test_conf.count_two"
    assert attended_meetings(object(), object()) == 2


@pytest.mark.django_db
def test_coordinator_group_setting_names_the_group_that_coordinates(settings, learner):
    from django.contrib.auth.models import Group

    settings.LEARNING_COORDINATOR_GROUP = "Zespół kursów"
    learner.groups.add(Group.objects.create(name="Zespół kursów"))
    assert is_coordinator(learner)
