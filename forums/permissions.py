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

Moderation (issue 6):
- every moderation tool (pin, lock, move, hide, moderator edit, delete, reports queue, sanctions, topic slow
  mode, the moderation log) belongs to the moderators and coordinators of the space and to administrators;
  in the site-wide forum to administrators only;
- the forum's settings (slow mode, report threshold, public log) belong to the space's coordinators and
  administrators; restoring a deleted topic to administrators only;
- a deleted topic does not exist for anybody but administrators (404, also on the live socket);
- a member under an active sanction (suspension or silence) in the space reads but does not write, reply,
  edit or like there; slow mode makes a member wait between posts (moderators are exempt).
"""

import datetime
import math
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Q
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from exchange_groups.accounts.permissions import can_take_part
from exchange_groups.models import Membership, SpaceRole
from exchange_groups.spaces.permissions import can_view_member_area, can_view_space, role_in
from oswiata_kit.people import is_person, is_site_admin, site_admin_q

from .conf import forums_settings
from .models import Attachment, Category, Forum, Post, Sanction, SanctionKind, Topic


def edit_window() -> datetime.timedelta:
    return datetime.timedelta(minutes=forums_settings.EDIT_WINDOW_MINUTES)


# --- predicates --------------------------------------------------------------------------------------


def forum_exists_for(user, forum: Forum) -> bool:
    """False when the forum must look like it does not exist (a private space's forum to outsiders)."""
    return forum.is_site_wide or can_view_space(user, forum.space)


def can_read_forum(user, forum: Forum) -> bool:
    if not is_person(user):
        return False
    if forum.is_site_wide:
        return True
    return can_view_member_area(user, forum.space)


def can_read_topic(user, topic: Topic) -> bool:
    """Reading one topic (the live socket checks this on connect and on every inbound message)."""
    if topic.deleted_at is not None and not is_site_admin(user):
        return False
    return can_read_forum(user, topic.category.forum)


def active_sanction(user, forum: Forum, *, now=None) -> Sanction | None:
    """The person's sanction in force in the forum's space (the longest-running one), or None."""
    if not is_person(user):
        return None
    # a suspension says more than a silence: show it first
    found = list(_sanctions_in_force(user, forum, now or timezone.now()).order_by("-ends_at")[:5])
    for sanction in found:
        if sanction.kind == SanctionKind.SUSPENSION:
            return sanction
    return found[0] if found else None


def _sanctions_in_force(user, forum: Forum, now):
    sanctions = Sanction.objects.filter(user_id=user.pk, lifted_at__isnull=True, starts_at__lte=now, ends_at__gt=now)
    return sanctions.filter(space__isnull=True) if forum.is_site_wide else sanctions.filter(space_id=forum.space_id)


def sanction_message(sanction: Sanction) -> str:
    until = formats.date_format(timezone.localtime(sanction.ends_at), "j E Y, H:i")
    if sanction.kind == SanctionKind.SUSPENSION:
        return _(
            "Your participation in this forum is suspended until %(until)s: you can read, but not write. "
            "Reason: %(reason)s"
        ) % {"until": until, "reason": sanction.reason}
    return _(
        "You have been silenced in this forum until %(until)s: you can read, but not write. Reason: %(reason)s"
    ) % {
        "until": until,
        "reason": sanction.reason,
    }


def can_post(user, forum: Forum) -> bool:
    if not is_person(user):
        return False
    if forum.is_site_wide:
        return can_take_part(user) and active_sanction(user, forum) is None
    # The membership and the sanctions in one statement (the live post asks this before every post): None when
    # the person is not a member, else whether a sanction is in force.
    sanctioned = (
        Membership.objects.active()
        .filter(space_id=forum.space_id, user_id=user.pk)
        .annotate(sanctioned=Exists(_sanctions_in_force(user, forum, timezone.now())))
        .values_list("sanctioned", flat=True)
        .first()
    )
    return sanctioned is not None and not sanctioned


def can_reply(user, topic: Topic) -> bool:
    return not topic.locked and topic.deleted_at is None and can_post(user, topic.category.forum)


def can_moderate(user, forum: Forum) -> bool:
    if is_site_admin(user):
        return True
    if forum.is_site_wide or not is_person(user):
        return False
    return role_in(user, forum.space) in (SpaceRole.MODERATOR, SpaceRole.COORDINATOR)


def can_moderate_topic(user, topic: Topic) -> bool:
    return can_moderate(user, topic.category.forum)


def can_configure_forum(user, forum: Forum) -> bool:
    """The forum's moderation settings: the space's coordinators and administrators."""
    if is_site_admin(user):
        return True
    if forum.is_site_wide or not is_person(user):
        return False
    return role_in(user, forum.space) == SpaceRole.COORDINATOR


def can_restore_topic(user, topic: Topic) -> bool:
    return topic.deleted_at is not None and is_site_admin(user)


def can_report_post(user, post: Post) -> bool:
    """Members (read and post access) report other people's visible posts."""
    return ForumViewer(user, post.topic.category.forum).can_report(post)


def can_view_public_log(user, forum: Forum) -> bool:
    return forum.public_moderation_log and can_read_forum(user, forum)


def can_edit_post(user, post: Post, *, now=None) -> bool:
    return ForumViewer(user, post.topic.category.forum).can_edit(post, now=now)


def can_see_restricted_revisions(user, post: Post) -> bool:
    """The whole history of a post — the versions a moderator's edit withheld from members, the moderator's
    name and reason, a hidden post's history: its author, the forum's moderators and administrators (the view
    checks first that the person reads the forum)."""
    if not is_person(user):
        return False
    return post.author_id == user.pk or can_moderate(user, post.topic.category.forum)


def readable_forums(user):
    """The forums the person may read (for lists and search)."""
    if not is_person(user):
        return Forum.objects.none()
    if is_site_admin(user):
        return Forum.objects.all()
    spaces = Membership.objects.filter(user_id=user.pk, until__isnull=True).values("space_id")
    return Forum.objects.filter(Q(is_site_wide=True) | Q(space_id__in=spaces))


class ForumViewer:
    """One person in one forum: the facts the rules above ask (administrator, role or consents, sanction), each
    looked up at most once, and the rules on posts answered from them.

    A topic page asks for every post shown whether its reader may edit or report it: with one `ForumViewer`
    per request that is a fixed number of queries however many posts the page shows. The facts are those of
    the moment it was made: make a new one for each request (never keep it across requests or socket messages).
    `can_edit_post` and `can_report_post` answer through it; tests/forums/test_reading.py holds its other
    answers equal to `can_read_forum`, `can_post` and `can_moderate`.
    """

    def __init__(self, user, forum: Forum):
        self.user = user
        self.forum = forum

    @cached_property
    def person(self) -> bool:
        return is_person(self.user)

    @cached_property
    def admin(self) -> bool:
        return is_site_admin(self.user)

    @cached_property
    def role(self) -> str | None:
        """The role in the forum's space (None: no active membership, or the site-wide forum)."""
        if self.forum.is_site_wide or not self.person:
            return None
        return role_in(self.user, self.forum.space)

    @cached_property
    def takes_part(self) -> bool:
        """Posting access before sanctions: a member of the space; in the site-wide forum, the consents given."""
        if not self.person:
            return False
        return can_take_part(self.user) if self.forum.is_site_wide else self.role is not None

    @cached_property
    def reads(self) -> bool:
        if not self.person:
            return False
        return self.forum.is_site_wide or self.admin or self.role is not None

    @cached_property
    def sanction(self) -> Sanction | None:
        return active_sanction(self.user, self.forum)

    @cached_property
    def posts(self) -> bool:
        return self.takes_part and self.sanction is None

    @cached_property
    def moderates(self) -> bool:
        if self.admin:
            return True
        return self.role in (SpaceRole.MODERATOR, SpaceRole.COORDINATOR)

    def own(self, post: Post) -> bool:
        return self.person and post.author_id == self.user.pk

    def can_edit(self, post: Post, *, now=None) -> bool:
        if not self.own(post) or post.hidden:
            return False
        if (now or timezone.now()) - post.created_at > edit_window():
            return False
        return self.posts

    def can_report(self, post: Post) -> bool:
        if not self.person or self.own(post) or post.hidden or not self.reads:
            return False
        return self.admin or self.takes_part


# --- refusals ----------------------------------------------------------------------------------------


def check_can_read_forum(user, forum: Forum) -> None:
    if not can_read_forum(user, forum):
        raise PermissionDenied(_("Only members of this space can read its forum."))


def check_can_post(user, forum: Forum) -> None:
    if can_post(user, forum):
        return
    if (sanction := active_sanction(user, forum)) is not None:
        raise PermissionDenied(sanction_message(sanction))
    if forum.is_site_wide:
        raise PermissionDenied(
            _(
                "To write in the forum you need to accept the privacy notice, the terms of use and the processing "
                "of your data for the project's reporting. You can do this on your profile page."
            )
        )
    raise PermissionDenied(_("Only members of this space can write in its forum."))


def check_can_reply(user, topic: Topic) -> None:
    if topic.deleted_at is not None:
        raise PermissionDenied(_("This topic has been deleted."))
    if topic.locked:
        raise PermissionDenied(_("This topic is closed: no new replies can be added."))
    check_can_post(user, topic.category.forum)


def check_can_edit_post(user, post: Post) -> None:
    if not can_edit_post(user, post):
        if (sanction := active_sanction(user, post.topic.category.forum)) is not None:
            raise PermissionDenied(sanction_message(sanction))
        minutes = int(edit_window().total_seconds() // 60)
        raise PermissionDenied(
            _("You can edit only your own posts, within %(minutes)s minutes of writing them.") % {"minutes": minutes}
        )


def check_can_moderate(user, forum: Forum) -> None:
    if not can_moderate(user, forum):
        raise PermissionDenied(_("Only the moderators and coordinators of this space can do this."))


def check_not_sanctioned(user, forum: Forum) -> None:
    if (sanction := active_sanction(user, forum)) is not None:
        raise PermissionDenied(sanction_message(sanction))


def check_can_configure_forum(user, forum: Forum) -> None:
    if not can_configure_forum(user, forum):
        raise PermissionDenied(_("Only the coordinators of this space can change the forum's settings."))


def check_can_restore_topic(user, topic: Topic) -> None:
    if not can_restore_topic(user, topic):
        raise PermissionDenied(_("Only administrators can restore a deleted topic."))


def check_can_report_post(user, post: Post) -> None:
    if can_report_post(user, post):
        return
    if is_person(user) and post.author_id == user.pk:
        raise PermissionDenied(_("You cannot report your own post."))
    if post.hidden:
        raise PermissionDenied(_("This post is already hidden."))
    raise PermissionDenied(_("Only members of this space can report posts."))


def slow_mode_wait(user, forum: Forum, topic: Topic | None = None, *, now=None) -> int:
    """Seconds the person still has to wait before posting here (0: may post). Moderators are exempt.

    Forum and topic slow modes count from the person's last post in the forum and in the topic; the longer
    remaining wait applies.
    """
    forum_seconds = int(forum.slow_mode_seconds or 0)
    topic_seconds = int(topic.slow_mode_seconds or 0) if topic is not None else 0
    if not (forum_seconds or topic_seconds) or not is_person(user) or can_moderate(user, forum):
        return 0
    now = now or timezone.now()
    wait = 0.0
    if forum_seconds:
        last = (
            Post.objects.filter(author_id=user.pk, topic__category__forum=forum)
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if last is not None:
            wait = max(wait, forum_seconds - (now - last).total_seconds())
    if topic_seconds:
        last = (
            Post.objects.filter(author_id=user.pk, topic=topic)
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if last is not None:
            wait = max(wait, topic_seconds - (now - last).total_seconds())
    return max(0, math.ceil(wait))


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
    if topic.deleted_at is not None and not is_site_admin(user):
        raise _not_found()
    return topic


def get_post_or_404(user, post_id, topic: Topic | None = None) -> Post:
    posts = Post.objects.select_related("topic__category__forum__space", "author")
    if topic is not None:
        posts = posts.filter(topic=topic)
    post = posts.filter(pk=post_id).first()
    if post is None or not forum_exists_for(user, post.topic.category.forum):
        raise _not_found()
    if post.topic.deleted_at is not None and not is_site_admin(user):
        raise _not_found()
    return post


def get_attachment_or_404(user, attachment_id) -> Attachment:
    """The attachment, or 404 (also for a hidden post's files); the view then checks that the person reads the forum."""
    attachment = (
        Attachment.objects.select_related("post__topic__category__forum__space").filter(pk=attachment_id).first()
    )
    if attachment is None or attachment.post.hidden or not forum_exists_for(user, attachment.post.topic.category.forum):
        raise _not_found()
    if attachment.post.topic.deleted_at is not None and not is_site_admin(user):
        raise _not_found()
    return attachment


def readers_among(topic: Topic, user_ids) -> set[int]:
    """Which of these people may read the topic now: `can_read_topic` for many people in three queries.

    The live fan-out asks this once per event per worker process for all its sockets on the topic, instead
    of once per socket (tests/forums/test_live_fanout.py holds it equal to `can_read_topic`).
    """
    from django.contrib.auth import get_user_model

    people = get_user_model().objects.filter(pk__in=list(user_ids), is_active=True)
    admins = set(people.filter(site_admin_q()).values_list("pk", flat=True))
    if topic.deleted_at is not None:
        return admins
    forum = topic.category.forum
    if forum.is_site_wide:
        return set(people.values_list("pk", flat=True))
    members = Membership.objects.filter(space_id=forum.space_id, until__isnull=True, user__in=people).values_list(
        "user_id", flat=True
    )
    return admins | set(members)
