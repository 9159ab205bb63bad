"""Writes on agendas. Each checks the phase (and, for ballots, eligibility) on
the rows it writes, and raises ``Refused`` (not allowed now: a 403 with the
reason) or ``ValidationError`` (bad input: a 400)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from polo.agendas import listing, selectors
from polo.agendas.models import (
    Agenda,
    Amendment,
    Ballot,
    BallotLine,
    Comment,
    InPersonLine,
    InPersonTally,
    Phase,
    PhaseChange,
    Priority,
    Proposal,
    Support,
)


class Refused(Exception):
    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.message = message
        self.status = status


def _locked(agenda: Agenda) -> Agenda:
    return Agenda.objects.select_for_update().get(pk=agenda.pk)


def _phase_refusal(agenda: Agenda, what: str) -> Refused:
    return Refused(
        _("%(what)s no es posible en la fase «%(phase)s».")
        % {"what": what, "phase": agenda.get_phase_display()}
    )


# Agenda


@transaction.atomic
def agenda_open_phase(*, agenda: Agenda, phase: str, by) -> PhaseChange:
    agenda = _locked(agenda)
    return agenda.open_phase(phase, by=by)


@transaction.atomic
def voting_close(*, agenda: Agenda, by) -> dict:
    """End the prioritisation: compute the result from the stored ballots and
    in-person counts and publish it. Ballots are refused from then on."""
    agenda = _locked(agenda)
    if agenda.phase != Phase.PRIORITISATION:
        raise Refused(_("Solo se cierra una priorización abierta."))
    if agenda.result_published_at is not None:
        raise Refused(_("La priorización ya se cerró y su resultado es público."), status=409)
    agenda.result = selectors.tally(agenda)
    agenda.result_published_at = timezone.now()
    agenda._change_reason = "result published"
    agenda.save(update_fields=["result", "result_published_at"])
    return agenda.result


@transaction.atomic
def agenda_adopt(
    *,
    agenda: Agenda,
    proposals: Sequence[Proposal],
    by,
    supporting: Mapping[int, Sequence[Proposal]] | None = None,
) -> list[Priority]:
    """Adopt the chosen proposals, in the order given, as the agenda's
    priorities; ``supporting`` gives, by a chosen proposal's id, the other
    proposals adopted with it as its support. A proposal is adopted once."""
    agenda = _locked(agenda)
    if agenda.phase != Phase.PRIORITISATION or agenda.result_published_at is None:
        raise Refused(_("Se adopta una agenda cuyo resultado de priorización ya se publicó."))
    if not proposals:
        raise ValidationError(_("Elija al menos una propuesta como prioridad."))
    supporting = {pk: [p.pk for p in group] for pk, group in (supporting or {}).items()}
    ids = [p.pk for p in proposals]
    if set(supporting) - set(ids):
        raise ValidationError(_("Las propuestas que sustentan van con una prioridad elegida."))
    every = ids + [pk for group in supporting.values() for pk in group]
    if len(set(every)) != len(every):
        raise ValidationError(_("Cada propuesta puede ser prioridad una sola vez."))
    valid = set(
        Proposal.objects.visible().filter(agenda=agenda, pk__in=every).values_list("pk", flat=True)
    )
    if valid != set(every):
        raise ValidationError(_("Alguna propuesta elegida no es de esta agenda."))
    priorities = Priority.objects.bulk_create(
        Priority(agenda=agenda, position=i, proposal_id=pk) for i, pk in enumerate(ids, start=1)
    )
    Priority.supporting.through.objects.bulk_create(
        Priority.supporting.through(priority_id=priority.pk, proposal_id=pk)
        for priority in priorities
        for pk in supporting.get(priority.proposal_id, ())
    )
    agenda.open_phase(Phase.ADOPTED, by=by)
    return priorities


# Proposals


def _set_links(proposal: Proposal, themes, indicators, organizations) -> None:
    if themes is not None:
        proposal.themes.set(themes)
    if indicators is not None:
        proposal.indicators.set(indicators)
    if organizations is not None:
        proposal.organizations.set(organizations)


@transaction.atomic
def proposal_create(
    *, agenda: Agenda, by, fields: dict, themes=None, indicators=None, organizations=None
) -> Proposal:
    agenda = _locked(agenda)
    if not agenda.allows_proposals:
        raise _phase_refusal(agenda, _("Presentar propuestas"))
    proposal = Proposal(agenda=agenda, author=by, **fields)
    proposal.full_clean(exclude=["agenda", "author"])
    proposal.save()
    _set_links(proposal, themes, indicators, organizations)
    return proposal


@transaction.atomic
def proposal_update(
    *, proposal: Proposal, by, fields: dict, themes=None, indicators=None, organizations=None
) -> Proposal:
    agenda = _locked(proposal.agenda)
    if not agenda.allows_proposals:
        raise _phase_refusal(agenda, _("Editar propuestas"))
    if proposal.author_id != by.pk:
        raise Refused(_("Solo la persona autora edita su propuesta."))
    for name, value in fields.items():
        setattr(proposal, name, value)
    proposal.full_clean(exclude=["agenda", "author"])
    proposal._change_reason = "edited by author"
    proposal.save()
    _set_links(proposal, themes, indicators, organizations)
    return proposal


# Comments and amendments

MAX_DEPTH = 2  # a comment and its replies; a reply to a reply is a reply to the comment


@transaction.atomic
def comment_create(*, proposal: Proposal, by, body: str, parent: Comment | None = None) -> Comment:
    agenda = proposal.agenda
    if not agenda.allows_comments:
        raise _phase_refusal(agenda, _("Comentar"))
    if proposal.is_hidden:
        raise Refused(_("Esta propuesta fue ocultada por moderación."))
    if parent is not None:
        if parent.proposal_id != proposal.pk:
            raise ValidationError(_("Ese comentario no es de esta propuesta."))
        if parent.parent_id is not None:
            parent = parent.parent  # keep threads two levels deep
    comment = Comment(proposal=proposal, author=by, body=body.strip(), parent=parent)
    comment.full_clean(exclude=["proposal", "author", "parent"])
    comment.save()
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=F("comment_count") + 1)
    listing.changed(proposal.agenda_id)
    return comment


@transaction.atomic
def amendment_create(*, proposal: Proposal, by, text: str, reason: str = "") -> Amendment:
    agenda = proposal.agenda
    if not agenda.allows_amendments:
        raise _phase_refusal(agenda, _("Proponer enmiendas"))
    if proposal.author_id == by.pk:
        raise Refused(
            _("Las enmiendas las proponen otras personas, no quien escribió la propuesta.")
        )
    if proposal.is_hidden:
        raise Refused(_("Esta propuesta fue ocultada por moderación."))
    amendment = Amendment(proposal=proposal, author=by, text=text.strip(), reason=reason.strip())
    amendment.full_clean(exclude=["proposal", "author"])
    amendment.save()
    return amendment


@transaction.atomic
def amendment_decide(*, amendment: Amendment, by, accept: bool, answer: str = "") -> Amendment:
    """The proposal's author accepts (the proposal's text becomes the amendment's;
    the history keeps the old one) or declines, while deliberation lasts."""
    amendment = (
        Amendment.objects.select_for_update()
        .select_related("proposal__agenda")
        .get(pk=amendment.pk)
    )
    proposal = amendment.proposal
    if proposal.author_id != by.pk:
        raise Refused(_("Solo la persona autora de la propuesta decide sus enmiendas."))
    if not proposal.agenda.allows_amendments:
        raise _phase_refusal(proposal.agenda, _("Decidir enmiendas"))
    if amendment.status != Amendment.Status.PENDING:
        raise Refused(_("Esta enmienda ya se decidió."), status=409)
    amendment.status = Amendment.Status.ACCEPTED if accept else Amendment.Status.REJECTED
    amendment.answer = answer.strip()[:2000]
    amendment.decided_at = timezone.now()
    amendment.save()
    if accept:
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        proposal.proposal = amendment.text
        proposal._change_reason = f"amendment {amendment.pk} accepted"
        proposal.save(update_fields=["proposal", "updated_at"])
    return amendment


# Supports: one row per person and proposal. The insert skips a conflict (a
# double click, or the same person in two requests at once) instead of failing,
# and the counter moves only when a row was inserted or deleted, in the same
# transaction: concurrent supports neither get lost nor counted twice.

_INSERT_SUPPORT = (
    "INSERT INTO agendas_support (proposal_id, user_id, created_at) VALUES (%s, %s, %s) "
    "ON CONFLICT (proposal_id, user_id) DO NOTHING RETURNING id"
)


def _check_supports_open(proposal: Proposal) -> None:
    if not proposal.agenda.allows_supports:
        raise _phase_refusal(proposal.agenda, _("Apoyar propuestas"))
    if proposal.is_hidden:
        raise Refused(_("Esta propuesta fue ocultada por moderación."))


@transaction.atomic
def support_add(*, proposal: Proposal, by) -> bool:
    """Support the proposal; False if this person already did (nothing changes)."""
    _check_supports_open(proposal)
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_SUPPORT, [proposal.pk, by.pk, timezone.now()])
        inserted = cursor.fetchone() is not None
    if inserted:
        Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
        listing.changed(proposal.agenda_id)
    return inserted


@transaction.atomic
def support_withdraw(*, proposal: Proposal, by) -> bool:
    """Withdraw one's support while supports are open; False if there was none."""
    _check_supports_open(proposal)
    deleted, _ignored = Support.objects.filter(proposal=proposal, user=by).delete()
    if deleted:
        Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") - 1)
        listing.changed(proposal.agenda_id)
    return bool(deleted)


# Prioritisation


def _choices(agenda: Agenda, ids: Iterable[int]) -> set[int]:
    ids = set(ids)
    found = set(
        Proposal.objects.visible().filter(agenda=agenda, pk__in=ids).values_list("pk", flat=True)
    )
    if found != ids:
        raise ValidationError(_("La papeleta menciona una propuesta que no existe en esta agenda."))
    return found


def _points_lines(agenda: Agenda, points: dict[int, int]) -> list[tuple[int, int, int | None]]:
    given = {pk: value for pk, value in points.items() if value}
    if any(value < 0 for value in given.values()):
        raise ValidationError(_("Los puntos no pueden ser negativos."))
    total = sum(given.values())
    if total == 0:
        raise ValidationError(_("Reparta al menos un punto."))
    if total > agenda.points:
        raise ValidationError(
            _("Repartió %(total)s puntos; cada persona tiene %(allowance)s.")
            % {"total": total, "allowance": agenda.points}
        )
    _choices(agenda, given)
    return [(pk, value, None) for pk, value in given.items()]


def _rank_lines(agenda: Agenda, ranking: Sequence[int]) -> list[tuple[int, int, int | None]]:
    if not ranking:
        raise ValidationError(_("Elija al menos una propuesta."))
    if len(ranking) > agenda.ranks:
        raise ValidationError(_("Ordene a lo más %(k)s propuestas.") % {"k": agenda.ranks})
    if len(set(ranking)) != len(ranking):
        raise ValidationError(_("Cada propuesta puede aparecer una sola vez en su orden."))
    _choices(agenda, ranking)
    # Borda: of K places, the first gets K points and the K-th one.
    return [(pk, agenda.ranks - i, i + 1) for i, pk in enumerate(ranking)]


@transaction.atomic
def ballot_submit(
    *, agenda: Agenda, by, points: dict[int, int] | None = None, ranking: Sequence[int] = ()
) -> Ballot:
    """Save (or replace) the person's ballot while the prioritisation is open."""
    agenda = Agenda.objects.get(pk=agenda.pk)
    if not agenda.allows_ballots:
        raise _phase_refusal(agenda, _("Priorizar"))
    if not selectors.is_eligible(agenda, by):
        raise Refused(
            _(
                "No está habilitada(o) para priorizar en esta agenda: participan las personas "
                "que viven en %(territory)s, las organizaciones de ahí y quienes se inscribieron "
                "en su foro."
            )
            % {"territory": agenda.territory_name}
        )
    if agenda.method == Agenda.Method.POINTS:
        lines = _points_lines(agenda, points or {})
    else:
        lines = _rank_lines(agenda, ranking)
    try:
        with transaction.atomic():
            ballot, _created = Ballot.objects.get_or_create(agenda=agenda, voter=by)
    except IntegrityError:  # the same person's other request created it meanwhile
        ballot = Ballot.objects.get(agenda=agenda, voter=by)
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    ballot.lines.all().delete()
    BallotLine.objects.bulk_create(
        BallotLine(ballot=ballot, proposal_id=pk, points=value, rank=rank)
        for pk, value, rank in lines
    )
    ballot.save(update_fields=["updated_at"])
    return ballot


@transaction.atomic
def tally_record(
    *, agenda: Agenda, by, note: str, people: int, points: dict[int, int]
) -> InPersonTally:
    """A facilitator enters the count of an in-person forum."""
    agenda = _locked(agenda)
    if not agenda.allows_ballots:
        raise _phase_refusal(agenda, _("Registrar un conteo presencial"))
    given = {pk: value for pk, value in points.items() if value}
    if any(value < 0 for value in given.values()):
        raise ValidationError(_("Los puntos no pueden ser negativos."))
    if not given:
        raise ValidationError(_("Anote los puntos de al menos una propuesta."))
    if people < 1:
        raise ValidationError(_("Anote cuántas personas votaron."))
    _choices(agenda, given)
    tally = InPersonTally(agenda=agenda, note=note.strip(), people=people, entered_by=by)
    tally.full_clean(exclude=["agenda", "entered_by"])
    tally.save()
    InPersonLine.objects.bulk_create(
        InPersonLine(tally=tally, proposal_id=pk, points=value) for pk, value in given.items()
    )
    return tally


# Personal data


def export_participation(user) -> dict:
    return {
        "proposals": [
            {
                "agenda": p.agenda.title,
                "title": p.title,
                "problem": p.problem,
                "proposal": p.proposal,
                "created_at": p.created_at.isoformat(),
            }
            for p in Proposal.objects.filter(author=user).select_related("agenda")
        ],
        "comments": [
            {"proposal": c.proposal.title, "body": c.body, "created_at": c.created_at.isoformat()}
            for c in Comment.objects.filter(author=user).select_related("proposal")
        ],
        "amendments": [
            {"proposal": a.proposal.title, "text": a.text, "status": a.status}
            for a in Amendment.objects.filter(author=user).select_related("proposal")
        ],
        "supports": list(
            Support.objects.filter(user=user).values_list("proposal__title", flat=True)
        ),
        "ballots": [
            {"agenda": b.agenda.title, "lines": list(b.lines.values("proposal__title", "points"))}
            for b in Ballot.objects.filter(voter=user).select_related("agenda")
        ],
    }


def anonymize_participation(user) -> None:
    """Cancelling an account keeps what was proposed to the territory (it belongs
    to the agenda's record) but not its author's words in comments; supports
    and ballots go (the published results keep their totals)."""
    Comment.objects.filter(author=user).update(body="[eliminado]")
    Amendment.objects.filter(author=user, status=Amendment.Status.PENDING).delete()
    supported = Support.objects.filter(user=user).values_list("proposal", "proposal__agenda")
    for proposal_id, agenda_id in supported:
        Proposal.objects.filter(pk=proposal_id).update(support_count=F("support_count") - 1)
        listing.changed(agenda_id)
    Support.objects.filter(user=user).delete()
    Ballot.objects.filter(voter=user).exclude(agenda__phase=Phase.PRIORITISATION).delete()


def register_personal_data() -> None:
    from polo.accounts import personal_data

    personal_data.register("agendas", export_participation)
    personal_data.register_anonymizer(anonymize_participation)
