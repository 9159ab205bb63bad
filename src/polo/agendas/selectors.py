"""Reads on agendas: who may prioritise (eligibility), the proposals list (a
fixed number of queries whatever its length), and the tally, computed by the
database from the stored ballots and in-person counts."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from polo.agendas.models import Agenda, BallotLine, InPersonLine, Proposal
from polo.directory.models import Membership, Theme
from polo.meetings.models import Registration


def _territory_q(agenda: Agenda, field: str) -> Q:
    if agenda.municipality_id:
        return Q(**{field: agenda.municipality_id})
    return Q(**{f"{field}__region": agenda.region_id})


def eligible_users(agenda: Agenda) -> QuerySet:
    """The active accounts that may prioritise: people who live in the territory
    (their account's municipality), editors of organisations based there, and
    the confirmed registrations of the agenda's forum (the consultations'
    electorate, with the three groups together)."""
    editors = Membership.objects.filter(
        _territory_q(agenda, "organization__municipality"), is_editor=True
    ).values("user")
    who = _territory_q(agenda, "municipality") | Q(pk__in=editors)
    if agenda.forum_id:
        registered = Registration.objects.filter(
            meeting_id=agenda.forum_id, status=Registration.Status.CONFIRMED
        ).values("person__user")
        who |= Q(pk__in=registered)
    return get_user_model().objects.filter(who, is_active=True)


def is_eligible(agenda: Agenda, user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return eligible_users(agenda).filter(pk=user.pk).exists()


SORTS = {"apoyos": ("-support_count", "-pk"), "recientes": ("-created_at", "-pk")}


@dataclass
class ProposalFilters:
    sort: str = "apoyos"
    theme: str = ""

    @classmethod
    def from_query(cls, query) -> ProposalFilters:
        sort = query.get("orden", "apoyos")
        return cls(sort=sort if sort in SORTS else "apoyos", theme=query.get("tema", "")[:60])

    def as_query(self) -> dict[str, str]:
        query = {"orden": self.sort} if self.sort != "apoyos" else {}
        if self.theme:
            query["tema"] = self.theme
        return query


def proposals(agenda: Agenda, filters: ProposalFilters) -> QuerySet:
    """Visible proposals with what a list row shows (counts are columns)."""
    found = (
        Proposal.objects.visible()
        .filter(agenda=agenda)
        .select_related("municipality")
        .only(
            "pk",
            "agenda_id",
            "title",
            "problem",
            "support_count",
            "comment_count",
            "created_at",
            "municipality__name",
        )
    )
    if filters.theme:
        found = found.filter(themes__slug=filters.theme)
    return found.order_by(*SORTS[filters.sort])


@dataclass(frozen=True)
class ProposalRow:
    url: str
    title: str
    summary: str
    counts: str
    place: str


def proposal_rows(agenda: Agenda, proposals) -> list[ProposalRow]:
    """What a list row shows, worked out here rather than by a blocktranslate,
    a filter and a {% url %} per row in the template (20 rows a page)."""
    from django.urls import reverse
    from django.utils.text import Truncator
    from django.utils.translation import ngettext

    base = reverse("agendas:proposals", args=[agenda.slug])
    rows = []
    for p in proposals:
        supports = ngettext("%(n)s apoyo", "%(n)s apoyos", p.support_count) % {"n": p.support_count}
        comments = ngettext("%(n)s comentario", "%(n)s comentarios", p.comment_count) % {
            "n": p.comment_count
        }
        rows.append(
            ProposalRow(
                url=f"{base}{p.pk}/",
                title=p.title,
                summary=Truncator(p.problem).words(24),
                counts=f"{supports} · {comments}",
                place=p.municipality.name if p.municipality_id else "",
            )
        )
    return rows


def themes_in_use(agenda: Agenda) -> list[Theme]:
    return list(Theme.objects.filter(agenda_proposals__agenda=agenda).distinct().order_by("name"))


def tally(agenda: Agenda) -> dict:
    """The result as stored when published: one row per proposal with points,
    online and in person, ordered by total (ties by the proposal's age)."""
    online = {
        row["proposal"]: row
        for row in BallotLine.objects.filter(ballot__agenda=agenda)
        .values("proposal")
        .annotate(points=Sum("points"), voters=Count("ballot"))
    }
    in_person = dict(
        InPersonLine.objects.filter(tally__agenda=agenda)
        .values("proposal")
        .annotate(points=Sum("points"))
        .values_list("proposal", "points")
    )
    rows = []
    for proposal in Proposal.objects.visible().filter(agenda=agenda).order_by("created_at", "pk"):
        got = online.get(proposal.pk, {})
        row = {
            "proposal": proposal.pk,
            "title": proposal.title,
            "online": got.get("points") or 0,
            "voters": got.get("voters") or 0,
            "in_person": in_person.get(proposal.pk, 0),
            "supports": proposal.support_count,
        }
        row["total"] = row["online"] + row["in_person"]
        rows.append(row)
    rows.sort(key=lambda r: -r["total"])  # stable: ties keep the proposals' order
    return {
        "method": agenda.method,
        "allowance": agenda.points if agenda.method == Agenda.Method.POINTS else agenda.ranks,
        "ballots": agenda.ballots.count(),
        "in_person": [
            {
                "people": t.people,
                "note": t.note,
                "by": str(t.entered_by or ""),
                "at": t.entered_at.isoformat(),
            }
            for t in agenda.tallies.select_related("entered_by")
        ],
        "rows": rows,
    }


@dataclass
class ThreadedComment:
    comment: object
    replies: list


def comment_threads(proposal: Proposal) -> list[ThreadedComment]:
    """The proposal's comments, each with its replies (two levels), in one query."""
    from polo.agendas.models import Comment

    comments = list(
        Comment.objects.filter(proposal=proposal)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    threads: dict[int, ThreadedComment] = {}
    for comment in comments:
        if comment.parent_id is None:
            threads[comment.pk] = ThreadedComment(comment, [])
    for comment in comments:
        if comment.parent_id is not None and comment.parent_id in threads:
            threads[comment.parent_id].replies.append(comment)
    return list(threads.values())


@dataclass
class AdoptedPriority:
    position: int
    proposal: Proposal
    points: int
    in_person: int
    supporting: list[Proposal] = field(default_factory=list)

    @property
    def indicators(self) -> list:
        """The evidence: the indicators of the priority's proposals, once each."""
        return _once(i for p in (self.proposal, *self.supporting) for i in p.indicators.all())

    @property
    def organizations(self) -> list:
        return _once(o for p in (self.proposal, *self.supporting) for o in p.organizations.all())


def _once(items) -> list:
    return list({item.pk: item for item in items}.values())


def adopted_priorities(agenda: Agenda) -> list[AdoptedPriority]:
    """The priorities in order, with their proposals' evidence and points."""
    points = {row["proposal"]: row for row in (agenda.result or {}).get("rows", [])}
    supporting = Prefetch(
        "supporting",
        queryset=Proposal.objects.select_related("author", "municipality")
        .prefetch_related("indicators", "organizations")
        .order_by("-support_count", "pk"),
    )
    priorities = (
        agenda.priorities.select_related(
            "proposal__author", "proposal__authority", "proposal__municipality"
        )
        .prefetch_related(
            "proposal__themes", "proposal__indicators", "proposal__organizations", supporting
        )
        .order_by("position")
    )
    return [
        AdoptedPriority(
            position=p.position,
            proposal=p.proposal,
            points=points.get(p.proposal_id, {}).get("total", 0),
            in_person=points.get(p.proposal_id, {}).get("in_person", 0),
            supporting=list(p.supporting.all()),
        )
        for p in priorities
    ]
