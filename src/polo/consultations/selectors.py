"""Reads on consultations: who may vote (the electorate), and the lists."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from polo.consultations.models import Consultation
from polo.meetings.models import Registration


def _territory_q(consultation: Consultation, field: str) -> Q:
    if consultation.municipality_id:
        return Q(**{field: consultation.municipality_id})
    return Q(**{f"{field}__region": consultation.region_id})


def eligible_users(consultation: Consultation) -> QuerySet:
    """The active accounts that may vote in the consultation."""
    users = get_user_model().objects.filter(is_active=True)
    kind = consultation.eligibility
    if kind == Consultation.Eligibility.RESIDENTS:
        return users.filter(_territory_q(consultation, "municipality"))
    if kind == Consultation.Eligibility.SECTOR:
        return users.filter(
            _territory_q(consultation, "municipality"),
            meeting_person__sector=consultation.sector,
        )
    if kind == Consultation.Eligibility.MEETING:
        registered = Registration.objects.filter(
            meeting_id=consultation.meeting_id, status=Registration.Status.CONFIRMED
        ).values("person__user")
        return users.filter(pk__in=registered)
    return users.filter(pk__in=consultation.eligible_voters.values("user"))


def is_eligible(consultation: Consultation, user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return eligible_users(consultation).filter(pk=user.pk).exists()


def electorate(consultation: Consultation) -> int:
    """Turnout's denominator: the eligible accounts, plus the codes issued at
    voting tables (each handed to one person whose right to vote was checked there)."""
    return eligible_users(consultation).count() + consultation.codes.count()


def has_voted(consultation: Consultation, user) -> bool:
    return user.is_authenticated and consultation.voter_records.filter(user=user).exists()


def visible_consultations(user) -> QuerySet:
    """The public ones, and the drafts of those who manage them."""
    consultations = Consultation.objects.select_related(
        "region", "municipality__region", "municipality__state"
    )
    if not user.is_authenticated:
        return consultations.public()
    if user.is_coordinator:
        return consultations.all()
    if user.is_facilitator:
        regions = list(user.regions.values_list("pk", flat=True))
        return consultations.filter(
            ~Q(status=Consultation.Status.DRAFT)
            | Q(region__in=regions)
            | Q(municipality__region__in=regions)
        )
    return consultations.public()
