"""Test data factories. Prefer services for behaviour; factories only build rows."""

import datetime

import factory
from django.utils import timezone

from exchange_groups.models import Profile, Space, SpaceKind, TerritorialUnit, UnitKind, User

DEFAULT_PASSWORD = "Bezpieczne-Haslo-2026!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"osoba{n}@gmina.example.pl")
    first_name = "Anna"
    last_name = factory.Sequence(lambda n: f"Kowalska{n}")
    email_confirmed_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TerritorialUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TerritorialUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{n:07d}")
    kind = UnitKind.URBAN_GMINA
    name = factory.Sequence(lambda n: f"Gmina {n}")
    source_date = datetime.date(2020, 1, 1)


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space

    kind = SpaceKind.NETWORK
    name = factory.Sequence(lambda n: f"Sieć współpracy {n}")
    slug = factory.Sequence(lambda n: f"siec-{n}")
    cycle = "2019/2020"


def profile_of(user) -> Profile:
    return Profile.objects.get(user=user)
