"""Site roles as Django groups with permissions.

Roles inside one space (uczestnik, lider, koordynator, ekspert of a network) are memberships of that
space; these groups are the site-wide roles: what a person may do in the Wagtail admin and across spaces.
The groups are created (and their permissions brought up to date) after every `migrate`.
"""

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS

# The role names are the bottom layer's, so that every app names the same groups without importing the site.
from oswiata_kit.people import ADMINISTRATOR, COORDINATOR, EDITOR_ZMP, EXPERT, LEADER, PARTICIPANT

SITE_ROLES = [PARTICIPANT, LEADER, COORDINATOR, EDITOR_ZMP, EXPERT, ADMINISTRATOR]

# Model permissions per role, as "app_label.codename". Later apps add theirs through ROLE_PERMISSIONS.
ROLE_PERMISSIONS: dict[str, set[str]] = {
    PARTICIPANT: set(),
    EXPERT: set(),
    LEADER: set(),
    COORDINATOR: {
        "wagtailadmin.access_admin",
        # Coordinators run their own spaces on the site (membership management); creating and editing
        # spaces in the admin stays with administrators.
        "exchange_groups.view_space",
        "exchange_groups.view_membership",
        "exchange_groups.view_territorialunit",
        "learning.view_competencearea",
        "learning.add_competencearea",
        "learning.change_competencearea",
        "learning.view_attendancerecord",
        "learning.add_attendancerecord",
        "learning.change_attendancerecord",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    },
    EDITOR_ZMP: {
        "wagtailadmin.access_admin",
        "exchange_groups.view_space",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "exchange_groups.add_practicetheme",
        "exchange_groups.change_practicetheme",
        "exchange_groups.view_practicetheme",
    },
}
# Page-tree permissions (on the root page, so they cover every page) per role.
ROLE_PAGE_PERMISSIONS: dict[str, set[str]] = {
    EDITOR_ZMP: {"add_page", "change_page", "publish_page"},
    ADMINISTRATOR: {"add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"},
}


def _permission(codename_with_app: str):
    Permission = apps.get_model("auth", "Permission")
    app_label, codename = codename_with_app.split(".", 1)
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def ensure_site_roles(using: str = DEFAULT_DB_ALIAS) -> None:
    """Create the role groups and give them their permissions (idempotent)."""
    from django.contrib.auth.management import create_permissions

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)

    for role in SITE_ROLES:
        group, _ = Group.objects.using(using).get_or_create(name=role)
        if role == ADMINISTRATOR:
            group.permissions.set(Permission.objects.using(using).all())
        else:
            wanted = [p for p in (_permission(c) for c in sorted(ROLE_PERMISSIONS.get(role, ()))) if p]
            group.permissions.add(*wanted)

    _ensure_page_permissions(using)
    _polish_wagtail_defaults(using)


# Wagtail's migrations create two groups and a workflow with English names; the admin is Polish.
WAGTAIL_DEFAULT_NAMES = {
    "group": {"Moderators": "Moderatorzy", "Editors": "Redaktorzy"},
    "workflow": {"Moderators approval": "Akceptacja moderatorów"},
}


def _polish_wagtail_defaults(using: str) -> None:
    """Give Wagtail's default groups, workflow and task Polish names (once; a name an editor chose is kept)."""
    from wagtail.models import Task, Workflow

    Group = apps.get_model("auth", "Group")
    for english, polish in WAGTAIL_DEFAULT_NAMES["group"].items():
        if not Group.objects.using(using).filter(name=polish).exists():
            Group.objects.using(using).filter(name=english).update(name=polish)
    for english, polish in WAGTAIL_DEFAULT_NAMES["workflow"].items():
        Workflow.objects.using(using).filter(name=english).update(name=polish)
        Task.objects.using(using).filter(name=english).update(name=polish)


def _ensure_page_permissions(using: str) -> None:
    from wagtail.models import GroupPagePermission, Page

    Group = apps.get_model("auth", "Group")
    root = Page.get_first_root_node()
    if root is None:
        return
    for role, codenames in ROLE_PAGE_PERMISSIONS.items():
        group = Group.objects.using(using).get(name=role)
        for codename in codenames:
            permission = _permission(f"wagtailcore.{codename}")
            if permission:
                GroupPagePermission.objects.using(using).get_or_create(group=group, page=root, permission=permission)


def ensure_site_roles_after_migrate(sender, using=DEFAULT_DB_ALIAS, plan=None, **kwargs):
    ensure_site_roles(using=using)
