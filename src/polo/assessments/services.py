"""Writes of the self-assessment: the instrument, taking an assessment
(start, invite, consensus, complete), the scores, the improvement plan.

Each function is keyword-only and runs in one transaction; the audit trail
(simple-history) says who did what. The surveys engine does the questionnaire
itself: ``form_version_create`` keeps each version of the instrument,
``rendering.drafts`` starts and submits responses, ``validation`` checks the
answers. Views check the permission (``rules.py``); the functions here check
again where a mistake would let someone act for another organisation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polo.accounts import personal_data
from polo.assessments.definition import SCALE, check, definition_for
from polo.assessments.instrument.manual import manual_xlsform
from polo.assessments.models import AreaScore, Assessment, Invitation, PlanAction, PlanComment
from polo.assessments.scoring import score
from polo.surveys import services as survey_services
from polo.surveys.models import Campaign, FormVersion, Instrument, Response, Round
from polo.surveys.rendering import drafts
from polo.surveys.validation import AnswerProblem, compute, validate
from polo.surveys.xlsform import XLSFormError, convert_xlsform

if TYPE_CHECKING:
    from polo.accounts.models import User
    from polo.directory.models import Organization

DEFAULT_SLUG = "manual-de-incidencia"
DEFAULT_TITLE = "Manual de incidencia"
DEFAULT_DESCRIPTION = (
    "Autodiagnóstico organizacional para organizaciones de la sociedad civil y colectivos: "
    "diez áreas de capacidad, plan de mejora y ruta de incidencia."
)
CONSENSUS_ROUND = 1
MEMBERS_ROUND = 2
REASON_LENGTH = 100
MAX_COMMENT = 2_000
MAX_NOTE = 2_000


class ConsensusConflict(Exception):
    """The consensus was saved by someone else after this page was drawn."""

    def __init__(self, assessment: Assessment):
        super().__init__("consensus saved elsewhere")
        self.assessment = assessment


class PlanConflict(Exception):
    """The action was changed by someone else after this page was drawn."""

    def __init__(self, action: PlanAction):
        super().__init__("plan action changed elsewhere")
        self.action = action


def _audit(instance, *, by, reason: str):
    instance._change_reason = " ".join(reason.split())[:REASON_LENGTH]
    if by is not None and getattr(by, "is_authenticated", False):
        instance._history_user = by
    return instance


def _who(user) -> str:
    return (user.full_name or user.email) if user is not None else _("el sistema")


def _require(user, perm: str, obj: Any = None) -> None:
    if user is None or not user.has_perm(perm, obj):
        raise PermissionDenied(perm)


# --- the instrument ----------------------------------------------------------------------


@transaction.atomic
def instrument_install_default(*, by: User | None = None) -> Instrument:
    """The Incidence Manual as an instrument, uploaded once (idempotent)."""
    instrument = Instrument.objects.filter(slug=DEFAULT_SLUG).first()
    if instrument is not None and instrument.versions.exists():
        return instrument
    if instrument is None:
        instrument = Instrument.objects.create(
            slug=DEFAULT_SLUG,
            title=DEFAULT_TITLE,
            description=DEFAULT_DESCRIPTION,
            kind=Instrument.Kind.ASSESSMENT,
            created_by=by,
        )
    instrument_upload(
        data=manual_xlsform(), filename="manual_de_incidencia.xlsx", by=by, instrument=instrument
    )
    return instrument


@transaction.atomic
def instrument_upload(
    *, data: bytes, filename: str, by: User | None, instrument: Instrument | None = None
) -> FormVersion:
    """Convert an XLSForm, check that it scores as an assessment, and keep it
    as the next version (of a new instrument when none is given). Raises
    XLSFormError with every problem (the engine's and the scoring's) or the
    engine's VersionConflict; nothing is saved then. Assessments already taken
    keep the version they answered."""
    if instrument is not None and instrument.kind != Instrument.Kind.ASSESSMENT:
        raise ValidationError(_("Ese instrumento no es un autodiagnóstico."))
    converted = convert_xlsform(data)
    problems = check(converted.spec)
    if problems:
        raise XLSFormError(problems)
    return survey_services.form_version_create(
        data=data,
        filename=filename,
        by=by,
        instrument=instrument,
        kind=Instrument.Kind.ASSESSMENT,
        converted=converted,
    )


def campaign_for(instrument: Instrument) -> tuple[Campaign, Round, Round]:
    """The instrument's campaign with its two rounds (created on first use):
    the organisations' assessments, and the members' own answers, which no
    aggregate counts."""
    campaign = Campaign.objects.filter(
        instrument=instrument, slug=_campaign_slug(instrument)
    ).first()
    if campaign is None:
        campaign = Campaign.objects.create(
            instrument=instrument,
            slug=_campaign_slug(instrument),
            title=instrument.title,
            description=_(
                "Autodiagnósticos de las organizaciones. Cada uno es privado: lo ven la "
                "organización, las facilitadoras de su región y la coordinación."
            ),
            respondent=Campaign.Respondent.ORGANIZATION,
            status=Campaign.Status.OPEN,
        )
    consensus, _created = Round.objects.get_or_create(
        campaign=campaign,
        order=CONSENSUS_ROUND,
        defaults={
            "kind": Round.Kind.OTHER,
            "name": _("Autodiagnósticos (consenso de la organización)"),
            "is_open": True,
        },
    )
    members, _created = Round.objects.get_or_create(
        campaign=campaign,
        order=MEMBERS_ROUND,
        defaults={
            "kind": Round.Kind.OTHER,
            "name": _("Respuestas individuales de integrantes (no se agregan)"),
            "is_open": True,
        },
    )
    return campaign, consensus, members


def _campaign_slug(instrument: Instrument) -> str:
    return f"autodiagnostico-{instrument.slug}"[:60]


# --- taking an assessment --------------------------------------------------------------


@transaction.atomic
def assessment_start(
    *,
    organization: Organization,
    by: User,
    mode: str = Assessment.Mode.SELF,
    instrument: Instrument | None = None,
) -> Assessment:
    """Start an assessment of ``organization`` on the instrument's current
    version: a draft consensus response the editor (or, in a workshop, the
    facilitator) fills in. One assessment in progress per organisation."""
    _require(by, "assessments.start", organization)
    if mode == Assessment.Mode.FACILITATED:
        _require(by, "assessments.facilitate", organization)
    elif mode != Assessment.Mode.SELF:
        raise ValidationError(_("Modalidad desconocida."))
    instrument = instrument or Instrument.objects.filter(slug=DEFAULT_SLUG).first()
    if instrument is None or instrument.kind != Instrument.Kind.ASSESSMENT:
        raise ValidationError(_("El instrumento del autodiagnóstico no está instalado."))
    if instrument.current_version is None:
        raise ValidationError(_("El instrumento aún no tiene una versión."))
    # The organisation's row serializes two starts at once.
    type(organization).objects.select_for_update().filter(pk=organization.pk).first()
    ongoing = Assessment.objects.in_progress().filter(organization=organization).first()
    if ongoing is not None:
        raise ValidationError(
            _("Ya hay un autodiagnóstico en curso para esta organización: continúe con él."),
            code="ongoing",
            params={"pk": ongoing.pk},
        )
    _campaign, consensus, _members = campaign_for(instrument)
    if not consensus.accepts_responses:
        raise ValidationError(_("La coordinación cerró el autodiagnóstico por ahora."))
    response = drafts.response_start(
        round_=consensus,
        by=by,
        respondent_kind=Campaign.Respondent.ORGANIZATION,
        organization=organization,
    )
    assessment = Assessment(
        organization=organization,
        response=response,
        mode=mode,
        started_by=by,
        facilitator=by if mode == Assessment.Mode.FACILITATED else None,
        previous=Assessment.objects.current().filter(organization=organization).first(),
    )
    reason = (
        _("Autodiagnóstico facilitado por %(who)s") % {"who": _who(by)}
        if mode == Assessment.Mode.FACILITATED
        else _("Autodiagnóstico iniciado por %(who)s") % {"who": _who(by)}
    )
    _audit(assessment, by=by, reason=reason)
    assessment.save()
    return assessment


@transaction.atomic
def invitation_create(*, assessment: Assessment, user: User, by: User) -> Invitation:
    """Ask a member of the organisation to answer alone: a draft response of
    their own, in the members' round."""
    _require(by, "assessments.edit_assessment", assessment)
    if not assessment.organization.memberships.filter(user=user).exists():
        raise ValidationError(_("Solo se puede invitar a integrantes de la organización."))
    if not user.is_active:
        raise ValidationError(_("Esa cuenta no está activa."))
    if assessment.invitations.filter(user=user).exists():
        raise ValidationError(_("Esa persona ya está invitada."))
    version = assessment.response.form_version
    _campaign, _consensus, members = campaign_for(version.instrument)
    response = drafts.response_start(
        round_=members,
        by=user,
        respondent_kind=Campaign.Respondent.ORGANIZATION,
        organization=assessment.organization,
    )
    if response.form_version_id != version.pk:
        # Everyone answers the version of the assessment they were invited to.
        response.form_version = version
        response.data = compute(version.form, {})
        response.save(update_fields=["form_version", "data"])
    invitation = Invitation(assessment=assessment, user=user, response=response, invited_by=by)
    _audit(invitation, by=by, reason=_("Invitada por %(who)s") % {"who": _who(by)})
    invitation.save()
    return invitation


