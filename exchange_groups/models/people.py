"""People and the JST registry: User, TerritorialUnit (TERYT), Profile, Consent."""

from anyascii import anyascii
from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
    VOIVODESHIP = "voivodeship", _("voivodeship")
    POWIAT = "powiat", _("powiat")
    CITY_WITH_POWIAT_RIGHTS = "city_with_powiat_rights", _("city with powiat rights")
    URBAN_GMINA = "urban_gmina", _("urban gmina")
    RURAL_GMINA = "rural_gmina", _("rural gmina")
    URBAN_RURAL_GMINA = "urban_rural_gmina", _("urban-rural gmina")


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
    DECISION_MAKER = "decision_maker", _("Decision-maker (mayor, wójt, burmistrz, starosta or their deputy)")
    EDUCATION_DEPARTMENT = "education_department", _("Head of the education department or education inspector")
    FINANCE = "finance", _("Treasurer or budget analyst")
    SCHOOL_ADMINISTRATION = "school_administration", _("School economic and administrative staff")
    COUNCILLOR = "councillor", _("Councillor on the education committee")
    SOCIAL_PARTNER = "social_partner", _("Social partner")


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
        _("position category"), max_length=32, choices=PositionCategory.choices, blank=True
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
