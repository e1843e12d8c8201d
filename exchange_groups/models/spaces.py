"""Spaces (networks, exchange groups, the leaders' network) and their memberships."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .people import UnitKind


class SpaceKind(models.TextChoices):
    NETWORK = "network", _("cooperation network")
    EXCHANGE_GROUP = "exchange_group", _("experience exchange group (GWD)")
    LEADERS = "leaders", _("leaders' network")


class SpaceStatus(models.TextChoices):
    RECRUITING = "recruiting", pgettext_lazy("space status", "recruiting")
    ACTIVE = "active", pgettext_lazy("space status", "active")
    CLOSED = "closed", pgettext_lazy("space status", "closed")
    ARCHIVED = "archived", pgettext_lazy("space status", "archived")


class SpaceVisibility(models.TextChoices):
    PUBLIC = "public", _("public: anyone sees the description, members see the rest")
    PRIVATE = "private", _("private: only members know it exists")


class Space(models.Model):
    """A cooperation network, an experience exchange group or the leaders' network."""

    kind = models.CharField(_("kind"), max_length=16, choices=SpaceKind.choices)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    audience = models.JSONField(
        _("JST kinds it is meant for"),
        default=list,
        blank=True,
        help_text=_("Kinds of territorial units the space is meant for."),
    )
    cycle = models.CharField(_("cycle (school year)"), max_length=9, help_text=_("For example 2019/2020."))
    status = models.CharField(_("status"), max_length=16, choices=SpaceStatus.choices, default=SpaceStatus.ACTIVE)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=SpaceVisibility.choices, default=SpaceVisibility.PUBLIC
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("exchange_groups:space_detail", kwargs={"slug": self.slug})

    def audience_labels(self) -> list[str]:
        names = dict(UnitKind.choices)
        return [str(names[k]) for k in self.audience if k in names]

    @property
    def is_private(self) -> bool:
        return self.visibility == SpaceVisibility.PRIVATE

    @property
    def accepts_requests(self) -> bool:
        """Requests to join are taken while the space recruits or runs."""
        return self.status in (SpaceStatus.RECRUITING, SpaceStatus.ACTIVE)


# --- Membership of spaces -------------------------------------------------------------------------


class SpaceRole(models.TextChoices):
    PARTICIPANT = "participant", pgettext_lazy("space role", "participant")
    MODERATOR = "moderator", pgettext_lazy("space role", "moderator (leader)")
    COORDINATOR = "coordinator", pgettext_lazy("space role", "coordinator")
    EXPERT = "expert", pgettext_lazy("space role", "expert")


# Order in which roles are listed in a member directory.
SPACE_ROLE_ORDER = (SpaceRole.COORDINATOR, SpaceRole.MODERATOR, SpaceRole.EXPERT, SpaceRole.PARTICIPANT)


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(until__isnull=True)

    def ended(self):
        return self.filter(until__isnull=False)


class Membership(models.Model):
    """A person's membership of a space with a role.

    History is kept: a membership that ends gets `until` (and, when a coordinator removed the person,
    `ended_reason`); it is never deleted. A person has at most one active membership per space
    (a partial unique constraint); change memberships only through `exchange_groups.spaces.services`.
    """

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("space"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="space_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=16, choices=SpaceRole.choices, default=SpaceRole.PARTICIPANT)
    since = models.DateTimeField(_("member since"), default=timezone.now)
    until = models.DateTimeField(_("member until"), null=True, blank=True)
    ended_reason = models.TextField(_("reason for ending"), blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["space", "-since"]
        constraints = [
            models.UniqueConstraint(
                fields=["space", "user"],
                condition=models.Q(until__isnull=True),
                name="one_active_membership_per_space_user",
            )
        ]
        indexes = [models.Index(fields=["user", "until"], name="membership_user_until")]

    def __str__(self):
        return f"{self.user} · {self.space} · {self.get_role_display()}"

    @property
    def is_active(self) -> bool:
        return self.until is None


class MembershipEventKind(models.TextChoices):
    REQUESTED = "requested", _("asked to join")
    REQUEST_WITHDRAWN = "request_withdrawn", _("withdrew the request to join")
    REQUEST_ACCEPTED = "request_accepted", _("request to join accepted")
    REQUEST_DECLINED = "request_declined", _("request to join declined")
    INVITED = "invited", _("invited by e-mail")
    INVITATION_REVOKED = "invitation_revoked", _("invitation withdrawn")
    INVITATION_ACCEPTED = "invitation_accepted", _("invitation accepted")
    ADDED = "added", _("added by a coordinator")
    ROLE_CHANGED = "role_changed", _("role changed")
    LEFT = "left", _("left the space")
    REMOVED = "removed", _("removed by a coordinator")


class MembershipEvent(models.Model):
    """One entry of a space's membership history: who did what to whose membership, and when."""

    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, related_name="membership_events", verbose_name=_("space")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="membership_events",
        verbose_name=_("person"),
    )
    email = models.EmailField(_("e-mail address"), blank=True, help_text=_("For invitations: the address invited."))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    kind = models.CharField(_("event"), max_length=24, choices=MembershipEventKind.choices)
    role = models.CharField(_("role"), max_length=16, choices=SpaceRole.choices, blank=True)
    previous_role = models.CharField(_("previous role"), max_length=16, choices=SpaceRole.choices, blank=True)
    note = models.TextField(_("note or reason"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("membership event")
        verbose_name_plural = _("membership history")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.space} · {self.user or self.email} · {self.get_kind_display()}"


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("join request status", "waiting for a decision")
    ACCEPTED = "accepted", pgettext_lazy("join request status", "accepted")
    DECLINED = "declined", pgettext_lazy("join request status", "declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("join request status", "withdrawn")


class JoinRequest(models.Model):
    """A person asks to join a space; a coordinator accepts it or declines it with a reason."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="join_requests", verbose_name=_("space"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests", verbose_name=_("person")
    )
    message = models.TextField(_("message to the coordinators"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["space", "user"],
                condition=models.Q(status="pending"),
                name="one_pending_join_request_per_space_user",
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.space} · {self.get_status_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status == JoinRequestStatus.PENDING


class Invitation(models.Model):
    """An invitation to a space sent to an e-mail address: a single-use link that expires.

    Only a hash of the token is stored; the link itself exists only in the e-mail.
    """

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("space"))
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=16, choices=SpaceRole.choices, default=SpaceRole.PARTICIPANT)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["space", "email"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_space_email",
            )
        ]

    def __str__(self):
        return f"{self.email} · {self.space}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        """Can still be accepted: not used, not withdrawn, not expired."""
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired
