"""Reads of the surveys module for a user: the same answers as rules.py, for
many rows at once."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from polo.surveys.models import Campaign, Response, Round


def rounds_open_to(user) -> QuerySet[Round]:
    """The rounds this person may collect for now."""
    rounds = Round.objects.open().select_related("campaign__instrument")
    if not (user and user.is_authenticated and user.is_active):
        return rounds.none()
    if user.is_coordinator:
        return rounds
    allowed = Q(pk__in=[])
    if user.is_facilitator:
        allowed |= Q(campaign__regions__isnull=True) | Q(campaign__regions__in=user.regions.all())
    if user.memberships.filter(is_editor=True).exists():
        allowed |= Q(campaign__respondent=Campaign.Respondent.ORGANIZATION)
    return rounds.filter(allowed).distinct()


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    campaigns = Campaign.objects.select_related("instrument")
    if not (user and user.is_authenticated and user.is_active):
        return campaigns.none()
    if user.is_coordinator:
        return campaigns
    if user.is_facilitator:
        return campaigns.filter(
            Q(regions__isnull=True) | Q(regions__in=user.regions.all())
        ).distinct()
    return campaigns.none()


def responses_visible_to(user, responses: QuerySet[Response] | None = None) -> QuerySet[Response]:
    """Responses this person may see: rules.py's ``surveys.view_response``."""
    responses = responses if responses is not None else Response.objects.all()
    if not (user and user.is_authenticated and user.is_active):
        return responses.none()
    if user.is_coordinator:
        return responses
    allowed = Q(submitted_by=user) | Q(
        organization__memberships__user=user, organization__memberships__is_editor=True
    )
    if user.is_facilitator:
        regions = user.regions.all()
        allowed |= Q(municipality__region__in=regions) | (
            Q(municipality__isnull=True)
            & (Q(round__campaign__regions__isnull=True) | Q(round__campaign__regions__in=regions))
        )
    return responses.filter(pk__in=responses.filter(allowed).values("pk"))
