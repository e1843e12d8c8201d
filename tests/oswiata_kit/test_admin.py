"""The admin's "site administrators may look, nobody may change" policy, shared by the read-only lists."""

import pytest
from django.contrib.auth.models import Group

from exchange_groups.models import Meeting
from oswiata_kit import people
from oswiata_kit.admin import SiteAdminsViewOnlyPolicy
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_site_admins_view_only_policy_lets_site_administrators_only_view():
    policy = SiteAdminsViewOnlyPolicy(Meeting)
    admin, superuser, editor = UserFactory(), UserFactory(is_superuser=True), UserFactory()
    admin.groups.add(Group.objects.get_or_create(name=people.ADMINISTRATOR)[0])
    editor.groups.add(Group.objects.get_or_create(name=people.EDITOR_ZMP)[0])
    for user in (admin, superuser):
        assert policy.user_has_permission(user, "view")
        assert policy.user_has_any_permission(user, ["view", "change"])
        assert not any(policy.user_has_permission(user, action) for action in ("add", "change", "delete"))
    assert not policy.user_has_permission(editor, "view")
    assert not policy.user_has_any_permission(editor, ["view"])
    assert set(policy.users_with_any_permission(["view"])) == {admin, superuser}
    assert not policy.users_with_any_permission(["change", "delete"]).exists()


def test_site_admins_view_only_policy_leaves_out_deactivated_administrators():
    policy = SiteAdminsViewOnlyPolicy(Meeting)
    gone = UserFactory(is_superuser=True, is_active=False)
    assert not policy.user_has_permission(gone, "view")
    assert gone not in policy.users_with_any_permission(["view"])
