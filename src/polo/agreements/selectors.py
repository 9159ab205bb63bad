"""Reads for the public accountability pages: agreements with their parties,
commitments (with the derived ``overdue``) and evidence trails, each in a fixed
number of queries, and the figures over a set of commitments."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, QuerySet

from polo.agreements.models import (
    OPEN_STATUSES,
    Agreement,
    Commitment,
    CommitmentUpdate,
    Party,
    today,
)


def updates_trail() -> Prefetch:
    return Prefetch(
        "updates",
        queryset=CommitmentUpdate.objects.select_related(
            "party__organization", "reviewed_party__organization"
        ).order_by("created_at", "pk"),
    )


def commitments_with_trail(commitments: QuerySet, on: datetime.date | None = None) -> QuerySet:
    return (
        commitments.with_overdue(on)
        .select_related("responsible__organization")
        .prefetch_related(updates_trail())
    )


def agreements_with_commitments(
    agreements: QuerySet, *, commitments: QuerySet | None = None, on=None
) -> QuerySet:
    """Agreements with parties (and signatories) and commitments with their trail:
    five queries whatever the numbers."""
    commitments = commitments if commitments is not None else Commitment.objects.all()
    return (
        agreements.select_related("region")
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=Party.objects.select_related("organization").prefetch_related(
                    "signatories"
                ),
            ),
            Prefetch("commitments", queryset=commitments_with_trail(commitments, on)),
        )
        .order_by("-signed_on", "title", "pk")
    )


@dataclass(frozen=True)
class Figures:
    total: int
    fulfilled: int
    on_time: int
    partly: int
    not_fulfilled: int
    open: int
    overdue: int

    @staticmethod
    def _share(part: int, whole: int) -> int | None:
        return round(100 * part / whole) if whole else None

    @property
    def share_fulfilled(self) -> int | None:
        return self._share(self.fulfilled, self.total)

    @property
    def share_on_time(self) -> int | None:
        return self._share(self.on_time, self.total)

    @property
    def share_overdue(self) -> int | None:
        return self._share(self.overdue, self.total)


def figures(commitments: QuerySet, on: datetime.date | None = None) -> Figures:
    """One query: how many commitments, fulfilled (and on time: closed by the due
    date), partly, not fulfilled, still open, and overdue today."""
    on = on or today()
    row = commitments.aggregate(
        total=Count("pk"),
        fulfilled=Count("pk", filter=Q(status=Commitment.Status.FULFILLED)),
        on_time=Count(
            "pk",
            filter=Q(status=Commitment.Status.FULFILLED, closed_on__lte=F("due_on")),
        ),
        partly=Count("pk", filter=Q(status=Commitment.Status.PARTLY_FULFILLED)),
        not_fulfilled=Count("pk", filter=Q(status=Commitment.Status.NOT_FULFILLED)),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_on__lt=on)),
    )
    return Figures(**row)


def public_commitments() -> QuerySet:
    return Commitment.objects.filter(agreement__in=Agreement.objects.public())


def public_agreements_list() -> QuerySet:
    on = today()
    return (
        Agreement.objects.public()
        .select_related("region")
        .annotate(
            commitment_count=Count("commitments", distinct=True),
            overdue_count=Count(
                "commitments",
                filter=Q(commitments__status__in=OPEN_STATUSES, commitments__due_on__lt=on),
                distinct=True,
            ),
        )
        .order_by("-signed_on", "title", "pk")
    )


def parties_for_meeting(meeting, user) -> QuerySet:
    """The parties of the agreements a meeting's agreement may become a
    commitment of: agreements in force (or drafts, for those who manage them)
    that one of the meeting's organisers is party to. Each party is a possible
    responsible one; its agreement comes with it."""
    agreements = Agreement.objects.filter(parties__organization__in=meeting.organizers.values("pk"))
    in_force = Q(agreement__status=Agreement.Status.SIGNED)
    if user.is_coordinator:
        visible = in_force | Q(agreement__status=Agreement.Status.DRAFT)
    elif user.is_facilitator:
        visible = in_force | Q(
            agreement__status=Agreement.Status.DRAFT,
            agreement__region__in=user.regions.values("pk"),
        )
    else:
        visible = in_force
    return (
        Party.objects.filter(visible, agreement__in=agreements.values("pk"))
        .select_related("agreement", "organization")
        .order_by("agreement__title", "agreement__pk", "pk")
    )
