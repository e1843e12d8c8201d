"""People, the JST registry and the spaces they meet in.

TerritorialUnit is the TERYT register; Profile and Consent describe a person; Space is a network or an
exchange group (its membership, meetings and libraries come with the networks issue).
"""

from anyascii import anyascii
from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def fold(text: str) -> str:
    """Lower-case, diacritic-free copy of a text for matching ("Łódź" -> "lodz")."""
    return anyascii(text or "").casefold().strip()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("email_confirmed_at", timezone.now())
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    """A person signs in with their e-mail address; there is no separate user name."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None


class UnitKind(models.TextChoices):
    VOIVODESHIP = "wojewodztwo", _("voivodeship")
    POWIAT = "powiat", _("powiat")
    CITY_WITH_POWIAT_RIGHTS = "miasto_npp", _("city with powiat rights")
    URBAN_GMINA = "gmina_miejska", _("urban gmina")
    RURAL_GMINA = "gmina_wiejska", _("rural gmina")
    URBAN_RURAL_GMINA = "gmina_miejsko_wiejska", _("urban-rural gmina")


GMINA_KINDS = (UnitKind.URBAN_GMINA, UnitKind.RURAL_GMINA, UnitKind.URBAN_RURAL_GMINA)
POWIAT_KINDS = (UnitKind.POWIAT, UnitKind.CITY_WITH_POWIAT_RIGHTS)


class TerritorialUnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def jst(self):
        """Units that are JST (gminas and powiat-level units); voivodeships are regions here."""
        return self.exclude(kind=UnitKind.VOIVODESHIP)

    def search(self, query: str):
        words = fold(query).split()
        qs = self
        for word in words:
            qs = qs.filter(name_folded__contains=word)
        return qs


class TerritorialUnit(models.Model):
    """One unit of the TERYT TERC register (voivodeship, powiat-level unit or gmina)."""

    code = models.CharField(_("TERYT code"), max_length=7, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=120)
    name_folded = models.CharField(max_length=120, db_index=True, editable=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    voivodeship = models.ForeignKey(
        "self",
        verbose_name=_("voivodeship"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_date = models.DateField(_("register date"))
    active = models.BooleanField(_("active"), default=True)

    objects = TerritorialUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("territorial unit (JST)")
        verbose_name_plural = _("territorial units (JST)")
        ordering = ["code"]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def is_gmina(self) -> bool:
        return self.kind in GMINA_KINDS

    @property
    def powiat(self):
        if self.is_gmina:
            return self.parent
        if self.kind in POWIAT_KINDS:
            return self
        return None

    @property
    def label(self) -> str:
        """ "Bolesławiec (gmina miejska, powiat bolesławiecki, dolnośląskie)"."""
        from django.utils.translation import gettext

        parts = [self.get_kind_display()]
        if self.is_gmina and self.parent_id and self.parent.kind == UnitKind.POWIAT:
            parts.append(gettext("powiat %(name)s") % {"name": self.parent.name})
        if self.voivodeship_id:
            parts.append(self.voivodeship.name.lower())
        return f"{self.name} ({', '.join(parts)})"


class PositionCategory(models.TextChoices):
    DECISION_MAKER = "decydent", _("Decision-maker (mayor, wójt, burmistrz, starosta or their deputy)")
    EDUCATION_DEPARTMENT = "oswiata", _("Head of the education department or education inspector")
    FINANCE = "finanse", _("Treasurer or budget analyst")
    SCHOOL_ADMINISTRATION = "szkola", _("School economic and administrative staff")
    COUNCILLOR = "radny", _("Councillor on the education committee")
    SOCIAL_PARTNER = "partner", _("Social partner")


class Profile(models.Model):
    """What the platform knows of a person beyond their account: their JST and position."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    unit = models.ForeignKey(
        TerritorialUnit,
        verbose_name=_("JST"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="profiles",
    )
    position_category = models.CharField(
        _("position category"), max_length=16, choices=PositionCategory.choices, blank=True
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("For social partners: the name of the organisation you represent."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return str(self.user)

    @property
    def is_complete(self) -> bool:
        if not (self.unit_id and self.position_category and self.job_title):
            return False
        return self.position_category != PositionCategory.SOCIAL_PARTNER or bool(self.organisation)


class ConsentPurpose(models.TextChoices):
    PRIVACY_NOTICE = "privacy_notice", _("I have read the privacy notice (RODO information clause)")
    TERMS = "terms", _("I accept the platform's terms of use")
    PROJECT_REPORTING = (
        "project_reporting",
        _("I agree to the processing of my data for the reporting of the EU-funded project"),
    )
    NEWSLETTER = "newsletter", _("I would like to receive news about the programme by e-mail")


class Consent(models.Model):
    """One consent as given: what was agreed, to which version of the text, and when.

    A withdrawal is recorded on the same row (withdrawn_at); agreeing again makes a new row, so the
    history is never overwritten.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents", verbose_name=_("user")
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=ConsentPurpose.choices)
    text_version = models.CharField(_("text version"), max_length=32)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "purpose"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_active_consent_per_purpose",
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_purpose_display()} · {self.text_version}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class SpaceKind(models.TextChoices):
    NETWORK = "siec", _("cooperation network")
    EXCHANGE_GROUP = "gwd", _("experience exchange group (GWD)")
    LEADERS = "liderzy", _("leaders' network")


class SpaceStatus(models.TextChoices):
    RECRUITING = "rekrutacja", pgettext_lazy("space status", "recruiting")
    ACTIVE = "aktywna", pgettext_lazy("space status", "active")
    CLOSED = "zamknieta", pgettext_lazy("space status", "closed")
    ARCHIVED = "archiwum", pgettext_lazy("space status", "archived")


class SpaceVisibility(models.TextChoices):
    PUBLIC = "publiczna", _("public: anyone sees the description, members see the rest")
    PRIVATE = "prywatna", _("private: only members know it exists")


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
    PARTICIPANT = "uczestnik", pgettext_lazy("space role", "participant")
    MODERATOR = "moderator", pgettext_lazy("space role", "moderator (leader)")
    COORDINATOR = "koordynator", pgettext_lazy("space role", "coordinator")
    EXPERT = "ekspert", pgettext_lazy("space role", "expert")


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
    (a partial unique constraint); change memberships only through `exchange_groups.membership`.
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
