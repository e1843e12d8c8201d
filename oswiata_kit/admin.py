"""Wagtail admin plumbing shared by the apps."""

from django.contrib.auth import get_user_model
from wagtail.permission_policies import ModelPermissionPolicy


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """View (and inspect) only: nobody adds, edits or deletes these rows in the admin."""

    read_only_actions = {"add", "change", "delete", "copy", "publish", "unpublish", "lock", "unlock"}

    def user_has_permission(self, user, action):
        if action in self.read_only_actions:
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action not in self.read_only_actions]
        if not actions:
            return get_user_model().objects.none()
        return super().users_with_any_permission(actions)
