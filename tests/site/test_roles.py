"""Site roles and Wagtail's default groups and workflow, as the Polish admin shows them."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Task, Workflow

from oswiata_site.roles import SITE_ROLES, ensure_site_roles

pytestmark = pytest.mark.django_db


def test_every_site_role_is_a_group_after_migrate():
    assert set(SITE_ROLES) <= set(Group.objects.values_list("name", flat=True))


def test_wagtail_default_groups_and_workflow_have_polish_names():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Moderatorzy", "Redaktorzy"} <= names
    assert not {"Moderators", "Editors"} & names
    assert Workflow.objects.filter(name="Akceptacja moderatorów").exists()
    assert not Workflow.objects.filter(name="Moderators approval").exists()
    assert not Task.objects.filter(name="Moderators approval").exists()


def test_a_name_an_editor_chose_is_kept():
    Workflow.objects.filter(name="Akceptacja moderatorów").update(name="Zatwierdzanie przez redakcję")
    ensure_site_roles()
    assert Workflow.objects.filter(name="Zatwierdzanie przez redakcję").exists()
    assert not Workflow.objects.filter(name="Akceptacja moderatorów").exists()
