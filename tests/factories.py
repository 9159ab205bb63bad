"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from polo.accounts.models import PrivacyNotice, User
from polo.directory.models import Membership, Organization, Theme
from polo.territory.models import Community, Municipality, Region, State

PASSWORD = "contraseña-segura-2026"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class StateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = State
        django_get_or_create = ("code",)

    code = "20"
    name = "Oaxaca"
    abbreviation = "Oax."


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"region-{n}")
    name = factory.Sequence(lambda n: f"Región {n}")
    state = factory.SubFactory(StateFactory)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    state = factory.SubFactory(StateFactory)
    code = factory.Sequence(lambda n: f"20{n + 1:03d}")
    name = factory.Sequence(lambda n: f"Municipio {n}")
    population = 1000


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Comunidad {n}")


class PrivacyNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrivacyNotice
        django_get_or_create = ("version",)

    version = "2026-01"
    published_on = factory.Faker("date_object")
    text_es = "Aviso de privacidad de prueba."
    text_en = "Test privacy notice."
    is_current = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persona{n}@ejemplo.mx")
    full_name = factory.Faker("name", locale="es_MX")
    role = User.Role.PARTICIPANT

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )


def give_totp(user: User) -> None:
    """Staff must have TOTP; tests give it to the staff personas."""
    Authenticator.objects.get_or_create(
        user=user,
        type=Authenticator.Type.TOTP,
        defaults={"data": {"secret": _encrypt(TOTP_SECRET)}},
    )


def _encrypt(secret: str) -> str:
    from allauth.mfa.utils import encrypt

    return encrypt(secret)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"tema-{n}")
    name = factory.Sequence(lambda n: f"Tema {n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organización {n} A.C.")
    kind = Organization.Kind.CSO
    status = Organization.Status.PUBLISHED
    municipality = factory.SubFactory(MunicipalityFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    is_editor = True