@transaction.atomic
def invitation_remove(*, invitation: Invitation, by: User) -> None:
    """Withdraw an invitation; answers not yet sent go with it, sent ones stay
    (in the members' round, counted nowhere)."""
    _require(by, "assessments.edit_assessment", invitation.assessment)
    response = invitation.response
    _audit(invitation, by=by, reason=_("Invitación retirada por %(who)s") % {"who": _who(by)})
    invitation.delete()
    if response.is_draft:
        response.delete()


@transaction.atomic
def consensus_save(
    *,
    assessment: Assessment,
    levels: Mapping[str, str],
    expected_version: int,
    expected_response_version: str,
    by: User,
) -> Assessment:
    """Record the consensus level of some items. ``levels`` maps an item to a
    level of the scale ("" leaves it unanswered). Refused whole, with a
    message per item, when a level is not on the scale; ConsensusConflict
    when someone saved the consensus (or the answers) since the page was
    drawn: the second person is told, nothing is overwritten."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _require(by, "assessments.edit_assessment", locked)
    response = (
        Response.objects.select_for_update()
        .select_related("form_version")
        .get(pk=locked.response_id)
    )
    if (
        locked.version != expected_version
        or drafts.version_of(response) != expected_response_version
    ):
        locked.response = response
        raise ConsensusConflict(locked)
    definition = definition_for(response.form_version)
    errors: dict[str, str] = {}
    for name, value in levels.items():
        item = definition.items.get(name)
        if item is None:
            errors[name] = _("Esta pregunta no es un ítem del autodiagnóstico.")
        elif value not in {"", *(level.name for level in item.levels)}:
            errors[name] = _("El nivel debe ser uno de %(levels)s.") % {
                "levels": ", ".join(str(n) for n in SCALE)
            }
    if errors:
        raise ValidationError(errors)
    data = dict(response.data)
    for name, value in levels.items():
        if value:
            data[name] = value
        else:
            data.pop(name, None)
    spec = response.form_version.form
    response.data = compute(spec, data)
    _audit(response, by=by, reason=_("Consenso registrado por %(who)s") % {"who": _who(by)})
    response.save()
    if not response.is_draft:
        survey_services.response_store_answers(response, spec=spec)
    locked.version += 1
    _audit(locked, by=by, reason=_("Consenso registrado por %(who)s") % {"who": _who(by)})
    locked.save(update_fields=["version"])
    locked.response = response
    return locked


@dataclass
class Completion:
    assessment: Assessment
    problems: list[AnswerProblem]

    @property
    def done(self) -> bool:
        return not self.problems


@transaction.atomic
def assessment_complete(
    *, assessment: Assessment, by: User, language: str | None = None
) -> Completion:
    """Check every answer; when all pass, send the consensus response, score
    it, and make it the organisation's current assessment (its previous one
    is what the profile compares against). Returns the problems otherwise,
    having changed nothing."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _require(by, "assessments.edit_assessment", locked)
    response = Response.objects.select_related("form_version").get(pk=locked.response_id)
    if response.is_draft:
        response, problems = drafts.response_submit(
            response=response,
            by=by,
            expected_version=drafts.version_of(response),
            language=language,
        )
        if problems:
            return Completion(locked, problems)
    else:
        spec = response.form_version.form
        problems = validate(spec, compute(spec, response.data), language=language)
        if problems:
            return Completion(locked, problems)
    previous = (
        Assessment.objects.current()
        .filter(organization_id=locked.organization_id)
        .exclude(pk=locked.pk)
        .select_for_update()
        .first()
    )
    if previous is not None:
        previous.is_current = False
        _audit(previous, by=by, reason=_("Sustituido por un autodiagnóstico más reciente"))
        previous.save(update_fields=["is_current"])
        locked.previous = previous
    locked.response = response
    locked.status = Assessment.Status.COMPLETED
    locked.completed_at = timezone.now()
    locked.completed_by = by
    locked.is_current = True
    assessment_store_scores(locked, save=False)
    _audit(locked, by=by, reason=_("Autodiagnóstico completado por %(who)s") % {"who": _who(by)})
    locked.save()
    return Completion(locked, [])


