"""Wagtail admin plumbing shared by the apps."""

from django.contrib.auth import get_user_model
from wagtail.permission_policies import ModelPermissionPolicy

from oswiata_kit.people import is_site_admin, site_admin_q


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


class SiteAdminsViewOnlyPolicy(ModelPermissionPolicy):
    """Site administrators may view (list, inspect); no other action is allowed to anybody (superusers included):
    for rows the apps' own pages and tasks write (meetings, questionnaires, e-mail deliveries)."""

    def user_has_permission(self, user, action):
        return action == "view" and is_site_admin(user)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and is_site_admin(user)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if "view" not in actions:
            return users.none()
        return users.filter(site_admin_q()).distinct()
