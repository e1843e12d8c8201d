"""Issue 12 (the same pattern as the debates): in the Wagtail admin's course editor the meeting requirements'
"space whose meetings count" accepts only a space the editor may see, and a private space chosen by somebody
who may see it is kept without being named to the editor."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from exchange_groups.models import PositionCategory, SpaceVisibility
from learning.models import CourseMeetingRequirement
from tests.factories import SpaceFactory

from .conftest import course_admin_form, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def spaces(db):
    return {
        "public": SpaceFactory(name="Sieć gmin wiejskich"),
        "private": SpaceFactory(name="GWD powiatowa", visibility=SpaceVisibility.PRIVATE),
    }


@pytest.fixture
def editor(db):
    from oswiata_site.roles import ensure_site_roles

    ensure_site_roles()
    user = make_person(first_name="Piotr", last_name="Kamiński")
    user.groups.add(Group.objects.get(name="Redaktor ZMP"))
    return user


def _data(course, requirements):
    data = course_admin_form(
        course.title,
        course.slug,
        audience=[PositionCategory.FINANCE],
        **{
            "meeting_requirements-TOTAL_FORMS": str(len(requirements)),
            "meeting_requirements-INITIAL_FORMS": str(sum(1 for r in requirements if r.get("id"))),
        },
    )
    for number, row in enumerate(requirements):
        prefix = f"meeting_requirements-{number}-"
        data[prefix + "id"] = str(row.get("id", ""))
        data[prefix + "description"] = row["description"]
        if "space" in row:
            data[prefix + "space"] = str(row["space"])
        data[prefix + "required_count"] = "2"
        data[prefix + "ORDER"] = str(number + 1)
        data[prefix + "DELETE"] = ""
    return data


def test_course_editor_refuses_a_private_space_the_editor_is_not_in(client, course, spaces, editor):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[course.pk])
    public = _data(course, [{"description": "Spotkania sieci", "space": spaces["public"].pk}])
    assert client.post(url, public).json()["is_valid"] is True
    private = _data(course, [{"description": "Spotkania grupy", "space": spaces["private"].pk}])
    assert client.post(url, private).json()["is_valid"] is False


def test_course_editor_keeps_a_private_space_chosen_by_somebody_who_may_see_it(client, course, spaces, editor):
    requirement = CourseMeetingRequirement.objects.create(
        course=course, description="Spotkania grupy", space=spaces["private"], required_count=1
    )
    course.save_revision().publish()
    client.force_login(editor)
    edit = reverse("wagtailadmin_pages:edit", args=[course.pk])
    assert spaces["private"].name not in client.get(edit).content.decode()
    data = _data(course, [{"id": requirement.pk, "description": "Spotkania grupy GWD"}])
    data["action-publish"] = "publish"
    response = client.post(edit, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    requirement.refresh_from_db()
    assert requirement.description == "Spotkania grupy GWD"
    assert requirement.space_id == spaces["private"].pk


def test_course_editor_names_the_chosen_private_space_to_an_administrator(client, course, spaces):
    CourseMeetingRequirement.objects.create(
        course=course, description="Spotkania grupy", space=spaces["private"], required_count=1
    )
    course.save_revision().publish()
    client.force_login(make_person(is_superuser=True))
    text = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk])).content.decode()
    assert spaces["private"].name in text


def test_course_revision_comparison_does_not_name_a_private_space_the_editor_is_not_in(client, course, spaces, editor):
    from wagtail.models import Revision

    requirement = CourseMeetingRequirement.objects.create(
        course=course, description="Spotkania grupy", space=spaces["private"], required_count=1
    )
    course.save_revision().publish()
    requirement.description = "Spotkania grupy GWD"
    requirement.save()
    course = type(course).objects.get(pk=course.pk)
    course.save_revision().publish()
    first, last = list(Revision.page_revisions.filter(object_id=str(course.pk)).order_by("-pk")[:2])[::-1]
    compare = reverse("wagtailadmin_pages:revisions_compare", args=(course.pk, first.pk, last.pk))
    client.force_login(editor)
    response = client.get(compare)
    assert response.status_code == 200
    assert "Spotkania grupy" in response.content.decode()  # the requirement is compared, its space unnamed
    assert spaces["private"].name not in response.content.decode()