def assessment_store_scores(assessment: Assessment, *, save: bool = True) -> list[AreaScore]:
    """Score the consensus answers and keep one row per area (replacing any)."""
    response = assessment.response
    definition = definition_for(response.form_version)
    result = score(definition, response.data)
    AreaScore.objects.filter(assessment=assessment).delete()
    rows = AreaScore.objects.bulk_create(
        AreaScore(
            assessment=assessment,
            area=area.area.slug,
            position=area.area.position,
            score=area.score,
            items_answered=area.items_answered,
            items_total=area.items_total,
        )
        for area in result.areas
        if area.score is not None
    )
    assessment.overall_score = result.overall
    assessment.scores = {row.area: row.score for row in rows}
    assessment.scored_version = drafts.version_of(response)
    if save:
        assessment.save(update_fields=["overall_score", "scores", "scored_version"])
    return rows


def assessment_refresh_scores(assessment: Assessment) -> bool:
    """Score again a completed assessment whose response was edited since
    (through the surveys pages, by the region's facilitator); whether it did."""
    if not assessment.is_completed:
        return False
    if drafts.version_of(assessment.response) == assessment.scored_version:
        return False
    with transaction.atomic():
        assessment_store_scores(assessment)
    return True


# --- the improvement plan --------------------------------------------------------------


