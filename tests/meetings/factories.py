"""Factories for the meetings tests."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from polo.meetings.models import Meeting, Person, Registration
from tests import factories as f


def in_days(days: float, hour: int = 10) -> datetime.datetime:
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    kind = Meeting.Kind.FORUM
    title = factory.Sequence(lambda n: f"Foro regional {n}")
    description = "Diálogo entre organizaciones y autoridades locales."
    start = factory.LazyFunction(lambda: in_days(10))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=4))
    status = Meeting.Status.PUBLISHED
    registration = Meeting.Registration.OPEN


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Persona {n}")
    sex = "woman"
    age_band = "30-44"
    sector = "cso"


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    privacy_notice = factory.LazyFunction(
        lambda: f.PrivacyNoticeFactory._meta.model.current() or f.PrivacyNoticeFactory()
    )
