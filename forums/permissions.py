"""Who may read and write in the forums: `can_*` answer, `check_*` raise PermissionDenied, `get_*_or_404`.

Rules (issue 5):
- a space's forum is read by whoever may see the space's member area: its active members and site
  administrators — for public spaces too (the forum is member-only); an ended membership means no access;
- the site-wide forum is read by every logged-in person;
- posting: active members of the space (any role); in the site-wide forum, logged-in people who have given
  the project's required consents;
- a private space's forum does not exist for anybody else: every forum URL answers 404 (never 403), and
  lists and search never show what the detail pages refuse;
- the author edits their own post for `FORUMS_EDIT_WINDOW_MINUTES` (default 30) after writing it;
- hiding and restoring posts: moderators and coordinators of the space and site administrators.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from exchange_groups.models import Membership, SpaceRole
from exchange_groups.permissions import can_take_part
from exchange_groups.space_permissions import can_view_member_area, can_view_space, is_member, is_site_admin, role_in

from .models import Attachment, Category, Forum, Post, Topic

DEFAULT_EDIT_WINDOW_MINUTES = 30


def _is_person(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def edit_window() -> datetime.timedelta:
    return datetime.timedelta(minutes=int(getattr(settings, "FORUMS_EDIT_WINDOW_MINUTES", DEFAULT_EDIT_WINDOW_MINUTES)))


# --- predicates --------------------------------------------------------------------------------------


def forum_exists_for(user, forum: Forum) -> bool:
    """False when the forum must look like it does not exist (a private space's forum to outsiders)."""
    return forum.is_site_wide or can_view_space(user, forum.space)


def can_read_forum(user, forum: Forum) -> bool:
    if not _is_person(user):
        return False
    if forum.is_site_wide:
        return True
    return can_view_member_area(user, forum.space)


def can_read_topic(user, topic: Topic) -> bool:
    """Reading one topic (the live socket checks this on connect and on every inbound message)."""
    return can_read_forum(user, topic.category.forum)


def can_post(user, forum: Forum) -> bool:
    if not _is_person(user):
        return False
    if forum.is_site_wide:
        return can_take_part(user)
    return is_member(user, forum.space)


def can_reply(user, topic: Topic) -> bool:
    return not topic.locked and can_post(user, topic.category.forum)


def can_moderate(user, forum: Forum) -> bool:
    if is_site_admin(user):
        return True
    if forum.is_site_wide or not _is_person(user):
        return False
    return role_in(user, forum.space) in (SpaceRole.MODERATOR, SpaceRole.COORDINATOR)


def can_edit_post(user, post: Post, *, now=None) -> bool:
    if not _is_person(user) or post.author_id != user.pk or post.hidden:
        return False
    if (now or timezone.now()) - post.created_at > edit_window():
        return False
    return can_post(user, post.topic.category.forum)


def readable_forums(user):
    """The forums the person may read (for lists and search)."""
    if not _is_person(user):
        return Forum.objects.none()
    if is_site_admin(user):
        return Forum.objects.all()
    spaces = Membership.objects.filter(user_id=user.pk, until__isnull=True).values("space_id")
    return Forum.objects.filter(Q(is_site_wide=True) | Q(space_id__in=spaces))


# --- refusals ----------------------------------------------------------------------------------------


def check_can_read_forum(user, forum: Forum) -> None:
    if not can_read_forum(user, forum):
        raise PermissionDenied(_("Only members of this space can read its forum."))


def check_can_post(user, forum: Forum) -> None:
    if can_post(user, forum):
        return
    if forum.is_site_wide:
        raise PermissionDenied(
            _(
                "To write in the forum you need to accept the privacy notice, the terms of use and the processing "
                "of your data for the project's reporting. You can do this on your profile page."
            )
        )
    raise PermissionDenied(_("Only members of this space can write in its forum."))


def check_can_reply(user, topic: Topic) -> None:
    if topic.locked:
        raise PermissionDenied(_("This topic is closed: no new replies can be added."))
    check_can_post(user, topic.category.forum)


def check_can_edit_post(user, post: Post) -> None:
    if not can_edit_post(user, post):
        minutes = int(edit_window().total_seconds() // 60)
        raise PermissionDenied(
            _("You can edit only your own posts, within %(minutes)s minutes of writing them.") % {"minutes": minutes}
        )


def check_can_moderate(user, forum: Forum) -> None:
    if not can_moderate(user, forum):
        raise PermissionDenied(_("Only the moderators and coordinators of this space can do this."))


# --- lookups -----------------------------------------------------------------------------------------


def _not_found():
    return Http404(_("No such forum page."))


def get_forum_or_404(user, forum_id) -> Forum:
    forum = Forum.objects.select_related("space").filter(pk=forum_id).first()
    if forum is None or not forum_exists_for(user, forum):
        raise _not_found()
    return forum


def get_category_or_404(user, forum_id, category_slug) -> Category:
    forum = get_forum_or_404(user, forum_id)
    category = Category.objects.filter(forum=forum, slug=category_slug).first()
    if category is None:
        raise _not_found()
    category.forum = forum
    return category


def get_topic_or_404(user, topic_id) -> Topic:
    topic = Topic.objects.select_related("category__forum__space", "author").filter(pk=topic_id).first()
    if topic is None or not forum_exists_for(user, topic.category.forum):
        raise _not_found()
    return topic


def get_post_or_404(user, post_id, topic: Topic | None = None) -> Post:
    posts = Post.objects.select_related("topic__category__forum__space", "author")
    if topic is not None:
        posts = posts.filter(topic=topic)
    post = posts.filter(pk=post_id).first()
    if post is None or not forum_exists_for(user, post.topic.category.forum):
        raise _not_found()
    return post


def get_attachment_or_404(user, attachment_id) -> Attachment:
    """The attachment, or 404 (also for a hidden post's files); the view then checks that the person reads the forum."""
    attachment = (
        Attachment.objects.select_related("post__topic__category__forum__space").filter(pk=attachment_id).first()
    )
    if attachment is None or attachment.post.hidden or not forum_exists_for(user, attachment.post.topic.category.forum):
        raise _not_found()
    return attachment