def _clean_action_fields(*, title: str, responsible: str, due_on: date | None) -> dict[str, str]:
    errors = {}
    if not title.strip():
        errors["title"] = _("Escriba la acción.")
    if not responsible.strip():
        errors["responsible"] = _("Escriba quién es responsable.")
    if due_on is None:
        errors["due_on"] = _("Escriba la fecha compromiso.")
    return errors


@transaction.atomic
def plan_action_add(
    *,
    assessment: Assessment,
    item: str,
    title: str,
    responsible: str,
    due_on: date | None,
    by: User,
    suggestion: str = "",
) -> PlanAction:
    """Add an action to the plan: a suggested one (``suggestion`` is its key)
    or the organisation's own, for an item of the assessment."""
    _require(by, "assessments.edit_plan", assessment)
    definition = definition_for(assessment.response.form_version)
    errors = _clean_action_fields(title=title, responsible=responsible, due_on=due_on)
    if item not in definition.items:
        errors["item"] = _("Elija uno de los ítems del autodiagnóstico.")
    if suggestion and (
        definition.action(suggestion) is None or not suggestion.startswith(f"{item}:")
    ):
        errors["suggestion"] = _("Esa acción sugerida no corresponde al ítem.")
    if errors:
        raise ValidationError(errors)
    action = PlanAction(
        assessment=assessment,
        item=item,
        suggestion=suggestion,
        title=title.strip()[:300],
        responsible=responsible.strip()[:150],
        due_on=due_on,
        created_by=by,
    )
    action.full_clean()
    _audit(action, by=by, reason=_("Acción agregada por %(who)s") % {"who": _who(by)})
    action.save()
    return action


@transaction.atomic
def plan_action_update(
    *,
    action: PlanAction,
    status: str,
    responsible: str,
    due_on: date | None,
    progress_note: str,
    expected_version: int,
    by: User,
) -> PlanAction:
    """Change an action's status, person responsible, date or progress note;
    PlanConflict when it changed since the page was drawn."""
    locked = PlanAction.objects.select_for_update().select_related("assessment").get(pk=action.pk)
    _require(by, "assessments.edit_plan", locked.assessment)
    if locked.version != expected_version:
        raise PlanConflict(locked)
    errors = _clean_action_fields(title=locked.title, responsible=responsible, due_on=due_on)
    if status not in PlanAction.Status.values:
        errors["status"] = _("Elija un estado de la lista.")
    if len(progress_note) > MAX_NOTE:
        errors["progress_note"] = _("El avance puede tener hasta %(n)s caracteres.") % {
            "n": MAX_NOTE
        }
    if errors:
        raise ValidationError(errors)
    locked.status = status
    locked.responsible = responsible.strip()[:150]
    locked.due_on = due_on
    locked.progress_note = progress_note.strip()
    locked.version += 1
    _audit(locked, by=by, reason=_("Acción actualizada por %(who)s") % {"who": _who(by)})
    locked.save()
    return locked


@transaction.atomic
def plan_comment_add(
    *, assessment: Assessment, text: str, by: User, action: PlanAction | None = None
) -> PlanComment:
    _require(by, "assessments.comment_plan", assessment)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Escriba el comentario.")})
    if len(text) > MAX_COMMENT:
        raise ValidationError(
            {"text": _("El comentario puede tener hasta %(n)s caracteres.") % {"n": MAX_COMMENT}}
        )
    if action is not None and action.assessment_id != assessment.pk:
        raise ValidationError(_("Esa acción no es de este plan."))
    comment = PlanComment(assessment=assessment, action=action, author=by, text=text)
    _audit(comment, by=by, reason=_("Comentario de %(who)s") % {"who": _who(by)})
    comment.save()
    return comment


# --- personal data ----------------------------------------------------------------------


def export_personal_data(user) -> dict[str, Any]:
    """The person's invitations to answer (with their own answers) and the
    comments they wrote on improvement plans."""
    return {
        "invitations": [
            {
                "organization": invitation.assessment.organization.name,
                "invited_at": invitation.invited_at,
                "status": invitation.response.status,
                "answers": invitation.response.data,
            }
            for invitation in user.assessment_invitations.select_related(
                "assessment__organization", "response"
            )
        ],
        "plan_comments": [
            {
                "organization": comment.assessment.organization.name,
                "written_at": comment.created_at,
                "text": comment.text,
            }
            for comment in user.assessment_comments.select_related("assessment__organization")
        ],
    }


def register_personal_data() -> None:
    personal_data.register("assessments", export_personal_data)
